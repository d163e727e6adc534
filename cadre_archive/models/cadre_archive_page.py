# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.queue_job.job import identity_exact

from ..lib import ocr
from ..lib.errors import ArchiveLibError
from ..tools.constants import MATERIAL_MODEL, PAGE_OCR_STATES, QUALITY_STATES

# failures that a retry cannot mend: the job records them instead of retrying
PERMANENT_OCR_ERRORS = frozenset(
    {
        "tesseract_missing",
        "language_missing",
        "unreadable",
        "truncated",
        "too_many_pages",
        "page_too_large",
        "too_many_total_pixels",
        "too_many_pixels",
        "bad_page",
    }
)


class CadreArchivePage(models.Model):
    """One page of a scan: its quality checks and its recognised text.

    Pages are derived data, made by the addon when a scan is uploaded: which
    scan, which material and which page a record describes, and what the checks
    and OCR found, are set by the upload pipeline and the OCR jobs only. The
    recognised text stays correctable by whoever may write the page.
    """

    _name = "cadre.archive.page"
    _description = "Scanned Page"
    _inherit = ["cadre.archive.workflow.mixin"]
    # by scan in upload order, then page: ``attachment_id`` alone would sort by
    # ir.attachment's own order, newest scan first
    _order = "material_id, attachment_id.id, page_number"
    _protected_fields = frozenset(
        {
            "attachment_id",
            "material_id",
            "page_number",
            "width",
            "height",
            "dpi",
            "is_colour",
            "ink_ratio",
            "skew_degrees",
            "quality_state",
            "quality_issues",
            "ocr_state",
            "ocr_error",
        }
    )

    attachment_id = fields.Many2one(
        "ir.attachment", string="Scan", required=True, index=True, ondelete="cascade"
    )
    material_id = fields.Many2one(
        "cadre.archive.material", required=True, index=True, ondelete="cascade"
    )
    department_id = fields.Many2one(
        related="material_id.department_id", store=True, index=True
    )
    company_id = fields.Many2one(related="material_id.company_id", store=True)
    page_number = fields.Integer(
        string="Page in Scan",
        required=True,
        help="The page's number within its scan file (1 for a single image).",
    )
    material_page_number = fields.Integer(
        compute="_compute_material_page_number",
        compute_sudo=True,
        string="Page",
        help="页码: the page's number in its material, counting the pages of "
        "its current scans in upload order (none for a page of a scan that a "
        "rescan replaced).",
    )
    width = fields.Integer()
    height = fields.Integer()
    dpi = fields.Float(string="DPI")
    is_colour = fields.Boolean(string="Colour")
    ink_ratio = fields.Float(digits=(6, 4))
    skew_degrees = fields.Float(string="Skew (°)", digits=(4, 2))
    quality_state = fields.Selection(QUALITY_STATES, string="Quality", index=True)
    quality_issues = fields.Char(help="Issue codes found by the quality checks.")
    quality_summary = fields.Char(compute="_compute_quality_summary", string="Issues")
    ocr_state = fields.Selection(
        PAGE_OCR_STATES, string="OCR", default="pending", required=True, index=True
    )
    ocr_text = fields.Text(string="Recognised Text")
    ocr_error = fields.Char(string="OCR Error")

    _page_uniq = models.Constraint(
        "unique (attachment_id, page_number)",
        "A page of a scan is recorded once.",
    )
    _page_number_positive = models.Constraint(
        "CHECK (page_number > 0)",
        "Pages are numbered from 1.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_protected_vals(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_protected_vals([vals])
        return super().write(vals)

    @api.depends(
        "material_id.page_ids",
        "page_number",
        "attachment_id.archive_superseded_by_id",
    )
    def _compute_material_page_number(self):
        positions = {}
        for material in self.material_id:
            current = material._current_pages().sorted(
                lambda p: (p.attachment_id.id, p.page_number)
            )
            positions.update(
                {page.id: number for number, page in enumerate(current, start=1)}
            )
        for page in self:
            page.material_page_number = positions.get(page.id, 0)

    @api.depends("quality_issues")
    def _compute_quality_summary(self):
        labels = self._quality_issue_labels()
        for page in self:
            codes = (page.quality_issues or "").split(",")
            page.quality_summary = ", ".join(
                labels.get(code, code) for code in codes if code
            )

    def _quality_issue_labels(self):
        return {
            "low_dpi": self.env._("resolution below the minimum"),
            "below_recommended_dpi": self.env._("resolution below the recommended"),
            "no_dpi": self.env._("no resolution recorded"),
            "blank": self.env._("blank page"),
            "skewed": self.env._("skewed"),
            "not_colour": self.env._("not in colour"),
            "too_large": self.env._("image too large"),
        }

    @api.model
    def _values_from_quality(self, quality):
        """Field values of a page from a ``lib.quality.PageQuality``."""
        return {
            "page_number": quality.page,
            "width": quality.width,
            "height": quality.height,
            "dpi": quality.dpi or 0.0,
            "is_colour": quality.is_colour,
            "ink_ratio": quality.ink_ratio,
            "skew_degrees": quality.skew_degrees or 0.0,
            "quality_state": quality.state,
            "quality_issues": ",".join(quality.issues),
        }

    # ------------------------------------------------------------------
    # OCR in background jobs
    # ------------------------------------------------------------------
    def _queue_ocr(self):
        """Queue one OCR job per page (on the channel of the job function).

        The pages are marked queued first: where the jobs run at once
        (queue_job's ``queue_job__no_delay``), their result is the last word.
        """
        self._workflow_write({"ocr_state": "queued", "ocr_error": False})
        for page in self:
            page.with_delay(
                max_retries=5,
                identity_key=identity_exact,
                description=self.env._(
                    "OCR of page %(page)s of %(material)s",
                    page=page.page_number,
                    material=page.material_id.display_name,
                ),
            )._run_ocr()

    def _own_scan(self):
        """The scan this page belongs to, only if it is a scan of its material."""
        self.ensure_one()
        scan = self.sudo().attachment_id
        if (
            scan.res_model != MATERIAL_MODEL
            or scan.res_id != self.sudo().material_id.id
        ):
            raise UserError(
                self.env._(
                    "This page record does not belong to a scan of its material."
                )
            )
        return scan

    def _run_ocr(self):
        """Job: recognise the text of this page (Chinese and English)."""
        self.ensure_one()
        data = self._own_scan().raw
        limits = self.sudo().material_id.company_id._archive_decode_limits()
        try:
            text = ocr.ocr_page(data, self.page_number, limits=limits)
        except ArchiveLibError as error:
            if error.code in PERMANENT_OCR_ERRORS:
                self._workflow_write({"ocr_state": "failed", "ocr_error": error.code})
                return False
            raise  # timeouts and failures are retried by queue_job
        self._workflow_write(
            {"ocr_state": "done", "ocr_text": text, "ocr_error": False}
        )
        self.material_id._queue_compose_ocr_text(self)
        return True
