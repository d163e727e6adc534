# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..lib import transfer as transfer_lib


class CadreArchiveTransferLine(models.Model):
    """One dossier of a transfer notice: its archive number, the cadre, the
    counts of materials and pages (正本/副本).

    Transfer out: counted by the archive when sending (nobody edits them).
    Transfer in: entered from the sender's notice while the transfer is a
    draft (the declared counts); the dossier and cadre are set on receipt.
    """

    _name = "cadre.archive.transfer.line"
    _description = "Dossier Transfer Line"
    _inherit = ["cadre.archive.workflow.mixin"]
    _order = "transfer_id, id"

    _protected_fields = frozenset({"transfer_id", "dossier_id", "employee_id"})

    def _protected_values_allowed(self, vals):
        # a new line names its transfer (checked: a draft transfer in)
        return {"transfer_id"} if not self else set()

    transfer_id = fields.Many2one(
        "cadre.archive.transfer", required=True, index=True, ondelete="cascade"
    )
    direction = fields.Selection(related="transfer_id.direction")
    company_id = fields.Many2one(
        related="transfer_id.company_id", store=True, index=True
    )
    dossier_id = fields.Many2one(
        "cadre.archive.dossier", readonly=True, index=True, ondelete="restrict"
    )
    employee_id = fields.Many2one(
        "hr.employee", string="Cadre Matched", readonly=True, ondelete="restrict"
    )
    archive_number = fields.Char(
        help="The archive number of the dossier (for a transfer in: the sender's)."
    )
    cadre_name = fields.Char(string="Cadre", required=True)
    cadre_id_number = fields.Char(
        string="Cadre's ID Number",
        groups="cadre_archive.group_officer",
        help="Transfer in: matches the cadre among the company's employees.",
    )
    copy_type = fields.Selection(
        [("original", "Original (正本)"), ("duplicate", "Duplicate (副本)")],
        string="Original / Duplicate",
        default="original",
        required=True,
    )
    original_count = fields.Integer(string="Original: Materials")
    original_pages = fields.Integer(string="Original: Pages")
    duplicate_count = fields.Integer(string="Duplicate: Materials")
    duplicate_pages = fields.Integer(string="Duplicate: Pages")
    item_ids = fields.One2many(
        "cadre.archive.transfer.item", "line_id", string="Materials"
    )
    count_difference = fields.Char(
        string="Declared vs Received",
        compute="_compute_count_difference",
        help="Where the materials or pages received differ from the counts on "
        "the sender's notice.",
    )

    @api.depends(
        "item_ids.kind",
        "item_ids.state",
        "item_ids.page_count",
        "original_count",
        "original_pages",
        "duplicate_count",
        "duplicate_pages",
    )
    def _compute_count_difference(self):
        for line in self:
            if line.direction != "in":
                line.count_difference = False
                continue
            differences = transfer_lib.declared_differences(
                line._declared_counts(), line.item_ids._check_summary()
            )
            line.count_difference = "; ".join(
                line._difference_text(key, declared, received)
                for key, (declared, received) in sorted(differences.items())
            )

    def _difference_text(self, key, declared, received):
        if key == "count":
            return self.env._(
                "%(declared)s materials declared, %(received)s received",
                declared=declared,
                received=received,
            )
        return self.env._(
            "%(declared)s pages declared, %(received)s received",
            declared=declared,
            received=received,
        )

    def _declared_counts(self):
        self.ensure_one()
        return transfer_lib.CopyCounts(
            original_count=self.original_count,
            original_pages=self.original_pages,
            duplicate_count=self.duplicate_count,
            duplicate_pages=self.duplicate_pages,
        )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_protected_vals(vals_list)
        transfers = self.env["cadre.archive.transfer"].browse(
            {vals["transfer_id"] for vals in vals_list if vals.get("transfer_id")}
        )
        transfers._check_lines_editable(self._is_workflow_write())
        return super().create(vals_list)

    def write(self, vals):
        self._check_protected_vals([vals])
        self.transfer_id._check_lines_editable(self._is_workflow_write())
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_draft_in(self):
        self.transfer_id._check_lines_editable(False)

    def _discrepancy_texts(self):
        """One sentence per discrepancy of this dossier (missing, extra,
        counts)."""
        self.ensure_one()
        texts = []
        for item in self.item_ids:
            if item.kind == "extra":
                texts.append(
                    self.env._(
                        "%(cadre)s: %(material)s received but not on the notice.",
                        cadre=self.cadre_name,
                        material=item._label(),
                    )
                )
            elif item.state == "missing":
                texts.append(
                    self.env._(
                        "%(cadre)s: %(material)s is on the notice but missing.",
                        cadre=self.cadre_name,
                        material=item._label(),
                    )
                )
        if self.count_difference:
            texts.append(f"{self.cadre_name}: {self.count_difference}")
        return texts

    # ------------------------------------------------------------------
    # Taking a received dossier in
    # ------------------------------------------------------------------
    def _take_in(self):
        """Match or create the cadre, create the dossier in the receiving unit,
        file the materials received."""
        self.ensure_one()
        employee = self._match_cadre() or self._create_cadre()
        dossier = self._create_dossier(employee)
        self._workflow_write({"employee_id": employee.id, "dossier_id": dossier.id})
        self.item_ids._create_materials(dossier)
        dossier._post_note(
            self.env._(
                "Dossier received from %(partner)s (transfer %(transfer)s, the "
                "sender's archive number %(number)s).",
                partner=self.transfer_id.partner_id.name,
                transfer=self.transfer_id.name,
                number=self.archive_number or "-",
            )
        )

    def _match_cadre(self):
        """The company's employee this line names: by ID number when the notice
        gives one (the name must agree), else by a name only one employee has.
        Read as the system (officers have no HR rights); only the match is
        used."""
        self.ensure_one()
        employees = self.env["hr.employee"].sudo().with_context(active_test=False)
        company = self.transfer_id.company_id
        number = transfer_lib.normalize_id_number(self.sudo().cadre_id_number)
        if number:
            found = employees.search(
                [
                    ("company_id", "in", [company.id, False]),
                    ("identification_id", "=ilike", number),
                ]
            )
            if found and transfer_lib.normalize_name(
                found[0].name
            ) != transfer_lib.normalize_name(self.cadre_name):
                raise UserError(
                    self.env._(
                        "The ID number of %(cadre)s belongs to another employee "
                        "of the company: check the notice.",
                        cadre=self.cadre_name,
                    )
                )
        else:
            found = employees.search(
                [
                    ("company_id", "in", [company.id, False]),
                    ("name", "=", self.cadre_name.strip()),
                ]
            )
            if len(found) > 1:
                raise UserError(
                    self.env._(
                        "Several employees are named %(cadre)s: give the cadre's "
                        "ID number to tell them apart.",
                        cadre=self.cadre_name,
                    )
                )
        employee = found[:1]
        if employee:
            self._check_no_dossier_yet(employee)
        return employee

    def _check_no_dossier_yet(self, employee):
        dossier = (
            self.env["cadre.archive.dossier"]
            .sudo()
            .search([("employee_id", "=", employee.id)], limit=1)
        )
        if dossier:
            raise UserError(
                self.env._(
                    "%(cadre)s already has a dossier here (%(dossier)s): a cadre "
                    "has exactly one dossier. Complete that dossier with the "
                    "materials received instead.",
                    cadre=employee.name,
                    dossier=dossier.name,
                )
            )

    def _create_cadre(self):
        """A new employee in the receiving unit, with the notice's name and ID
        number only (made by the system: officers have no HR rights; the
        officer keeps the receiving unit, checked before)."""
        self.ensure_one()
        transfer = self.transfer_id
        return (
            self.env["hr.employee"]
            .sudo()
            .create(
                {
                    "name": self.cadre_name.strip(),
                    "identification_id": transfer_lib.normalize_id_number(
                        self.sudo().cadre_id_number
                    )
                    or False,
                    "department_id": transfer.department_id.id,
                    "company_id": transfer.company_id.id,
                }
            )
        )

    def _create_dossier(self, employee):
        """The dossier, in the receiving unit, created as the receiving officer
        (the record rules check they keep the unit)."""
        transfer = self.transfer_id
        return self.env["cadre.archive.dossier"].create(
            {
                "employee_id": employee.id,
                "department_id": transfer.department_id.id,
                "company_id": transfer.company_id.id,
                "copy_type": self.copy_type,
            }
        )
