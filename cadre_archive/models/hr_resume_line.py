# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models

DUE_RULE_MODEL = "cadre.archive.due.rule"


class HrResumeLine(models.Model):
    """Resume lines record a cadre's titles, awards, sanctions and annual
    assessments (by their type): recording one makes its material due."""

    _inherit = "hr.resume.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        self.env[DUE_RULE_MODEL]._fire_after_create(lines)
        return lines

    def write(self, vals):
        rules, before = self.env[DUE_RULE_MODEL]._watch(self, vals)
        result = super().write(vals)
        rules._fire(self, before)
        return result

    def _archive_due_previous_values(self, rules):
        """A new resume line is an event in itself."""
        return {}
