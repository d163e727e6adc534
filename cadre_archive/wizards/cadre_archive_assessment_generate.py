# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

from ..lib import assessment
from ..models.cadre_archive_assessment import PERIOD_KINDS


class CadreArchiveAssessmentGenerate(models.TransientModel):
    """Assess the chosen officers over one period at once: the missing
    assessments are created, the drafts computed, and the ranking opens."""

    _name = "cadre.archive.assessment.generate"
    _description = "Assess the Archive Staff over a Period"

    period_kind = fields.Selection(
        PERIOD_KINDS, string="Period", required=True, default="month"
    )
    date = fields.Date(
        string="A Day of the Period",
        required=True,
        default=lambda self: self.env.company._archive_today(),
    )
    user_ids = fields.Many2many(
        "res.users",
        string="Officers",
        default=lambda self: self._default_officers(),
        domain=lambda self: self.env["cadre.archive.assessment"]._officer_domain(),
    )

    @api.model
    def _default_officers(self):
        return self.env["res.users"].search(
            self.env["cadre.archive.assessment"]._officer_domain()
            + [("company_ids", "in", self.env.company.id)]
        )

    def action_generate(self):
        self.ensure_one()
        assessments = self.env["cadre.archive.assessment"]
        assessments._check_manager()
        start, _end = assessment.period_bounds(self.period_kind, self.date)
        found = assessments.search(
            [
                ("period_kind", "=", self.period_kind),
                ("date_start", "=", start),
                ("user_id", "in", self.user_ids.ids),
            ]
        )
        missing = self.user_ids - found.user_id
        created = assessments.create(
            [
                {
                    "user_id": user.id,
                    "period_kind": self.period_kind,
                    "date_start": start,
                    "company_id": self.env.company.id,
                }
                for user in missing
            ]
        )
        everyone = found | created
        everyone.filtered(lambda a: a.state == "draft").action_compute()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "cadre_archive.action_cadre_archive_assessment_ranking"
        )
        action["domain"] = [("id", "in", everyone.ids)]
        return action
