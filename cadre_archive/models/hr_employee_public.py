# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.tools import SQL


class HrEmployeePublic(models.Model):
    """Lets a requester pick the cadres of a request by name and unit only, and
    shows archive users (officers have no HR rights) the dossier tab.

    Whether a colleague has a dossier is archive data: outside the archive
    groups the field can be neither read nor searched.
    """

    _name = "hr.employee.public"
    _inherit = ["hr.employee.public", "cadre.archive.employee.dossier.mixin"]

    has_cadre_dossier = fields.Boolean(
        compute="_compute_has_cadre_dossier",
        search="_search_has_cadre_dossier",
        groups="cadre_archive.group_requester",
        help="Technical: the cadre has a personnel dossier (name and unit are all "
        "a requester learns of it).",
    )

    def _compute_has_cadre_dossier(self):
        with_dossier = set(
            self.env["cadre.archive.dossier"]
            .sudo()
            .search([("employee_id", "in", self.ids)])
            .employee_id.ids
        )
        for employee in self:
            employee.has_cadre_dossier = employee.id in with_dossier

    def _search_has_cadre_dossier(self, operator, value):
        # field groups are not checked on searches through a search method
        self._check_field_access(self._fields["has_cadre_dossier"], "read")
        if operator != "in" or True not in value:
            return NotImplemented
        # the requester's own dossier and their relatives' are never offered
        return [
            (
                "id",
                "in",
                SQL(
                    """
                    SELECT d.employee_id FROM cadre_archive_dossier d
                      JOIN hr_employee e ON e.id = d.employee_id
                     WHERE e.user_id IS DISTINCT FROM %(uid)s
                       AND NOT EXISTS (
                           SELECT 1 FROM cadre_archive_dossier_relative r
                             JOIN hr_employee re ON re.id = r.employee_id
                            WHERE r.dossier_id = d.id AND re.user_id = %(uid)s)
                    """,
                    uid=self.env.uid,
                ),
            )
        ]
