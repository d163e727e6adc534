# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..lib import rearrangement
from .cadre_archive_change_mixin import CHANGE_PROTECTED_FIELDS
from .cadre_archive_workflow_mixin import RENUMBER_SENTINEL


class CadreArchiveRearrangement(models.Model):
    """A rearrangement (重新整理) of one category of a dossier.

    The only way a filed material's 顺序号 ever changes: with a reason and an
    archive manager's approval, the filed materials of the category are
    renumbered by formation date. The old and new numbers are kept on lines
    (shown on each material and printed as a correspondence table).
    """

    _name = "cadre.archive.rearrangement"
    _description = "Rearrangement of a Dossier Category"
    _inherit = ["cadre.archive.change.mixin"]
    _order = "id desc"
    _check_company_auto = True
    _protected_fields = CHANGE_PROTECTED_FIELDS | {"line_ids"}

    name = fields.Char(compute="_compute_name", store=True)
    dossier_id = fields.Many2one(
        "cadre.archive.dossier",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        tracking=True,
    )
    category_id = fields.Many2one(
        "cadre.archive.category",
        required=True,
        ondelete="restrict",
        domain="[('is_leaf', '=', True)]",
        tracking=True,
    )
    department_id = fields.Many2one(
        related="dossier_id.department_id", store=True, index=True, string="Unit"
    )
    company_id = fields.Many2one(related="dossier_id.company_id", store=True)
    line_ids = fields.One2many(
        "cadre.archive.rearrangement.line",
        "rearrangement_id",
        string="Correspondence",
        readonly=True,
    )

    @api.depends("dossier_id.name", "category_id.code")
    def _compute_name(self):
        for change in self:
            change.name = self.env._(
                "Rearrangement of %(dossier)s, category %(category)s",
                dossier=change.dossier_id.name or "",
                category=change.category_id.code or "",
            )

    def _change_payload_fields(self):
        return ("dossier_id", "category_id")

    def _filed_materials(self):
        self.ensure_one()
        return self.env["cadre.archive.material"].search(
            [
                ("dossier_id", "=", self.dossier_id.id),
                ("category_id", "=", self.category_id.id),
                ("state", "=", "filed"),
            ]
        )

    def _plan(self):
        """The new numbers, by formation date: [(material, old, new)]."""
        materials = self._filed_materials()
        by_id = {material.id: material for material in materials}
        plan = rearrangement.renumber_by_date(
            [(m.id, m.sequence_number, m.date) for m in materials]
        )
        return [(by_id[key], old, new) for key, old, new in plan]

    def _check_change_ready(self):
        result = super()._check_change_ready()
        if not self._filed_materials():
            raise UserError(
                self.env._(
                    "Category %(category)s of %(dossier)s has no filed material "
                    "to rearrange.",
                    category=self.category_id.display_name,
                    dossier=self.dossier_id.display_name,
                )
            )
        return result

    def _prepare_change(self):
        """Show the approver the correspondence the approval will apply."""
        self.ensure_one()
        self.line_ids.sudo()._as_workflow().unlink()
        self.env["cadre.archive.rearrangement.line"].sudo()._as_workflow().create(
            [
                {
                    "rearrangement_id": self.id,
                    "material_id": material.id,
                    "old_number": old,
                    "new_number": new,
                }
                for material, old, new in self._plan()
            ]
        )

    def _apply_change(self):
        """Renumber the category as planned, if the catalog did not change."""
        self.ensure_one()
        plan = self._plan()
        planned = {(line.material_id.id, line.new_number) for line in self.line_ids}
        if {(material.id, new) for material, __, new in plan} != planned:
            raise UserError(
                self.env._(
                    "The catalog of category %(category)s changed since this "
                    "rearrangement was asked for: cancel it and ask again.",
                    category=self.category_id.display_name,
                )
            )
        materials = self.env["cadre.archive.material"]
        materials._lock_dossiers({self.dossier_id.id})
        self._release_draft_numbers()
        renumber = (
            materials.sudo()
            .with_context(cadre_archive_renumber=RENUMBER_SENTINEL)
            ._as_workflow()
        )
        offset = max([old for __, old, __ in plan] + [new for *__, new in plan])
        # two passes: the unique number constraint holds at every step
        for material, __, new in plan:
            renumber.browse(material.id).write({"sequence_number": new + offset})
        renumber.flush_model(["sequence_number"])
        for material, __, new in plan:
            renumber.browse(material.id).write({"sequence_number": new})
        for material, old, new in plan:
            if old != new:
                material.sudo().message_post(
                    body=self.env._(
                        "Renumbered from %(old)s to %(new)s by %(change)s.",
                        old=f"{self.category_id.code}-{old}",
                        new=f"{self.category_id.code}-{new}",
                        change=self.name,
                    )
                )

    def _release_draft_numbers(self):
        """Drafts carrying a paper number give it up: they are numbered when
        filed, after the rearranged materials."""
        drafts = self.env["cadre.archive.material"].search(
            [
                ("dossier_id", "=", self.dossier_id.id),
                ("category_id", "=", self.category_id.id),
                ("state", "=", "draft"),
                ("sequence_number", "!=", False),
            ]
        )
        drafts._workflow_write({"sequence_number": False})

    def action_print_correspondence(self):
        return self.env.ref("cadre_archive.action_report_rearrangement").report_action(
            self
        )


class CadreArchiveRearrangementLine(models.Model):
    """The old and the new number of one material in a rearrangement."""

    _name = "cadre.archive.rearrangement.line"
    _description = "Old and New Number of a Material"
    _inherit = ["cadre.archive.workflow.mixin"]
    _order = "rearrangement_id, new_number"
    _protected_fields = frozenset(
        {"rearrangement_id", "material_id", "old_number", "new_number"}
    )

    rearrangement_id = fields.Many2one(
        "cadre.archive.rearrangement", required=True, ondelete="cascade", index=True
    )
    state = fields.Selection(related="rearrangement_id.state")
    department_id = fields.Many2one(
        related="rearrangement_id.department_id", store=True, index=True
    )
    company_id = fields.Many2one(related="rearrangement_id.company_id", store=True)
    approved_date = fields.Datetime(related="rearrangement_id.approved_date")
    material_id = fields.Many2one(
        "cadre.archive.material", required=True, ondelete="restrict", index=True
    )
    material_name = fields.Char(related="material_id.name", string="Title")
    material_date = fields.Char(related="material_id.date_input", string="Formed On")
    category_code = fields.Char(related="rearrangement_id.category_id.code")
    old_number = fields.Integer(string="Old Sequence No.")
    new_number = fields.Integer(string="New Sequence No.")
    old_code = fields.Char(compute="_compute_codes", string="Old Number")
    new_code = fields.Char(compute="_compute_codes", string="New Number")

    @api.depends("category_code", "old_number", "new_number")
    def _compute_codes(self):
        for line in self:
            line.old_code = f"{line.category_code}-{line.old_number}"
            line.new_code = f"{line.category_code}-{line.new_number}"

    @api.model_create_multi
    def create(self, vals_list):
        self._check_protected_vals(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_protected_vals([vals])
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_by_plan(self):
        if not self._is_workflow_write() or any(
            line.rearrangement_id.state == "done" for line in self
        ):
            raise UserError(
                self.env._(
                    "The correspondence of old and new numbers is kept: it "
                    "cannot be deleted."
                )
            )
