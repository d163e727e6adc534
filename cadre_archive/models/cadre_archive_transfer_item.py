# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..lib import transfer as transfer_lib


class CadreArchiveTransferItem(models.Model):
    """One material of a received dossier, checked as it arrives: expected
    (listed on the sender's notice or catalog) and received or missing, or
    extra (received but not listed).

    Its state is set by the check buttons only; on receipt, the received
    expected materials are filed as checked on paper and the extra ones
    become drafts to be checked (鉴别) before filing.
    """

    _name = "cadre.archive.transfer.item"
    _description = "Material Checked on Arrival"
    _inherit = ["cadre.archive.workflow.mixin"]
    _order = "line_id, kind, category_sequence, sequence_number, id"

    _protected_fields = frozenset({"state", "material_id", "transfer_id", "line_id"})

    line_id = fields.Many2one(
        "cadre.archive.transfer.line",
        string="Dossier",
        required=True,
        index=True,
        ondelete="cascade",
    )
    transfer_id = fields.Many2one(
        "cadre.archive.transfer", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        related="transfer_id.company_id", store=True, index=True
    )
    kind = fields.Selection(
        [("expected", "On the Notice"), ("extra", "Not on the Notice")],
        required=True,
        default="expected",
    )
    category_id = fields.Many2one(
        "cadre.archive.category",
        required=True,
        ondelete="restrict",
        domain="[('is_leaf', '=', True)]",
    )
    category_sequence = fields.Integer(related="category_id.sequence", store=True)
    sequence_number = fields.Integer(
        string="Sequence No.",
        help="The material's 顺序号 on the sender's catalog, kept when it is "
        "free in the new dossier.",
    )
    name = fields.Char(string="Title", required=True)
    date = fields.Date(string="Formation Date", required=True)
    page_count = fields.Integer(string="Pages", default=1)
    state = fields.Selection(
        [("pending", "To Check"), ("received", "Received"), ("missing", "Missing")],
        default="pending",
        required=True,
        readonly=True,
    )
    material_id = fields.Many2one(
        "cadre.archive.material", readonly=True, ondelete="set null"
    )
    note = fields.Char(help="What was found: damaged, incomplete...")

    @api.constrains("page_count")
    def _check_page_count(self):
        for item in self:
            if item.page_count <= 0:
                raise ValidationError(
                    self.env._(
                        "The page count of %(material)s must be at least 1.",
                        material=item.name,
                    )
                )

    @api.constrains("line_id", "transfer_id")
    def _check_line_of_transfer(self):
        for item in self:
            if item.line_id.transfer_id != item.transfer_id:
                raise ValidationError(
                    self.env._(
                        "%(material)s belongs to a dossier of another transfer.",
                        material=item.name,
                    )
                )

    def _protected_values_allowed(self, vals):
        if self:
            return set()
        # a new item names its dossier line (checked: a draft transfer in) and
        # may say its state is the one it starts with
        allowed = {"line_id", "transfer_id"}
        if vals.get("state") == (
            "received" if vals.get("kind") == "extra" else "pending"
        ):
            allowed.add("state")
        return allowed

    @api.model_create_multi
    def create(self, vals_list):
        self._check_protected_vals(vals_list)
        transfers = self.env["cadre.archive.transfer"].browse(
            {vals["transfer_id"] for vals in vals_list if vals.get("transfer_id")}
        )
        transfers._check_lines_editable(self._is_workflow_write())
        for vals in vals_list:
            # an extra material is received by definition
            if vals.get("kind") == "extra":
                vals["state"] = "received"
        return super().create(vals_list)

    def write(self, vals):
        self._check_protected_vals([vals])
        self.transfer_id._check_lines_editable(self._is_workflow_write())
        if "kind" in vals and not self._is_workflow_write():
            raise UserError(
                self.env._(
                    "Whether a material is on the notice is set when it is "
                    "entered: delete it and enter it again."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_draft_in(self):
        self.transfer_id._check_lines_editable(False)

    def _label(self):
        self.ensure_one()
        number = (
            f"{self.category_id.code}-{self.sequence_number}"
            if self.sequence_number
            else self.category_id.code
        )
        return f"{number} {self.name}"

    def _check_summary(self):
        return transfer_lib.check_summary(
            transfer_lib.CheckItem(item.kind, item.state, item.page_count)
            for item in self
        )

    # ------------------------------------------------------------------
    # The check on arrival
    # ------------------------------------------------------------------
    def action_mark_received(self):
        self._set_check_state("received")
        return True

    def action_mark_missing(self):
        self._set_check_state("missing")
        return True

    def action_mark_pending(self):
        self._set_check_state("pending")
        return True

    def _set_check_state(self, state):
        self.check_access("write")
        if any(item.kind != "expected" for item in self):
            raise UserError(
                self.env._(
                    "Only the materials on the notice are checked as received "
                    "or missing; one not on it was received."
                )
            )
        self.transfer_id._check_lines_editable(False)
        self._workflow_write({"state": state})

    def _create_materials(self, dossier):
        """File the expected materials received as checked on paper (the
        sender filed them; the officer checked each one on arrival), keeping
        the sender's 顺序号 where it is free; the extra ones become drafts, to
        be checked (鉴别) before filing."""
        received = self.filtered(
            lambda i: i.kind == "expected" and i.state == "received"
        )
        extra = self.filtered(lambda i: i.kind == "extra")
        materials = self.env["cadre.archive.material"]
        now = fields.Datetime.now()
        used = set()
        filed_vals = []
        for item in received:
            key = (item.category_id.id, item.sequence_number)
            keep = item.sequence_number > 0 and key not in used
            used.add(key)
            filed_vals.append(
                {
                    **item._material_values(dossier),
                    "sequence_number": item.sequence_number if keep else False,
                    "state": "filed",
                    "filed_date": now,
                    "filed_uid": self.env.uid,
                    "check_method": "paper",
                }
            )
        filed = materials._as_workflow().create(filed_vals)
        filed._assign_sequence_numbers()
        drafts = materials.create([item._material_values(dossier) for item in extra])
        for item, material in zip(received | extra, filed | drafts, strict=True):
            item._workflow_write({"material_id": material.id})

    def _material_values(self, dossier):
        self.ensure_one()
        return {
            "dossier_id": dossier.id,
            "category_id": self.category_id.id,
            "name": self.name,
            "date": self.date,
            "page_count": self.page_count,
            "remarks": self.note or False,
        }
