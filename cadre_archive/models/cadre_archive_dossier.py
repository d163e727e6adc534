# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..lib import catalog

DOSSIER_SEQUENCE_CODE = "cadre.archive.dossier"


class CadreArchiveDossier(models.Model):
    """The personnel dossier (干部人事档案) of one cadre.

    Access is the product: officers see the dossiers of the units assigned to
    them (and the units below), managers those of their companies, requesters
    only through an approved request, and nobody their own dossier (回避).
    The record rules in ``security/cadre_archive_security.xml`` say so.
    """

    _name = "cadre.archive.dossier"
    _description = "Cadre Personnel Dossier"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "cadre.archive.workflow.mixin",
        "cadre.archive.request.access.mixin",
    ]
    _order = "name desc, id desc"
    _check_company_auto = True
    _request_access_target = "dossier"

    # The archive number and the paper file's status are set by the archive
    # (sequence, lending, transfer); whose dossier it is and in which company
    # never change; the unit that keeps it changes only by a manager's act.
    # The promotion checks (凡提必审) are written by the check only.
    _protected_fields = frozenset(
        {
            "name",
            "state",
            "employee_id",
            "company_id",
            "department_id",
            "promotion_check_ids",
            # counted by the archive: the ORM would store a client's figure
            "material_count",
            "page_count",
        }
    )

    name = fields.Char(
        string="Archive Number",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: self.env._("New"),
        tracking=True,
        index="trigram",
        help="Assigned from the company's archive number sequence when the "
        "dossier is created.",
    )
    employee_id = fields.Many2one(
        "hr.employee",
        string="Cadre",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
        check_company=True,
    )
    department_id = fields.Many2one(
        "hr.department",
        string="Unit",
        compute="_compute_department_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        tracking=True,
        check_company=True,
        help="The unit that keeps the dossier; it decides which archive "
        "officers may work on it.",
    )
    company_id = fields.Many2one(
        "res.company",
        compute="_compute_company_id",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        index=True,
    )
    state = fields.Selection(
        [
            ("in_stock", "In Stock"),
            ("lent", "Lent"),
            ("transferred", "Transferred Out"),
        ],
        string="Status",
        default="in_stock",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    copy_type = fields.Selection(
        [("original", "Original (正本)"), ("duplicate", "Duplicate (副本)")],
        string="Original / Duplicate",
        default="original",
        required=True,
        tracking=True,
    )
    location_room = fields.Char(string="Store Room", tracking=True)
    location_cabinet = fields.Char(string="Cabinet", tracking=True)
    location_cell = fields.Char(string="Cell", tracking=True)
    location = fields.Char(
        compute="_compute_location",
        help="Physical location as store room-cabinet-cell (库房-柜-格).",
    )
    material_ids = fields.One2many(
        "cadre.archive.material", "dossier_id", string="Materials"
    )
    catalog_material_ids = fields.One2many(
        "cadre.archive.material",
        "dossier_id",
        string="Catalog",
        domain=[("state", "=", "filed")],
        readonly=True,
        help="The filed materials, in 类号 then 顺序号 order: the catalog (目录).",
    )
    draft_material_ids = fields.One2many(
        "cadre.archive.material",
        "dossier_id",
        string="Drafts",
        domain=[("state", "=", "draft")],
        help="Materials received and not yet filed: they get their number when filed.",
    )
    material_count = fields.Integer(
        compute="_compute_material_stats", store=True, string="Materials Count"
    )
    page_count = fields.Integer(
        compute="_compute_material_stats", store=True, string="Pages"
    )
    note = fields.Html()
    relative_ids = fields.One2many(
        "cadre.archive.dossier.relative",
        "dossier_id",
        string="Declared Relatives",
        groups="cadre_archive.group_officer",
        help="Relatives of the cadre working here: they may never consult this "
        "dossier (回避). Read and searched by archive staff only; the 回避 rule "
        "reads them as the system.",
    )
    conduct_entry_count = fields.Integer(
        string="德能勤绩廉",
        compute="_compute_conduct_entry_count",
        groups="cadre_archive.group_officer",
        help="The cadre's filed materials of annual assessment, training, "
        "awards and sanctions (cadre.archive.conduct.entry).",
    )

    _employee_uniq = models.Constraint(
        "unique (employee_id)",
        "This cadre already has a dossier: a cadre has exactly one dossier.",
    )
    _name_company_uniq = models.Constraint(
        "unique (name, company_id)",
        "This archive number is already used by another dossier of the company.",
    )

    @api.depends("employee_id")
    def _compute_department_id(self):
        for dossier in self:
            dossier.department_id = dossier.employee_id.department_id

    @api.depends("employee_id")
    def _compute_company_id(self):
        for dossier in self:
            dossier.company_id = (
                dossier.employee_id.company_id or dossier.company_id or self.env.company
            )

    @api.depends("location_room", "location_cabinet", "location_cell")
    def _compute_location(self):
        for dossier in self:
            parts = (
                dossier.location_room,
                dossier.location_cabinet,
                dossier.location_cell,
            )
            dossier.location = "-".join(p for p in parts if p) if any(parts) else ""

    @api.depends("material_ids.page_count")
    def _compute_material_stats(self):
        for dossier in self:
            dossier.material_count = len(dossier.material_ids)
            dossier.page_count = sum(dossier.material_ids.mapped("page_count"))

    @api.depends("name", "employee_id")
    def _compute_display_name(self):
        for dossier in self:
            dossier.display_name = (
                f"{dossier.name} {dossier.employee_id.name}"
                if dossier.employee_id
                else dossier.name
            )

    def _protected_values_allowed(self, vals):
        if not self:
            # a new dossier names its cadre, unit and company (the rules check
            # the unit), and may carry the defaults of the form
            allowed = {"employee_id", "department_id", "company_id"}
            if vals.get("name") in (False, None, "", self.env._("New")):
                allowed.add("name")
            if vals.get("state", "in_stock") == "in_stock":
                allowed.add("state")
            return allowed
        if self.env.user.has_group("cadre_archive.group_manager"):
            return {"department_id"}
        return set()

    @api.model_create_multi
    def create(self, vals_list):
        self._check_protected_vals(vals_list)
        self._check_one_dossier_per_employee(vals_list)
        self._prepare_archive_numbers(vals_list)
        return super().create(vals_list)

    @api.model
    def _check_one_dossier_per_employee(self, vals_list):
        """Refuse a second dossier for a cadre with a clear message.

        The unique constraint on ``employee_id`` still guards concurrent
        creations; this check only explains the refusal before it happens.
        """
        employee_ids = [
            vals["employee_id"] for vals in vals_list if vals.get("employee_id")
        ]
        existing = self.sudo().search([("employee_id", "in", employee_ids)])
        duplicates = {
            employee_id
            for employee_id in employee_ids
            if employee_ids.count(employee_id) > 1
        }
        kept = existing.sudo(False)._filtered_access("read")
        if kept:
            raise ValidationError(
                self.env._(
                    "%(cadres)s already has a dossier, %(dossiers)s: open it from "
                    "Dossiers rather than creating another one.",
                    cadres=", ".join(kept.sudo().employee_id.mapped("name")),
                    dossiers=", ".join(kept.sudo().mapped("name")),
                )
            )
        employees = existing.employee_id | self.env["hr.employee"].sudo().browse(
            duplicates
        )
        if employees:
            raise ValidationError(
                self.env._(
                    "%(cadres)s already has a dossier: a cadre has exactly one "
                    "dossier.",
                    cadres=", ".join(employees.mapped("name")),
                )
            )

    @api.model
    def archive_find_kept_dossiers(self, name, limit=5):
        """The dossiers the current user may open whose cadre's name contains
        ``name``: what the cadre picker of a new dossier offers to open instead
        of creating a second dossier. Returns ``[{"id", "display_name"}]``."""
        if not (name or "").strip():
            return []
        dossiers = self.search(
            [("employee_id.name", "ilike", name.strip())], limit=limit
        )
        return [
            {"id": dossier.id, "display_name": dossier.display_name}
            for dossier in dossiers
        ]

    @api.model
    def _prepare_archive_numbers(self, vals_list):
        """Give each new dossier the next number of its company's sequence."""
        for vals in vals_list:
            if vals.get("name") and vals["name"] != self.env._("New"):
                continue
            company = self.env["res.company"].browse(vals.get("company_id"))
            if not company and vals.get("employee_id"):
                company = self.env["hr.employee"].browse(vals["employee_id"]).company_id
            sequence = self._get_archive_sequence(company or self.env.company)
            vals["name"] = sequence.next_by_id()

    @api.model
    def _get_archive_sequence(self, company):
        """Return the archive number sequence of ``company``.

        Each company numbers its dossiers on its own. A company without a
        sequence of its own gets a copy of the shipped template the first time
        it creates a dossier, which its managers may then configure.
        """
        sequence_model = self.env["ir.sequence"].sudo()
        sequence = sequence_model.search(
            [("code", "=", DOSSIER_SEQUENCE_CODE), ("company_id", "=", company.id)],
            limit=1,
        )
        if sequence:
            return sequence
        template = self.env.ref(
            "cadre_archive.seq_cadre_archive_dossier", raise_if_not_found=False
        )
        if template:
            return template.sudo().copy(
                {"company_id": company.id, "number_next": 1, "name": template.name}
            )
        return sequence_model.create(
            {
                "name": "Cadre Archive Number",
                "code": DOSSIER_SEQUENCE_CODE,
                "company_id": company.id,
                "prefix": "DA",
                "padding": 6,
            }
        )

    def write(self, vals):
        self._check_protected_vals([vals])
        self._check_transferred_write(vals)
        if "department_id" in vals and not self._is_workflow_write():
            self._check_department_target(vals["department_id"])
        return super().write(vals)

    def _check_department_target(self, department_id):
        """A manager moves a dossier only to a unit of the dossier's company."""
        department = self.env["hr.department"].browse(department_id)
        for dossier in self:
            if department and department.company_id not in (
                dossier.company_id,
                self.env["res.company"],
            ):
                raise ValidationError(
                    self.env._("A dossier stays with a unit of its own company.")
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_filed_materials(self):
        self._check_not_transferred()
        if self.material_ids.filtered(lambda m: m.state == "filed"):
            raise UserError(
                self.env._(
                    "A dossier with filed materials cannot be deleted: filed "
                    "materials are evidence and are never removed."
                )
            )

    def action_open_materials(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "cadre_archive.action_cadre_archive_material"
        )
        action["domain"] = [("dossier_id", "=", self.id)]
        action["context"] = {
            "default_dossier_id": self.id,
            "search_default_group_category": 1,
        }
        return action

    def _compute_conduct_entry_count(self):
        counts = dict(
            self.env["cadre.archive.conduct.entry"]._read_group(
                [("dossier_id", "in", self.ids)], ["dossier_id"], ["__count"]
            )
        )
        for dossier in self:
            dossier.conduct_entry_count = counts.get(dossier._origin, 0)

    def action_open_conduct(self):
        """The cadre's record of 德能勤绩廉 (annual assessments, awards,
        sanctions, training), grouped by year, each line opening its
        material."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "cadre_archive.action_cadre_archive_conduct_entry"
        )
        action["name"] = self.env._(
            "德能勤绩廉: %(cadre)s", cadre=self.employee_id.name
        )
        action["domain"] = [("dossier_id", "=", self.id)]
        action["context"] = {"group_by": ["year"], "create": False}
        return action

    def _get_catalog_sections(self):
        """Return the catalog (目录) of this dossier as plain sections."""
        self.ensure_one()
        leaves = self.env["cadre.archive.category"].search([("is_leaf", "=", True)])
        categories = [
            catalog.CatalogCategory(
                code=category.code,
                name=category.name,
                parent_code=category.parent_id.code or None,
                parent_name=category.parent_id.name or None,
            )
            for category in leaves
        ]
        materials = [
            catalog.CatalogMaterial(
                category_code=material.category_id.code,
                number=material.sequence_number,
                title=material.name,
                date=material._get_partial_date(),
                page_count=material.page_count,
                remarks=material.remarks or "",
            )
            for material in self.catalog_material_ids
        ]
        return catalog.build_catalog(categories, materials)

    def _get_catalog_totals(self):
        return catalog.catalog_totals(self._get_catalog_sections())

    def _render_catalog_sections_html(self):
        """Render the catalog by category section (escaped by QWeb)."""
        self.ensure_one()
        return self.env["ir.qweb"]._render(
            "cadre_archive.dossier_catalog_sections",
            {"dossier": self, "sections": self._get_catalog_sections()},
        )

    def _set_physical_state(self, state):
        """Move the paper file: in stock, lent or transferred out."""
        self._workflow_write({"state": state})

    # ------------------------------------------------------------------
    # Transfer out (转出): a dossier sent is read-only
    # ------------------------------------------------------------------
    # what still changes on a dossier transferred out: its chatter
    _transferred_writable_fields = frozenset(
        {"message_follower_ids", "message_main_attachment_id", "activity_ids"}
    )

    def _check_not_transferred(self):
        """Refuse any change to dossiers transferred out (转出), their
        materials and scans included, whoever asks: the dossier has left the
        archive. Only the transfer's own methods move its state
        (``_set_transferred``, ``_restore_from_transfer``)."""
        transferred = self.sudo().filtered(lambda d: d.state == "transferred")
        if transferred:
            raise UserError(
                self.env._(
                    "The dossier of %(cadres)s has been transferred out (已转出): "
                    "it is read-only, its materials and scans included.",
                    cadres=", ".join(transferred.employee_id.mapped("name")),
                )
            )

    def _check_transferred_write(self, vals):
        if set(vals) <= self._transferred_writable_fields:
            return
        if self._is_workflow_write() and set(vals) <= {"state"}:
            # the paper file's status, moved by the transfer (or a lending,
            # which only ever starts from a dossier in stock)
            return
        self._check_not_transferred()

    def _set_transferred(self, transfer):
        """The dossiers leave with ``transfer``: transferred out, read-only."""
        self._set_physical_state("transferred")
        for dossier in self:
            dossier._post_note(
                self.env._(
                    "Transferred out to %(partner)s by notice %(transfer)s.",
                    partner=transfer.partner_id.name,
                    transfer=transfer.name,
                )
            )

    def _restore_from_transfer(self, transfer, reason):
        """``transfer`` was undone: the dossiers are in stock again."""
        self._set_physical_state("in_stock")
        for dossier in self:
            dossier._post_note(
                self.env._(
                    "Transfer %(transfer)s undone by %(user)s: %(reason)s. The "
                    "dossier is in stock again.",
                    transfer=transfer.name,
                    user=self.env.user.name,
                    reason=reason,
                )
            )

    def _unit_officers(self):
        """The officers keeping this dossier's unit (and the units above it),
        else the managers of its company: who is told of what the dossier
        needs (one home for the materials, expectations and checks)."""
        self.ensure_one()
        officers = self.env.ref("cadre_archive.group_officer").sudo().all_user_ids
        keeping = officers.filtered(
            lambda u: u.active and u._archive_keeps_unit(self.department_id)
        )
        if keeping:
            return keeping
        return (
            self.env.ref("cadre_archive.group_manager")
            .sudo()
            .all_user_ids.filtered(
                lambda u: u.active and self.company_id in u.company_ids
            )
        )

    # ------------------------------------------------------------------
    # 凡提必审: the promotion checks of the dossier (archive staff only)
    # ------------------------------------------------------------------
    promotion_check_ids = fields.One2many(
        "cadre.archive.promotion.check",
        "dossier_id",
        string="Promotion Checks",
        readonly=True,
        groups="cadre_archive.group_officer",
    )
    promotion_check_count = fields.Integer(
        compute="_compute_promotion_check_count", groups="cadre_archive.group_officer"
    )

    @api.depends("promotion_check_ids")
    def _compute_promotion_check_count(self):
        for dossier in self:
            dossier.promotion_check_count = len(dossier.promotion_check_ids)

    def action_open_promotion_checks(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "cadre_archive.action_cadre_archive_promotion_check"
        )
        action["domain"] = [("dossier_id", "=", self.id)]
        action["context"] = {}
        return action
