# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

from ..lib import quality


class ResCompany(models.Model):
    _inherit = "res.company"

    archive_max_days_online = fields.Integer(
        string="Longest Online Consultation (days)", default=3
    )
    archive_max_days_reading_room = fields.Integer(
        string="Longest Reading-Room Consultation (days)", default=1
    )
    archive_max_days_lend = fields.Integer(
        string="Longest Paper Lending (days)", default=7
    )
    archive_approver_ids = fields.Many2many(
        "res.users",
        "cadre_archive_company_approver_rel",
        "company_id",
        "user_id",
        string="Request Approvers",
        help="Who approves consultation requests. Empty: every archive manager "
        "of the company.",
    )

    archive_min_dpi = fields.Integer(
        string="Minimum Scan Resolution (dpi)", default=200
    )
    archive_recommended_dpi = fields.Integer(
        string="Recommended Scan Resolution (dpi)", default=300
    )
    archive_colour_required = fields.Boolean(
        string="Scans Must Be in Colour",
        help="Red headers, seals and photos need colour scans.",
    )

    def _archive_quality_rules(self):
        """The scan quality rules of this company, for ``lib.quality``."""
        self.ensure_one()
        return quality.QualityRules(
            min_dpi=self.archive_min_dpi or 200,
            recommended_dpi=self.archive_recommended_dpi or 300,
            colour_required=self.archive_colour_required,
            # a page holding only a title or a signature is not blank
            blank_ink_ratio=0.0003,
        )

    _archive_dpi_order = models.Constraint(
        "CHECK (archive_min_dpi > 0 AND archive_recommended_dpi >= archive_min_dpi)",
        "The recommended scan resolution must be at least the minimum resolution.",
    )
    _archive_max_days_positive = models.Constraint(
        "CHECK (archive_max_days_online > 0 AND archive_max_days_reading_room > 0 "
        "AND archive_max_days_lend > 0)",
        "The longest consultation periods must be at least one day.",
    )
