# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


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

    _archive_max_days_positive = models.Constraint(
        "CHECK (archive_max_days_online > 0 AND archive_max_days_reading_room > 0 "
        "AND archive_max_days_lend > 0)",
        "The longest consultation periods must be at least one day.",
    )
