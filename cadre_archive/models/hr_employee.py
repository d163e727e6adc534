# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models

DUE_RULE_MODEL = "cadre.archive.due.rule"


class HrEmployee(models.Model):
    """Show a cadre's dossier on the employee, to archive users only."""

    _name = "hr.employee"
    _inherit = ["hr.employee", "cadre.archive.employee.dossier.mixin"]

    def write(self, vals):
        # a new education level (certificate) is an event of the employee
        # itself; the fields of the contract version are watched there
        rules, before = self.env[DUE_RULE_MODEL]._watch(self, vals)
        result = super().write(vals)
        rules._fire(self, before)
        return result
