# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    archive_max_days_online = fields.Integer(
        related="company_id.archive_max_days_online", readonly=False
    )
    archive_max_days_reading_room = fields.Integer(
        related="company_id.archive_max_days_reading_room", readonly=False
    )
    archive_max_days_lend = fields.Integer(
        related="company_id.archive_max_days_lend", readonly=False
    )
    archive_approver_ids = fields.Many2many(
        related="company_id.archive_approver_ids", readonly=False
    )
    archive_min_dpi = fields.Integer(
        related="company_id.archive_min_dpi", readonly=False
    )
    archive_recommended_dpi = fields.Integer(
        related="company_id.archive_recommended_dpi", readonly=False
    )
    archive_colour_required = fields.Boolean(
        related="company_id.archive_colour_required", readonly=False
    )
    archive_tz = fields.Selection(related="company_id.archive_tz", readonly=False)
    archive_max_page_pixels = fields.Integer(
        related="company_id.archive_max_page_pixels", readonly=False
    )
    archive_max_pages = fields.Integer(
        related="company_id.archive_max_pages", readonly=False
    )
    archive_max_total_pixels = fields.Integer(
        related="company_id.archive_max_total_pixels", readonly=False
    )
    # --- reading room
    archive_reading_room_networks = fields.Text(
        related="company_id.archive_reading_room_networks", readonly=False
    )
    # the readers of a consultation (查阅人)
    archive_min_readers = fields.Integer(
        related="company_id.archive_min_readers", readonly=False
    )
    archive_readers_party_members = fields.Boolean(
        related="company_id.archive_readers_party_members", readonly=False
    )
    # transfers (转递)
    archive_transfer_receipt_months = fields.Integer(
        related="company_id.archive_transfer_receipt_months", readonly=False
    )

    # grading of the special audit (专项审核)
    archive_audit_excellent_min = fields.Integer(
        related="company_id.archive_audit_excellent_min", readonly=False
    )
    archive_audit_pass_min = fields.Integer(
        related="company_id.archive_audit_pass_min", readonly=False
    )
    # the assessment and training of the archive staff
    archive_grade_excellent = fields.Float(
        related="company_id.archive_grade_excellent", readonly=False
    )
    archive_grade_good = fields.Float(
        related="company_id.archive_grade_good", readonly=False
    )
    archive_grade_pass = fields.Float(
        related="company_id.archive_grade_pass", readonly=False
    )
    archive_training_min_hours = fields.Float(
        related="company_id.archive_training_min_hours", readonly=False
    )
    archive_training_check_month = fields.Integer(
        related="company_id.archive_training_check_month", readonly=False
    )
    # 凡提必审: no promotion without an audit
    archive_promotion_audit_months = fields.Integer(
        related="company_id.archive_promotion_audit_months", readonly=False
    )
    archive_promotion_audit_min_grade = fields.Selection(
        related="company_id.archive_promotion_audit_min_grade", readonly=False
    )
    archive_promotion_audit_blocking = fields.Boolean(
        related="company_id.archive_promotion_audit_blocking", readonly=False
    )
