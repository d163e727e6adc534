# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain

from odoo.addons.queue_job.job import identity_exact

from ..lib import (
    integrity,
    numbering,
    pages,
    partial_date,
    scans,
    snippets,
    suggest,
    watermark,
)
from ..lib.errors import ArchiveLibError
from ..tools import lib_error_message, lib_errors
from ..tools.constants import MATERIAL_OCR_STATES, QUALITY_STATES
from .cadre_archive_workflow_mixin import RENUMBER_SENTINEL
from .ir_attachment import FILED_INTAKE_KEY, FiledScanIntake

_logger = logging.getLogger(__name__)


class DamagedScan(UserError):
    """A scan gone from the file store or altered since its upload: refused
    rather than shown. ``status`` is what the viewer answers (410 Gone for a
    missing file, 409 Conflict for an altered one)."""

    def __init__(self, message, verdict):
        super().__init__(message)
        self.verdict = verdict
        self.status = 410 if verdict == "missing" else 409


class CadreArchiveMaterial(models.Model):
    """A material (材料) filed in a dossier, numbered 类号-顺序号.

    Filed materials are evidence (干部人事档案材料不得涂改、抽取、撤换): once
    ``action_file`` has run, nobody, superuser included, may change their
    content, their scans or their existence. Corrections are new materials.
    Only derived data (OCR text) and the chatter stay writable.
    """

    _name = "cadre.archive.material"
    _description = "Archive Material"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "cadre.archive.workflow.mixin",
        "cadre.archive.request.access.mixin",
    ]
    _order = "dossier_id, category_sequence, sequence_number, id"
    _request_access_target = "material"
    _check_company_auto = True

    # Fields set by the system only (numbering, filing), never by a client.
    _protected_fields = frozenset(
        {
            "state",
            "sequence_number",
            "code",
            "filed_date",
            "filed_uid",
            "check_method",
            "check_ids",
        }
    )
    # Fields that stay writable once a material is filed: derived data and the
    # chatter, never the material's content.
    _filed_writable_fields = frozenset(
        {
            "ocr_text",
            "message_follower_ids",
            "message_main_attachment_id",
            "activity_ids",
            "page_ids",
        }
    )

    name = fields.Char(string="Title", required=True, tracking=True, index="trigram")
    dossier_id = fields.Many2one(
        "cadre.archive.dossier",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
        check_company=True,
    )
    employee_id = fields.Many2one(related="dossier_id.employee_id", string="Cadre")
    department_id = fields.Many2one(
        related="dossier_id.department_id", store=True, index=True, string="Unit"
    )
    company_id = fields.Many2one(
        related="dossier_id.company_id", store=True, index=True
    )
    category_id = fields.Many2one(
        "cadre.archive.category",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
        domain="[('is_leaf', '=', True)]",
    )
    category_sequence = fields.Integer(
        related="category_id.sequence", store=True, string="Category Sequence"
    )
    sequence_number = fields.Integer(
        string="Sequence No.",
        readonly=True,
        copy=False,
        help="顺序号: the material's number within its category in this dossier, "
        "given when the material is filed (a draft has none), or kept as "
        "written on the paper when an existing catalog is imported.",
    )
    code = fields.Char(
        string="Material Number",
        compute="_compute_code",
        store=True,
        index=True,
        help="类号-顺序号, e.g. 4-1-3: the third material of category 4-1.",
    )
    date = fields.Date(
        string="Formation Date",
        tracking=True,
        help="The first day of the formation date; see Date Precision for "
        "materials dated only to the month or year.",
    )
    date_precision = fields.Selection(
        [("day", "Day"), ("month", "Month"), ("year", "Year")],
        default="day",
        required=True,
        tracking=True,
    )
    date_input = fields.Char(
        string="Formed On",
        compute="_compute_date_input",
        inverse="_inverse_date_input",
        help="Formation date (形成时间) as written on the material: 1985.03.12, "
        "1985.03 or 1985 when the day or month is unknown; 1985年3月 works too.",
    )
    page_count = fields.Integer(string="Pages", default=1, tracking=True)
    remarks = fields.Char(tracking=True)
    original_kind = fields.Selection(
        [("original", "Original"), ("copy", "Copy")],
        string="Original or Copy",
        default="original",
        required=True,
        tracking=True,
        help="Originals are filed; a copy (复印件) only where the original "
        "cannot be, with its copy date and the copying unit.",
    )
    copy_date = fields.Date(tracking=True)
    copy_unit = fields.Char(
        string="Copying Unit",
        tracking=True,
        help="The unit that made the copy and sealed it.",
    )
    check_method = fields.Selection(
        [("checklist", "Checked at Filing"), ("paper", "Checked on Paper")],
        readonly=True,
        copy=False,
        help="How the material was checked before filing (鉴别): item by item "
        "in the filing check, or on paper before an existing catalog was "
        "imported.",
    )
    renumber_line_ids = fields.One2many(
        "cadre.archive.rearrangement.line",
        "material_id",
        string="Numbering History",
        domain=[("state", "=", "done")],
        readonly=True,
    )
    former_code = fields.Char(
        string="Former Number",
        compute="_compute_former_code",
        help="The number the material had before the last rearrangement "
        "(重新整理) of its category.",
    )
    check_ids = fields.One2many(
        "cadre.archive.material.check",
        "material_id",
        string="Filing Checks",
        readonly=True,
    )
    state = fields.Selection(
        [("draft", "Draft"), ("filed", "Filed")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    filed_date = fields.Datetime(readonly=True, copy=False)
    filed_uid = fields.Many2one(
        "res.users", string="Filed By", readonly=True, copy=False
    )
    attachment_ids = fields.One2many(
        "ir.attachment",
        "res_id",
        string="Scans",
        domain=[("res_model", "=", "cadre.archive.material")],
        bypass_search_access=True,
        help="Every scan of the material, the versions replaced by a rescan "
        "included (they are kept as evidence).",
    )
    current_scan_ids = fields.One2many(
        "ir.attachment",
        "res_id",
        string="Current Scans",
        domain=[
            ("res_model", "=", "cadre.archive.material"),
            ("archive_superseded_by_id", "=", False),
        ],
        bypass_search_access=True,
        readonly=True,
        help="The scans no rescan replaced: what the viewer, printing and the "
        "page statistics show.",
    )
    scan_count = fields.Integer(compute="_compute_scan_count")
    ocr_text = fields.Text(string="OCR Text", tracking=True, index="trigram")
    page_ids = fields.One2many(
        "cadre.archive.page", "material_id", string="Scanned Page Records"
    )
    scanned_page_count = fields.Integer(
        compute="_compute_scan_stats", compute_sudo=True, string="Scanned Pages"
    )
    page_count_mismatch = fields.Boolean(
        compute="_compute_scan_stats",
        compute_sudo=True,
        help="The scans do not have as many pages as the catalog says.",
    )
    quality_state = fields.Selection(
        QUALITY_STATES,
        compute="_compute_scan_stats",
        compute_sudo=True,
        search="_search_quality_state",
        string="Scan Quality",
    )
    ocr_state = fields.Selection(
        MATERIAL_OCR_STATES,
        compute="_compute_scan_stats",
        compute_sudo=True,
        string="OCR Status",
    )
    suggested_category_id = fields.Many2one(
        "cadre.archive.category", compute="_compute_suggestions"
    )
    suggested_date = fields.Char(
        compute="_compute_suggestions", string="Suggested Formation Date"
    )
    user_can_edit = fields.Boolean(
        compute="_compute_user_rights",
        string="Kept by Me",
        help="The current user keeps this material (an officer of its unit or "
        "an archive manager): the form offers the work on it only to them, "
        "not to a requester reading it through an approved request.",
    )
    can_upload_scans = fields.Boolean(
        compute="_compute_user_rights",
        help="The form offers the upload of scans: a draft the user keeps. A "
        "filed material takes scans only through Attach Scans (filed on paper) "
        "or an approved rescan.",
    )
    # not sanitized: snippets.snippet_html escapes every piece of the title
    # and text itself and adds nothing but <mark> around the searched words
    search_snippet = fields.Html(
        compute="_compute_search_snippet",
        search="_search_search_snippet",
        sanitize=False,
        string="Found In",
        help="Where the searched words appear in the title or recognised text, "
        "the words marked. Searching it searches both.",
    )
    archive_unit_kept = fields.Boolean(
        string="In My Units",
        compute="_compute_archive_unit_kept",
        compute_sudo=True,
        search="_search_archive_unit_kept",
        help="Technical: the current user is an archive officer of the "
        "material's unit or of a unit above it. Used by the officers' record "
        "rule, which then reads the materials' unit index instead of joining "
        "the unit tree to every material searched.",
    )
    formation_year = fields.Char(
        compute="_compute_formation_year",
        search="_search_formation_year",
        help="The year of the formation date; search a year (1990) or a range "
        "of years (1990-1995).",
    )
    archive_number = fields.Char(related="dossier_id.name", string="Archive Number")
    collection_id = fields.Many2one(
        "cadre.archive.collection",
        string="Received in Batch",
        index="btree_not_null",
        ondelete="restrict",
        tracking=True,
        check_company=True,
        groups="cadre_archive.group_officer",
        domain="[('state', '!=', 'returned')]",
        help="The batch of the collection register (收集登记) in which the "
        "material was received. Set while the material is a draft; filed, it "
        "is fixed like the rest of the material.",
    )

    _number_uniq = models.Constraint(
        "unique (dossier_id, category_id, sequence_number)",
        "Two materials of a dossier cannot have the same number in a category.",
    )

    @api.depends("category_id.code", "sequence_number")
    def _compute_code(self):
        for material in self:
            if material.category_id and material.sequence_number:
                material.code = numbering.material_code(
                    material.category_id.code, material.sequence_number
                )
            else:
                material.code = False

    @api.depends("renumber_line_ids.old_number")
    def _compute_former_code(self):
        for material in self:
            changed = material.renumber_line_ids.filtered(
                lambda line: line.old_number != line.new_number
            ).sorted("approved_date")
            material.former_code = changed[-1:].old_code or False

    @api.depends("date", "date_precision")
    def _compute_date_input(self):
        for material in self:
            value = material._get_partial_date()
            material.date_input = value.format() if value else False

    def _inverse_date_input(self):
        for material in self:
            if not material.date_input:
                material.date = False
                continue
            value = self._parse_partial_date(material.date_input)
            material.date = value.first_day()
            material.date_precision = value.precision

    @api.depends_context("uid")
    @api.depends("state")
    def _compute_user_rights(self):
        for material in self:
            # a new record (the form's onchange) has no origin: the model's
            # access decides, as it does for creating it
            can_edit = material._origin.has_access("write")
            material.user_can_edit = can_edit
            material.can_upload_scans = can_edit and material.state == "draft"

    @api.onchange("date_input")
    def _onchange_date_input(self):
        """Check the formation date as it is typed, not only when saving."""
        problem = self._date_input_problem()
        if problem:
            return {
                "warning": {
                    "title": self.env._("Formation Date"),
                    "message": problem,
                }
            }
        return None

    def _date_input_problem(self):
        """What is wrong with the typed formation date, or None."""
        self.ensure_one()
        if not self.date_input:
            return None
        try:
            value = partial_date.parse(self.date_input)
        except ArchiveLibError as error:
            return lib_error_message(self.env, error)
        if value.is_future(fields.Date.context_today(self)):
            return self.env._(
                "The formation date %(date)s is in the future: write the date "
                "the material was formed, as written on it.",
                date=self.date_input,
            )
        return None

    @api.depends("current_scan_ids")
    def _compute_scan_count(self):
        for material in self:
            material.scan_count = len(material.current_scan_ids)

    def _current_pages(self):
        """The page records of the current scans (not of superseded ones)."""
        return self.page_ids.filtered(
            lambda p: not p.attachment_id.archive_superseded_by_id
        )

    @api.depends(
        "page_ids.quality_state",
        "page_ids.ocr_state",
        "page_ids.attachment_id.archive_superseded_by_id",
        "page_count",
    )
    def _compute_scan_stats(self):
        order = {"ok": 0, "warning": 1, "rescan": 2}
        for material in self:
            pages = material._current_pages()
            material.scanned_page_count = len(pages)
            material.page_count_mismatch = bool(pages) and (
                len(pages) != material.page_count
            )
            states = [p.quality_state for p in pages if p.quality_state]
            material.quality_state = max(states, key=order.get) if states else False
            material.ocr_state = material._ocr_state_of(pages)

    @api.model
    def _ocr_state_of(self, pages):
        if not pages:
            return "none"
        states = set(pages.mapped("ocr_state"))
        if "failed" in states:
            return "failed"
        if states <= {"done"}:
            return "done"
        return "queued"

    def _search_quality_state(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        materials = self.env["cadre.archive.page"]._read_group(
            [
                ("quality_state", "in", list(value)),
                ("attachment_id.archive_superseded_by_id", "=", False),
            ],
            ["material_id"],
        )
        ids = [material.id for (material,) in materials]
        return [("id", operator, ids)]

    @api.depends("name", "ocr_text", "category_id")
    def _compute_suggestions(self):
        keywords = self.env["cadre.archive.category"]._archive_keywords()
        categories = {c.code: c for c in self.env["cadre.archive.category"].search([])}
        today = fields.Date.context_today(self)
        for material in self:
            ranked = suggest.suggest_category(
                material.name or "", material.ocr_text or "", keywords
            )
            best = categories.get(ranked[0][0]) if ranked else None
            material.suggested_category_id = (
                best if best and best != material.category_id else False
            )
            date = suggest.suggest_date(
                material.name or "", material.ocr_text or "", today=today
            )
            proposal = date.format() if date else False
            material.suggested_date = (
                proposal if proposal and proposal != material.date_input else False
            )

    @api.depends_context("cadre_archive_search")
    @api.depends("name", "ocr_text")
    def _compute_search_snippet(self):
        """The excerpt around the searched words (the context key set by the
        search bar: a phrase or the list of phrases of its facet), escaped,
        the words marked."""
        terms = snippets.search_terms(self.env.context.get("cadre_archive_search"))
        for material in self:
            found = terms and snippets.snippet_html(
                terms, material.name or "", material.ocr_text or ""
            )
            material.search_snippet = Markup(found) if found else False

    def _search_search_snippet(self, operator, value):
        """Search the title and the recognised text (trigram indexes).

        A phrase without case (Chinese, digits: ``snippets.is_caseless``) is
        looked for with LIKE, which finds exactly what ILIKE finds without
        lower-casing every text it reads: several times faster on Chinese
        text, where a common word is read in most of the materials.
        """
        if operator not in ("ilike", "not ilike"):
            return NotImplemented
        match = (
            "like"
            if isinstance(value, str) and snippets.is_caseless(value)
            else "ilike"
        )
        found = Domain("name", match, value) | Domain("ocr_text", match, value)
        return found if operator == "ilike" else ~found

    @api.depends_context("uid")
    @api.depends("department_id")
    def _compute_archive_unit_kept(self):
        user = self.env.user
        for material in self:
            material.archive_unit_kept = user._archive_keeps_unit(
                material.department_id
            )

    def _search_archive_unit_kept(self, operator, value):
        """The materials of the user's units and of the units below them:
        the ``child_of`` of the units, resolved to their ids when the query
        runs (a unit added below one of them counts at once). As ids, the
        database finds a common word among the materials of five units of a
        hundred through the unit index, and stops at the first page in the
        dossiers' order, instead of reading the whole archive."""
        if operator != "in" or True not in value:
            return NotImplemented
        return [("department_id", "in", self.env.user._archive_kept_unit_ids())]

    @api.depends("date")
    def _compute_formation_year(self):
        for material in self:
            material.formation_year = (
                str(material.date.year) if material.date else False
            )

    def _search_formation_year(self, operator, value):
        """A year (1990) or a range of years (1990-1995) of formation."""
        if operator not in ("ilike", "=", "in"):
            return NotImplemented
        values = [value] if isinstance(value, str) else list(value)
        domain = Domain.FALSE
        for text in values:
            years = partial_date.parse_year_range(text)
            if years is None:
                raise UserError(
                    self.env._(
                        "Type a year such as 1990 or a range of years such as "
                        "1990-1995, not %(value)s.",
                        value=text,
                    )
                )
            domain |= Domain("date", ">=", f"{years[0]:04d}-01-01") & Domain(
                "date", "<=", f"{years[1]:04d}-12-31"
            )
        return domain

    def action_accept_suggested_category(self):
        for material in self.filtered("suggested_category_id"):
            material.category_id = material.suggested_category_id
        return True

    def action_accept_suggested_date(self):
        for material in self.filtered("suggested_date"):
            material.date_input = material.suggested_date
        return True

    def action_run_ocr(self):
        """Queue OCR of every page of the material's scans (background jobs).

        Only for those who keep the material: a requester who may only view it
        starts no work on it.
        """
        self.check_access("write")
        pages = self.sudo()._current_pages()
        if not pages:
            raise UserError(self.env._("This material has no scan to recognise."))
        pages._queue_ocr()
        return True

    def _queue_compose_ocr_text(self, page):
        """Gather the pages' text in a job of its own, one per page done.

        Page jobs only write their page: if each also rewrote the material, two
        pages of one material recognised at the same time would collide. The
        job is the page's own (its identity names the page): a job shared by
        the material would be skipped by a page whose transaction still saw
        it pending while it had already begun reading the texts, and that
        page's text would never reach the material.
        """
        for material in self.sudo():
            material.with_delay(
                priority=20,
                identity_key=identity_exact,
                description=self.env._(
                    "Gather the recognised text of %(material)s",
                    material=material.display_name,
                ),
            )._compose_ocr_text(page.id)

    def _compose_ocr_text(self, after_page_id=None):
        """Gather the pages' text into the material's searchable text.

        ``after_page_id``: the page whose text is new, when a page's job
        queued this one; its text must be there (it is committed before this
        job can start).
        """
        for material in self.sudo().with_context(tracking_disable=True):
            pages = material._current_pages()
            if after_page_id and after_page_id not in pages.ids:
                _logger.info(
                    "page %s is no longer a current page of material %s",
                    after_page_id,
                    material.id,
                )
            ordered = pages.sorted(lambda p: (p.attachment_id.id, p.page_number))
            texts = ordered.mapped("ocr_text")
            material.ocr_text = "\n\n".join(t for t in texts if t)

    def action_verify_integrity(self):
        """Check every scan of these materials against its checksum now (for
        those who keep them)."""
        self.check_access("write")
        bad = self.sudo().attachment_ids._archive_verify_integrity()
        self.browse(set(bad.mapped("res_id")))._alert_integrity(bad)
        return self._integrity_notification(bad)

    def _integrity_notification(self, bad):
        message = (
            self.env._("%(count)s scan(s) changed or missing.", count=len(bad))
            if bad
            else self.env._("Every scan is intact.")
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": message,
                "type": "danger" if bad else "success",
                "sticky": bool(bad),
            },
        }

    def _alert_integrity(self, bad_scans):
        """Raise an alert activity for the officers of each material's unit."""
        for material in self.sudo():
            scans_ = bad_scans.filtered(lambda a, m=material: a.res_id == m.id)
            for officer in material._unit_officers():
                material.activity_schedule(
                    "mail.mail_activity_data_warning",
                    user_id=officer.id,
                    summary=self.env._("Scan altered or missing"),
                    note=self.env._(
                        "The stored file of %(scans)s no longer matches its "
                        "checksum: check the attachment store.",
                        scans=", ".join(scans_.mapped("name")),
                    ),
                )

    def _unit_officers(self):
        """The officers keeping this material's unit, else the managers."""
        self.ensure_one()
        return self.dossier_id._unit_officers()

    @api.model
    def _cron_verify_integrity(self):
        scans_ = (
            self.env["ir.attachment"]
            .sudo()
            .search([("res_model", "=", self._name), ("archive_sha256", "!=", False)])
        )
        bad = scans_._archive_verify_integrity()
        self.browse(set(bad.mapped("res_id")))._alert_integrity(bad)
        return True

    # ------------------------------------------------------------------
    # Viewing, downloading and printing (separate permissions, all logged)
    # ------------------------------------------------------------------
    def _watermark_lines(self, request):
        user = self.env.user
        now = fields.Datetime.context_timestamp(self, fields.Datetime.now())
        return [
            f"{user.name} ({user.login})",
            now.strftime("%Y-%m-%d %H:%M"),
            request.name if request else self.env._("Archive staff"),
        ]

    def _viewer_pages(self, grant=None):
        """(scan, page number) for every page of every current scan of the
        material (a scan replaced by a rescan is no longer shown)."""
        self.ensure_one()
        grant = grant or self._archive_grant()
        limits = self.company_id._archive_decode_limits()
        pages = []
        for scan in self.current_scan_ids.sorted("id"):
            data = self._scan_bytes(scan)
            with lib_errors(self.env):
                count = scans.page_count(data, limits=limits)
            pages.extend((scan, number) for number in range(1, count + 1))
        return pages

    def _render_watermarked_page(self, scan, page):
        """Return one page of ``scan`` as an image (VIEWER_IMAGE_FORMAT) carrying
        the viewer's watermark."""
        self.ensure_one()
        grant = self._archive_grant()
        data = self._scan_bytes(scan)
        with lib_errors(self.env):
            image = watermark.render_page(
                data,
                page,
                self._watermark_lines(grant.request),
                image_format=watermark.VIEWER_IMAGE_FORMAT,
                limits=self.company_id._archive_decode_limits(),
                # the bytes were just checked against it: not hashed again
                content_key=scan.sudo().archive_sha256 or None,
            )
        self.env["cadre.archive.access.log"]._log(
            self, "view", grant.request, scan, page
        )
        return image

    def _scan_bytes(self, scan):
        """The bytes of ``scan`` as they were uploaded, checked against the
        scan's checksum each time they are served.

        A scan gone from the file store or altered since its upload is never
        shown as if it were the material: its verdict is recorded, the
        officers of the unit are alerted when the verdict is new, and
        DamagedScan says so plainly.
        """
        self.ensure_one()
        stored = scan.sudo()
        data = stored._archive_stored_bytes()
        if stored.archive_sha256:
            verdict = integrity.verify(stored.archive_sha256, data)
        else:
            verdict = "ok" if data else "missing"
        if verdict == "ok":
            return data
        self._record_damaged_scan(stored, verdict)
        raise DamagedScan(self._damaged_scan_message(stored, verdict), verdict)

    def _record_damaged_scan(self, scan, verdict):
        """Record ``verdict`` on ``scan``; alert the officers if it is news."""
        known = scan.archive_integrity == verdict
        scan._archive_system_write(
            {
                "archive_integrity": verdict,
                "archive_checked_date": fields.Datetime.now(),
            }
        )
        if not known:
            self._alert_integrity(scan)

    def _damaged_scan_message(self, scan, verdict):
        if verdict == "missing":
            return self.env._(
                "Scan %(scan)s of %(material)s is missing from the archive's file "
                "store (扫描件缺失), so it cannot be shown. The archive officers "
                "have been alerted: ask them to restore it from a backup.",
                scan=scan.name,
                material=self.display_name,
            )
        return self.env._(
            "Scan %(scan)s of %(material)s was altered after it was archived "
            "(扫描件已被改动), so it is not shown. The archive officers have been "
            "alerted: ask them to restore the original from a backup.",
            scan=scan.name,
            material=self.display_name,
        )

    def _check_download_allowed(self, scan, grant=None):
        """Refuse the raw file to whoever lacks the download permission; log it."""
        self.ensure_one()
        grant = grant or self._archive_grant()
        if not grant.can_download:
            raise AccessError(
                self.env._(
                    "Your request allows viewing only: downloading %(material)s "
                    "needs the download permission. Read its pages in the viewer, "
                    "or ask the archive for a request that allows downloading.",
                    material=self.display_name,
                )
            )
        request = grant.request_for("allow_download")
        self.env["cadre.archive.access.log"]._log(self, "download", request, scan)

    def _check_original_served(self, scan, as_download):
        """Let the current user have the original file of ``scan``; log it.

        The archive staff keeping the material glimpse at its scans while they
        work (the thumbnails and previews of the material form): that is
        archive work, logged as such. The file asked for as a download, or
        served to a requester (only with the download permission), is a
        download.
        """
        self.ensure_one()
        grant = self._archive_grant()
        if grant.kept and not as_download:
            self.env["cadre.archive.access.log"]._log(self, "work", attachment=scan)
            return
        self._check_download_allowed(scan, grant)

    def _download_scan(self, scan):
        self._check_download_allowed(scan)
        return self._scan_bytes(scan)

    def _print_watermarked(self):
        """Return a PDF of every page, watermarked, if printing is allowed."""
        self.ensure_one()
        grant = self._archive_grant()
        if not grant.can_print:
            raise AccessError(
                self.env._(
                    "Your request does not allow printing %(material)s. Read its "
                    "pages in the viewer, or ask the archive for a request that "
                    "allows printing.",
                    material=self.display_name,
                )
            )
        request = grant.request_for("allow_print")
        lines = self._watermark_lines(request)
        limits = self.company_id._archive_decode_limits()
        viewer_pages = self._viewer_pages(grant)
        data = {scan: self._scan_bytes(scan) for scan, __ in viewer_pages}
        with lib_errors(self.env):
            images = [
                watermark.render_page(
                    data[scan],
                    page,
                    lines,
                    image_format="PNG",
                    limits=limits,
                    content_key=scan.sudo().archive_sha256 or None,
                )
                for scan, page in viewer_pages
            ]
        if not images:
            raise UserError(self.env._("This material has no scan to print."))
        self.env["cadre.archive.access.log"]._log(self, "print", request)
        return pages.images_to_pdf(images)

    def action_open_viewer(self):
        """The page viewer of this material, in place of the current screen
        (it links back to the material)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/cadre_archive/material/{self.id}/view",
            "target": "self",
        }

    @api.depends("code", "name")
    def _compute_display_name(self):
        for material in self:
            material.display_name = (
                f"{material.code} {material.name}" if material.code else material.name
            )

    def _parse_partial_date(self, text):
        with lib_errors(self.env, ValidationError):
            return partial_date.parse(text)

    def _get_partial_date(self):
        """Return the formation date as a plain PartialDate (or None)."""
        self.ensure_one()
        if not self.date:
            return None
        # a client may send any date (9999-12-31) or no precision: said plainly
        with lib_errors(self.env, ValidationError):
            return partial_date.PartialDate.from_date(self.date, self.date_precision)

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("category_id")
    def _check_category_is_leaf(self):
        for material in self:
            if not material.category_id.is_leaf:
                raise ValidationError(
                    self.env._(
                        "Category %(category)s has sub-categories: file the "
                        "material in one of them (for example 4-1 or 9-2).",
                        category=material.category_id.display_name,
                    )
                )

    @api.constrains("date", "date_precision")
    def _check_date_not_future(self):
        today = fields.Date.context_today(self)
        for material in self.filtered("date"):
            if material._get_partial_date().is_future(today):
                raise ValidationError(
                    self.env._(
                        "The formation date %(date)s of %(material)s is in the future.",
                        date=material.date_input,
                        material=material.name,
                    )
                )

    @api.constrains("page_count")
    def _check_page_count(self):
        for material in self:
            if material.page_count <= 0:
                raise ValidationError(
                    self.env._(
                        "The page count of %(material)s must be at least 1.",
                        material=material.name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD: numbering and the filed-material lock
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._check_protected_vals(vals_list)
        self._check_target_dossiers(vals_list)
        self._check_target_collections(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_protected_vals([vals])
        self._check_target_dossiers([vals])
        self._check_filed_lock(vals)
        self._check_target_collections([vals])
        if ("category_id" in vals or "dossier_id" in vals) and not (
            self._is_workflow_write()
        ):
            # a draft moved elsewhere loses the number it may carry (one kept
            # from a paper catalog): it is numbered where it is filed
            vals = dict(vals, sequence_number=False)
            return super(CadreArchiveMaterial, self._as_workflow()).write(vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_filed(self):
        self.dossier_id._check_not_transferred()
        filed = self.filtered(lambda m: m.state == "filed")
        if filed:
            raise UserError(
                self.env._(
                    "Filed materials are evidence and can never be deleted "
                    "(%(materials)s). File a correcting material instead.",
                    materials=", ".join(filed.mapped("display_name")),
                )
            )

    @api.model
    def _check_target_dossiers(self, vals_list):
        """Materials go only into dossiers the user keeps.

        Checked before anything else, so that no message or number is worked
        out from a dossier the user cannot read.
        """
        dossier_ids = {
            vals["dossier_id"] for vals in vals_list if vals.get("dossier_id")
        }
        dossiers = self.env["cadre.archive.dossier"].browse(dossier_ids)
        if dossiers and (
            len(dossiers.exists()) != len(dossiers) or not dossiers.has_access("write")
        ):
            raise AccessError(
                self.env._("You may only put materials into the dossiers you keep.")
            )
        dossiers._check_not_transferred()

    @api.model
    def _check_target_collections(self, vals_list):
        """Materials are entered into batches the user keeps, never into one
        returned to its unit (those materials went back with it)."""
        batch_ids = {
            vals["collection_id"] for vals in vals_list if vals.get("collection_id")
        }
        if not batch_ids:
            return
        batches = self.env["cadre.archive.collection"].browse(batch_ids)
        if len(batches.exists()) != len(batches) or not batches.has_access("write"):
            raise AccessError(
                self.env._(
                    "You may only enter materials into the batches of the "
                    "collection register you keep."
                )
            )
        returned = batches.filtered(lambda b: b.state == "returned")
        if returned:
            raise UserError(
                self.env._(
                    "Batch %(batch)s was returned to its unit for correction: "
                    "enter the corrected materials in the batch that brings "
                    "them back.",
                    batch=", ".join(returned.mapped("name")),
                )
            )

    def _protected_values_allowed(self, vals):
        # a new material may say it is a draft: that is its default anyway
        return {"state"} if not self and vals.get("state") == "draft" else set()

    # the material's scans, as fields of the material
    _scan_fields = frozenset({"attachment_ids", "current_scan_ids"})

    def _check_filed_lock(self, vals):
        """Refuse any change of a filed material's content, whoever asks.

        The one sanctioned exception is the new 顺序号 an approved
        rearrangement (重新整理) gives, by the rearrangement's own key.
        """
        locked = set(vals) - self._filed_writable_fields
        if not locked:
            return
        # a dossier transferred out is locked whole, drafts and renumbering
        # included
        self.dossier_id._check_not_transferred()
        if locked == {"sequence_number"} and (
            self.env.context.get("cadre_archive_renumber") is RENUMBER_SENTINEL
        ):
            return
        filed = self.filtered(lambda m: m.state == "filed")
        if filed and locked & self._scan_fields:
            raise UserError(
                self.env._(
                    "The scans of %(materials)s cannot be removed or replaced: the "
                    "material is filed and its scans are evidence. For a better "
                    "image, ask for a rescan.",
                    materials=", ".join(filed.mapped("display_name")),
                )
            )
        if filed:
            raise UserError(
                self.env._(
                    "%(materials)s is filed: a filed material is evidence and its "
                    "content can no longer be changed (干部人事档案材料不得涂改、"
                    "抽取、撤换). File a correcting material instead.",
                    materials=", ".join(filed.mapped("display_name")),
                )
            )

    def _assign_sequence_numbers(self):
        """Give each material without a number the next 顺序号 of its category.

        Numbers are given at filing, never to drafts: a draft deleted or moved
        to another category leaves no gap. Materials filed together are
        numbered in order of formation date, as a catalog lists them.
        """
        unnumbered = self.filtered(lambda m: not m.sequence_number)
        if not unnumbered:
            return
        self._lock_dossiers(set(unnumbered.dossier_id.ids))
        next_numbers = {}
        for material in unnumbered.sorted(lambda m: (m.date, m.id)):
            key = (material.dossier_id.id, material.category_id.id)
            if key not in next_numbers:
                next_numbers[key] = self._next_sequence_number(*key)
            material._workflow_write({"sequence_number": next_numbers[key]})
            next_numbers[key] += 1

    def _lock_dossiers(self, dossier_ids):
        """Serialize numbering inside the given dossiers.

        Odoo runs transactions in REPEATABLE READ: updating the dossier rows makes
        a concurrent transaction numbering in the same dossier fail with a
        serialization error, which Odoo retries from a fresh snapshot, so two
        concurrent filings never get the same 顺序号.
        """
        self.env["cadre.archive.dossier"].flush_model()
        self.env.cr.execute(
            "UPDATE cadre_archive_dossier SET write_date = write_date "
            "WHERE id = ANY(%s)",
            [sorted(dossier_ids)],
        )

    @api.model
    def _next_sequence_number(self, dossier_id, category_id):
        self.flush_model(["dossier_id", "category_id", "sequence_number"])
        self.env.cr.execute(
            "SELECT sequence_number FROM cadre_archive_material "
            "WHERE dossier_id = %s AND category_id = %s",
            [dossier_id, category_id],
        )
        return numbering.next_number(row[0] for row in self.env.cr.fetchall())

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------
    def _check_filing_checks_passed(self):
        """A category with a checklist files its materials only once checked."""
        self.ensure_one()
        missing = self._filing_check_items() - self.sudo().check_ids.item_id
        if missing:
            raise UserError(
                self.env._(
                    "%(material)s must be checked before filing (鉴别): "
                    "%(checks)s. Use the File button, which asks for the check.",
                    material=self.name,
                    checks="; ".join(missing.mapped("name")),
                )
            )

    def _check_copy_marks(self):
        """A copy (复印件) carries its copy date and the copying unit."""
        self.ensure_one()
        if self.original_kind == "copy" and not (
            self.copy_date and (self.copy_unit or "").strip()
        ):
            raise UserError(
                self.env._(
                    "%(material)s is a copy: give its copy date and the unit "
                    "that copied and sealed it before filing it.",
                    material=self.name,
                )
            )

    def action_file(self):
        """File draft materials for good: from now on they are evidence."""
        if any(material.state != "draft" for material in self):
            raise UserError(self.env._("Only draft materials can be filed."))
        self.check_access("write")
        self._check_before_filing()
        self._assign_sequence_numbers()
        self._workflow_write(
            {
                "state": "filed",
                "filed_date": fields.Datetime.now(),
                "filed_uid": self.env.uid,
            }
        )
        self._fulfil_dues()
        return True

    def _fulfil_dues(self):
        """Filed materials close the expectations (due after an HR event or
        missing by rule) of their dossier and category that they answer."""
        self.env["cadre.archive.due"]._fulfil_with(self)

    def action_open_filing_check(self):
        """File the selected drafts, through their check (鉴别) when their
        categories ask for one."""
        if not any(material._filing_check_items() for material in self):
            return self.action_file()
        wizard = self.env["cadre.archive.filing.check"].create(
            {
                "material_ids": [fields.Command.set(self.ids)],
                "line_ids": self.env["cadre.archive.filing.check"]._lines_for(self),
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Check before Filing"),
            "res_model": "cadre.archive.filing.check",
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def _filing_check_items(self):
        """The checks this material must pass before it is filed."""
        self.ensure_one()
        return self.env["cadre.archive.check.item"]._items_for(self.category_id)

    def _record_filing_checks(self, items):
        """Record that the current user checked ``items`` on this draft."""
        self.ensure_one()
        self.check_access("write")
        if self.state != "draft":
            raise UserError(self.env._("Only draft materials are checked for filing."))
        unknown = items - self._filing_check_items()
        if unknown:
            raise UserError(
                self.env._(
                    "%(checks)s is not a check of category %(category)s.",
                    checks=", ".join(unknown.mapped("name")),
                    category=self.category_id.display_name,
                )
            )
        now = fields.Datetime.now()
        self.env["cadre.archive.material.check"].sudo()._as_workflow().create(
            [
                {
                    "material_id": self.id,
                    "item_id": item.id,
                    "name": item.name,
                    "sequence": item.sequence,
                    "user_id": self.env.uid,
                    "date": now,
                }
                for item in items
            ]
        )
        self._workflow_write({"check_method": "checklist"})

    def _check_collection_accepted(self):
        """A material received in a batch is filed once the batch is accepted."""
        self.ensure_one()
        batch = self.sudo().collection_id
        if batch and batch.state != "accepted":
            raise UserError(
                self.env._(
                    "%(material)s was received in batch %(batch)s, which is not "
                    "accepted (%(state)s): accept the batch before filing its "
                    "materials.",
                    material=self.name,
                    batch=batch.name,
                    state=dict(batch._fields["state"]._description_selection(self.env))[
                        batch.state
                    ],
                )
            )

    def _check_before_filing(self):
        for material in self:
            material._check_collection_accepted()
            material._check_filing_checks_passed()
            material._check_copy_marks()
        bad = self.sudo().attachment_ids._archive_verify_integrity()
        if bad:
            raise UserError(
                self.env._(
                    "The scans %(scans)s changed since their upload: check them "
                    "before filing.",
                    scans=", ".join(bad.mapped("name")),
                )
            )
        for material in self:
            if not material.date:
                raise UserError(
                    self.env._(
                        "Set the formation date of %(material)s before filing it.",
                        material=material.name,
                    )
                )

    # ------------------------------------------------------------------
    # Scans of filed materials: paper first, scans later; rescans
    # ------------------------------------------------------------------
    def _attach_first_scans(self, files):
        """Attach the first scans of a material filed on paper, all at once.

        Existing archives file most materials years before they are scanned:
        a filed material without any scan receives its scans once, on this
        path only (the upload wizard, the bulk import). After that its scans
        are locked like those of any filed material; a better image is a
        rescan, approved by an archive manager.

        ``files`` is a list of ``{"name": ..., "raw": bytes}``; the scans go
        through the usual checks (content, decoding limits, checksum, page
        quality, OCR jobs). Returns the new scans.
        """
        self.ensure_one()
        self.check_access("write")
        self._lock_for_scans()
        self._check_paper_only()
        scans_ = self._attach_filed_scans(files, FiledScanIntake(self.id))
        self._post_note(
            self.env._(
                "%(count)s scan(s) attached to the filed paper material by %(user)s.",
                count=len(scans_),
                user=self.env.user.name,
            )
        )
        return scans_

    def _add_draft_scans(self, files):
        """Add scans to a draft material from its form, in the order given.

        ``files`` is a list of ``{"name": ..., "raw": bytes}``, one scan each
        (one or more pages). They are created in one go, in that order, so
        their pages list in that order; they go through the usual checks of
        ``ir.attachment`` (the user keeps the material, content, decoding
        limits, checksum, page quality, OCR jobs). Returns the new scans.
        """
        self.ensure_one()
        self.check_access("write")
        if self.state != "draft":
            raise UserError(
                self.env._(
                    "%(material)s is filed: its scans can no longer be changed. "
                    "A material filed on paper only receives its scans with "
                    "Attach Scans; a better image is asked for with Ask for a "
                    "Rescan.",
                    material=self.display_name,
                )
            )
        if not files:
            raise UserError(self.env._("Choose the scan files to upload."))
        scans_ = self.env["ir.attachment"].create(
            [
                {
                    "name": file["name"],
                    "res_model": self._name,
                    "res_id": self.id,
                    "raw": file["raw"],
                }
                for file in files
            ]
        )
        self.invalidate_recordset(["attachment_ids", "current_scan_ids", "page_ids"])
        return scans_

    def _attach_rescan(self, files):
        """Attach the new scans of an approved rescan (``cadre.archive.rescan``
        calls it when a manager approves); returns them. The rescan itself
        marks which scans they replace."""
        self.ensure_one()
        self.check_access("write")
        self._lock_for_scans()
        self._check_filed_with_scans()
        return self._attach_filed_scans(files, FiledScanIntake(self.id, rescan=True))

    def _check_paper_only(self):
        """A filed material without any scan (filed on paper only)."""
        if self.state != "filed":
            raise UserError(
                self.env._(
                    "%(material)s is not filed yet: upload its scans on its "
                    "form, tab Scans.",
                    material=self.display_name,
                )
            )
        if self.sudo().attachment_ids:
            raise UserError(
                self.env._(
                    "%(material)s already has its scans: they are evidence now. "
                    "A better image of the paper is a rescan, approved by an "
                    "archive manager.",
                    material=self.display_name,
                )
            )

    def _check_filed_with_scans(self):
        if self.state != "filed" or not self.sudo().current_scan_ids:
            raise UserError(
                self.env._(
                    "Only a filed material that has scans can be rescanned "
                    "(%(material)s).",
                    material=self.display_name,
                )
            )

    def _attach_filed_scans(self, files, intake):
        """Create the scans in one go, with the pass of a sanctioned path."""
        if not files:
            raise UserError(self.env._("Choose the scan files to attach."))
        attachments = self.env["ir.attachment"].with_context(
            **{FILED_INTAKE_KEY: intake}
        )
        scans_ = attachments.create(
            [
                {
                    "name": file["name"],
                    "res_model": self._name,
                    "res_id": self.id,
                    "raw": file["raw"],
                }
                for file in files
            ]
        )
        self.invalidate_recordset(["attachment_ids", "current_scan_ids"])
        return scans_.with_context(**{FILED_INTAKE_KEY: None})

    def _lock_for_scans(self):
        """Serialize the sanctioned paths on a material: two concurrent first
        uploads (or rescans) cannot both see it without scans (a concurrent
        transaction fails and is retried, see ``_lock_dossiers``)."""
        self.flush_recordset()
        self.env.cr.execute(
            "UPDATE cadre_archive_material SET write_date = write_date "
            "WHERE id = ANY(%s)",
            [list(self.ids)],
        )

    def action_open_scan_upload(self):
        """The wizard attaching the first scans of a material filed on paper."""
        self.ensure_one()
        self.check_access("write")
        self._check_paper_only()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Attach Scans"),
            "res_model": "cadre.archive.scan.upload",
            "view_mode": "form",
            "target": "new",
            "context": {"default_material_id": self.id},
        }

    def action_open_rescan(self):
        """A new rescan of this filed material, to be approved by a manager."""
        self.ensure_one()
        self.check_access("write")
        self._check_filed_with_scans()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Rescan"),
            "res_model": "cadre.archive.rescan",
            "view_mode": "form",
            "target": "current",
            "context": {"default_material_id": self.id},
        }
