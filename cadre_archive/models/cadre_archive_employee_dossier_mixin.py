# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

ARCHIVE_GROUPS = "cadre_archive.group_requester"
OFFICERS = "cadre_archive.group_officer"


class CadreArchiveEmployeeDossierMixin(models.AbstractModel):
    """A cadre's dossier on the employee screens, for archive users only.

    Used by ``hr.employee`` (HR users) and ``hr.employee.public`` (everybody
    else, archive officers included: they do not get Odoo's HR rights). The
    fields carry ``groups=`` so that nobody outside the archive groups, the
    cadre included, even learns whether a dossier exists or how many materials
    it has; inside the groups the values are computed under the user's own
    record rules, so an officer of another unit sees nothing either.
    """

    _name = "cadre.archive.employee.dossier.mixin"
    _description = "Personnel Dossier of an Employee"

    cadre_dossier_id = fields.Many2one(
        "cadre.archive.dossier",
        string="Personnel Dossier",
        compute="_compute_cadre_dossier",
        groups=ARCHIVE_GROUPS,
    )
    cadre_material_count = fields.Integer(
        string="Archive Materials",
        compute="_compute_cadre_dossier",
        groups=ARCHIVE_GROUPS,
    )
    cadre_catalog_html = fields.Html(
        string="Dossier Catalog",
        compute="_compute_cadre_dossier",
        sanitize=False,
        groups=ARCHIVE_GROUPS,
    )

    archive_dossier_candidate = fields.Boolean(
        string="May Get a Dossier Here",
        compute="_compute_archive_dossier_candidate",
        search="_search_archive_dossier_candidate",
        groups=OFFICERS,
        help="Technical: the cadre has no dossier yet and is an employee of the "
        "units the current archive officer keeps (a manager: of their "
        "companies). The cadre picker of a new dossier offers these only.",
    )

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_archive_dossier_candidate(self):
        candidates = self.search(
            [("id", "in", self.ids), ("archive_dossier_candidate", "in", [True])]
        )
        for employee in self:
            employee.archive_dossier_candidate = employee in candidates

    def _search_archive_dossier_candidate(self, operator, value):
        # field groups are not checked on searches through a search method
        self._check_field_access(self._fields["archive_dossier_candidate"], "read")
        if operator != "in" or True not in value:
            return NotImplemented
        domain = Domain("company_id", "in", self.env.companies.ids) & Domain(
            "id", "not in", SQL("SELECT employee_id FROM cadre_archive_dossier")
        )
        user = self.env.user
        if not user.has_group("cadre_archive.group_manager"):
            units = user.sudo().archive_department_ids
            domain &= Domain("department_id", "child_of", units.ids)
        return domain

    @api.depends_context("uid")
    def _compute_cadre_dossier(self):
        dossiers = self.env["cadre.archive.dossier"].search(
            [("employee_id", "in", self.ids)]
        )
        by_employee = {dossier.employee_id.id: dossier for dossier in dossiers}
        empty = self.env["cadre.archive.dossier"]
        for employee in self:
            dossier = by_employee.get(employee.id, empty)
            employee.cadre_dossier_id = dossier
            employee.cadre_material_count = len(dossier.material_ids)
            employee.cadre_catalog_html = (
                dossier._render_catalog_sections_html() if dossier else False
            )

    def action_open_cadre_dossier(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "cadre.archive.dossier",
            "res_id": self.cadre_dossier_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
