# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError


class CadreArchiveMissingCheck(models.TransientModel):
    """Check a unit's dossiers for missing materials, and print what they lack."""

    _name = "cadre.archive.missing.check"
    _description = "Missing Materials of a Unit"

    department_id = fields.Many2one(
        "hr.department",
        string="Unit",
        required=True,
        help="The dossiers kept in this unit and the units below it, among those "
        "you keep.",
    )
    dossier_count = fields.Integer(compute="_compute_dossier_count")

    @api.depends("department_id")
    def _compute_dossier_count(self):
        for wizard in self:
            wizard.dossier_count = len(wizard._dossiers())

    def _dossiers(self):
        """The unit's dossiers the user keeps (their record rules apply)."""
        self.ensure_one()
        if not self.department_id:
            return self.env["cadre.archive.dossier"]
        dossiers = self.env["cadre.archive.dossier"].search(
            [("department_id", "child_of", self.department_id.id)]
        )
        return dossiers._filtered_access("write")

    def _dossiers_or_fail(self):
        dossiers = self._dossiers()
        if not dossiers:
            raise UserError(
                self.env._(
                    "You keep no dossier of %(unit)s.", unit=self.department_id.name
                )
            )
        return dossiers

    def action_check(self):
        self.ensure_one()
        return self._dossiers_or_fail().action_check_missing()

    def action_print_pdf(self):
        self.ensure_one()
        return self.env.ref("cadre_archive.action_report_missing").report_action(
            self._dossiers_or_fail()
        )

    def action_print_xlsx(self):
        self.ensure_one()
        return self.env.ref("cadre_archive.action_report_missing_xlsx").report_action(
            self._dossiers_or_fail()
        )
