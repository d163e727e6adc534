# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.base.models.res_partner import _tz_get

from ..lib import assessment, networks, period, quality, scans
from ..lib import audit as audit_lib
from ..tools import lib_errors
from .cadre_archive_audit import GRADES as AUDIT_GRADES

DEFAULT_ARCHIVE_TZ = "Asia/Shanghai"


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

    archive_tz = fields.Selection(
        _tz_get,
        string="Archive Time Zone",
        default=DEFAULT_ARCHIVE_TZ,
        help="Approved consultation periods open at 00:00 of their first day and "
        "close at 24:00 of their last day in this time zone, whatever the "
        "requester's own time zone.",
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

    archive_max_page_pixels = fields.Integer(
        string="Most Pixels per Scanned Page",
        default=scans.DEFAULT_MAX_PIXELS,
        help="A page (a PDF page at the viewing resolution) with more pixels is "
        "refused before it is decoded.",
    )
    archive_max_pages = fields.Integer(
        string="Most Pages per Scan File", default=scans.DEFAULT_MAX_PAGES
    )
    archive_max_total_pixels = fields.Integer(
        string="Most Pixels per Scan File",
        default=scans.DEFAULT_MAX_TOTAL_PIXELS,
        help="All the pages of one file together: bounds the time to check and "
        "recognise it.",
    )

    # --- The readers of a consultation (查阅人), checked at submission ---
    archive_min_readers = fields.Integer(
        string="Fewest Readers per Request",
        default=2,
        help="A request names at least this many readers (查阅人): dossiers are "
        "commonly consulted by two people together.",
    )
    archive_readers_party_members = fields.Boolean(
        string="Readers Must Be Party Members",
        default=True,
        help="Every reader named on a request is a member or probationary member "
        "of the Communist Party of China (中共党员).",
    )

    # --- Transfers (转递) ---
    archive_transfer_receipt_months = fields.Integer(
        string="Receipt Due Within (months)",
        default=1,
        help="The receipt (回执) of a dossier transfer is due back within this "
        "many months of sending; after that the sending officer is reminded.",
    )

    def _archive_decode_limits(self):
        """What decoding one scan of this company may cost, for ``lib.scans``."""
        self.ensure_one()
        return scans.DecodeLimits(
            max_page_pixels=self.archive_max_page_pixels or scans.DEFAULT_MAX_PIXELS,
            max_pages=self.archive_max_pages or scans.DEFAULT_MAX_PAGES,
            max_total_pixels=self.archive_max_total_pixels
            or scans.DEFAULT_MAX_TOTAL_PIXELS,
        )

    def _archive_tz(self):
        """The archive's time zone name (the shipped default when unset)."""
        self.ensure_one()
        return self.archive_tz or DEFAULT_ARCHIVE_TZ

    def _archive_today(self):
        """Today's date in the archive's time zone."""
        self.ensure_one()
        return period.today_in(self._archive_tz())

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
    _archive_decode_limits_positive = models.Constraint(
        "CHECK (archive_max_page_pixels > 0 AND archive_max_pages > 0 "
        "AND archive_max_total_pixels > 0)",
        "The decoding limits of scans must be at least 1.",
    )
    _archive_max_days_positive = models.Constraint(
        "CHECK (archive_max_days_online > 0 AND archive_max_days_reading_room > 0 "
        "AND archive_max_days_lend > 0)",
        "The longest consultation periods must be at least one day.",
    )

    # ------------------------------------------------------------------
    # The reading room's workstations (reading-room requests)
    # ------------------------------------------------------------------
    archive_reading_room_networks = fields.Text(
        string="Reading-Room Workstations",
        groups="base.group_system",
        help="Addresses and address ranges (CIDR) of the reading room's "
        "workstations, separated by commas, e.g. 10.1.2.0/24, 192.168.5.17. "
        "A reading-room request opens its materials only on these. Empty: on "
        "no computer at all. Odoo sees the address of the computer connecting "
        "to it: behind a reverse proxy, run Odoo with proxy_mode and have the "
        "proxy set X-Forwarded-For and X-Forwarded-Host, else every client "
        "has the proxy's address.",
    )

    @api.constrains("archive_reading_room_networks")
    def _check_archive_reading_room_networks(self):
        for company in self:
            company._archive_reading_room_ranges()

    def _archive_reading_room_ranges(self):
        """The ranges of the reading room's workstations (ValidationError
        when the setting is not a list of ranges)."""
        self.ensure_one()
        with lib_errors(self.env, ValidationError):
            return networks.parse_networks(self.sudo().archive_reading_room_networks)

    def _archive_in_reading_room(self, address):
        """Whether ``address`` (the HTTP client's, or None) is one of the
        reading room's workstations; a bad setting admits nobody."""
        self.ensure_one()
        try:
            ranges = self._archive_reading_room_ranges()
        except ValidationError:
            return False
        return networks.address_in(address, ranges)

    _archive_min_readers_positive = models.Constraint(
        "CHECK (archive_min_readers > 0)",
        "A request names at least one reader.",
    )

    _archive_transfer_receipt_months_positive = models.Constraint(
        "CHECK (archive_transfer_receipt_months > 0)",
        "The receipt of a transfer is due within at least one month.",
    )
    # grading of the special audit (专项审核)
    archive_audit_excellent_min = fields.Integer(
        string="Audit Score for Excellent (优秀)",
        default=audit_lib.Grading.excellent_min,
    )
    archive_audit_pass_min = fields.Integer(
        string="Audit Score to Pass (合格)", default=audit_lib.Grading.pass_min
    )

    @api.constrains("archive_audit_excellent_min", "archive_audit_pass_min")
    def _check_archive_audit_grading(self):
        for company in self:
            if not (
                0
                <= company.archive_audit_pass_min
                <= company.archive_audit_excellent_min
                <= audit_lib.FULL_SCORE
            ):
                raise ValidationError(
                    self.env._(
                        "The audit score to pass is at most the score for "
                        "excellent, both between 0 and 100."
                    )
                )

    def _archive_audit_grading(self):
        self.ensure_one()
        return audit_lib.Grading(
            excellent_min=self.archive_audit_excellent_min,
            pass_min=self.archive_audit_pass_min,
        )

    # --- The assessment and training of the archive staff (考核评估) ---
    archive_grade_excellent = fields.Float(
        string="Excellent (优秀) from",
        default=assessment.DEFAULT_THRESHOLDS[0],
        help="The lowest score graded excellent (优秀).",
    )
    archive_grade_good = fields.Float(
        string="Good (良好) from",
        default=assessment.DEFAULT_THRESHOLDS[1],
        help="The lowest score graded good (良好).",
    )
    archive_grade_pass = fields.Float(
        string="Pass (合格) from",
        default=assessment.DEFAULT_THRESHOLDS[2],
        help="The lowest score graded pass (合格); below it: to improve (待改进).",
    )
    archive_training_min_hours = fields.Float(
        string="Training Hours per Year",
        default=72.0,
        help="The training hours each archive officer should reach in a "
        "calendar year; below them, the officer is reminded.",
    )
    archive_training_check_month = fields.Integer(
        string="Remind from Month",
        default=10,
        help="From this month of the year (1-12), officers short of their "
        "yearly training hours are reminded, once a month at most.",
    )

    _archive_training_check_month_range = models.Constraint(
        "CHECK (archive_training_check_month BETWEEN 1 AND 12)",
        "The month of the training reminder is from 1 to 12.",
    )
    _archive_training_min_hours_positive = models.Constraint(
        "CHECK (archive_training_min_hours >= 0)",
        "The yearly training hours cannot be negative.",
    )

    @api.constrains(
        "archive_grade_excellent", "archive_grade_good", "archive_grade_pass"
    )
    def _check_archive_grade_thresholds(self):
        for company in self:
            with lib_errors(self.env, ValidationError):
                assessment.check_thresholds(company._archive_grade_thresholds())

    def _archive_grade_thresholds(self):
        self.ensure_one()
        return (
            self.archive_grade_excellent,
            self.archive_grade_good,
            self.archive_grade_pass,
        )

    # --- 凡提必审: no promotion without an audit ---
    archive_promotion_audit_months = fields.Integer(
        string="Audit Valid for (months)",
        default=12,
        help="凡提必审: a new post or rank of a cadre needs a done special audit "
        "(专项审核) of their dossier from this many months back at most "
        "(exactly that many months still counts).",
    )
    archive_promotion_audit_min_grade = fields.Selection(
        AUDIT_GRADES,
        string="Lowest Audit Grade for a Promotion",
        default="pass",
        required=True,
        help="The latest audit within the months above must have this grade or "
        "a better one.",
    )
    archive_promotion_audit_blocking = fields.Boolean(
        string="Refuse Promotions without an Audit",
        help="On: HR cannot record a new post or rank of a cadre whose dossier "
        "has no recent passing audit (the change is refused with the reason). "
        "Off: the change is recorded and flagged on the employee. Either way "
        "an audit is opened and the unit's officers are told.",
    )

    _archive_promotion_audit_months_positive = models.Constraint(
        "CHECK (archive_promotion_audit_months > 0)",
        "An audit is valid for at least one month.",
    )
