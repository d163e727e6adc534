# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.queue_job.job import identity_exact

from ..lib import numbering, pages, partial_date, scans, snippets, suggest, watermark
from ..tools import lib_errors
from ..tools.constants import MATERIAL_OCR_STATES, QUALITY_STATES


class CadreArchiveMaterial(models.Model):
    """A material (材料) filed in a dossier, numbered 类号-份号.

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
        {"state", "sequence_number", "code", "filed_date", "filed_uid", "check_method"}
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
        string="Number in Category",
        readonly=True,
        copy=False,
        help="份号: the material's number within its category in this dossier, "
        "given in order when the material is created.",
    )
    code = fields.Char(
        string="Material Number",
        compute="_compute_code",
        store=True,
        index=True,
        help="类号-份号, e.g. 4-1-3: the third material of category 4-1.",
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
    )
    copy_date = fields.Date(tracking=True)
    copy_unit = fields.Char(string="Copying Unit", tracking=True)
    check_method = fields.Selection(
        [("checklist", "Checked at Filing"), ("paper", "Checked on Paper")],
        readonly=True,
        copy=False,
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
    search_snippet = fields.Char(
        compute="_compute_search_snippet",
        string="Found In",
        help="Where the searched words appear in the title or recognised text.",
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

    @api.depends("attachment_ids")
    def _compute_scan_count(self):
        for material in self:
            material.scan_count = len(material.attachment_ids)

    @api.depends("page_ids.quality_state", "page_ids.ocr_state", "page_count")
    def _compute_scan_stats(self):
        order = {"ok": 0, "warning": 1, "rescan": 2}
        for material in self:
            pages = material.page_ids
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
            [("quality_state", "in", list(value))], ["material_id"]
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
        term = (self.env.context.get("cadre_archive_search") or "").strip()
        for material in self:
            material.search_snippet = (
                snippets.snippet(term, material.name or "", material.ocr_text or "")
                if term
                else False
            )

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
        pages = self.sudo().page_ids
        if not pages:
            raise UserError(self.env._("This material has no scan to recognise."))
        pages._queue_ocr()
        return True

    def _queue_compose_ocr_text(self):
        """Gather the pages' text in a job of its own, once per material.

        Page jobs only write their page: if each also rewrote the material, two
        pages of one material recognised at the same time would collide.
        """
        for material in self.sudo():
            material.with_delay(
                priority=20,
                identity_key=identity_exact,
                description=self.env._(
                    "Gather the recognised text of %(material)s",
                    material=material.display_name,
                ),
            )._compose_ocr_text()

    def _compose_ocr_text(self):
        """Gather the pages' text into the material's searchable text."""
        for material in self.sudo().with_context(tracking_disable=True):
            texts = material.page_ids.sorted(
                lambda p: (p.attachment_id.id, p.page_number)
            ).mapped("ocr_text")
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
        officers = self.env.ref("cadre_archive.group_officer").sudo().all_user_ids
        keeping = officers.filtered(lambda u: u._archive_keeps_unit(self.department_id))
        if keeping:
            return keeping
        return (
            self.env.ref("cadre_archive.group_manager")
            .sudo()
            .all_user_ids.filtered(
                lambda u: self.company_id in u.company_ids and u.active
            )
        )

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
        """(scan, page number) for every page of every scan of the material."""
        self.ensure_one()
        grant = grant or self._archive_grant()
        limits = self.company_id._archive_decode_limits()
        pages = []
        for scan in self.attachment_ids.sorted("id"):
            with lib_errors(self.env):
                count = scans.page_count(scan.sudo().raw, limits=limits)
            pages.extend((scan, number) for number in range(1, count + 1))
        return pages

    def _render_watermarked_page(self, scan, page):
        """Return one page of ``scan`` as a PNG carrying the viewer's watermark."""
        self.ensure_one()
        grant = self._archive_grant()
        with lib_errors(self.env):
            image = watermark.render_page(
                scan.sudo().raw,
                page,
                self._watermark_lines(grant.request),
                limits=self.company_id._archive_decode_limits(),
            )
        self.env["cadre.archive.access.log"]._log(
            self, "view", grant.request, scan, page
        )
        return image

    def _check_download_allowed(self, scan):
        """Refuse the raw file to whoever lacks the download permission; log it."""
        self.ensure_one()
        grant = self._archive_grant()
        if not grant.can_download:
            raise AccessError(
                self.env._(
                    "Your request allows viewing only: downloading %(material)s "
                    "needs the download permission.",
                    material=self.display_name,
                )
            )
        request = grant.request_for("allow_download")
        self.env["cadre.archive.access.log"]._log(self, "download", request, scan)

    def _download_scan(self, scan):
        self._check_download_allowed(scan)
        return scan.sudo().raw

    def _print_watermarked(self):
        """Return a PDF of every page, watermarked, if printing is allowed."""
        self.ensure_one()
        grant = self._archive_grant()
        if not grant.can_print:
            raise AccessError(
                self.env._(
                    "Your request does not allow printing %(material)s.",
                    material=self.display_name,
                )
            )
        request = grant.request_for("allow_print")
        lines = self._watermark_lines(request)
        limits = self.company_id._archive_decode_limits()
        with lib_errors(self.env):
            images = [
                watermark.render_page(
                    scan.sudo().raw, page, lines, image_format="PNG", limits=limits
                )
                for scan, page in self._viewer_pages(grant)
            ]
        if not images:
            raise UserError(self.env._("This material has no scan to print."))
        self.env["cadre.archive.access.log"]._log(self, "print", request)
        return pages.images_to_pdf(images)

    def action_open_viewer(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/cadre_archive/material/{self.id}/view",
            "target": "new",
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
        self._prepare_sequence_numbers(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_protected_vals([vals])
        self._check_target_dossiers([vals])
        self._check_filed_lock(vals)
        if "category_id" in vals or "dossier_id" in vals:
            return self._write_renumbered(vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_filed(self):
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

    def _protected_values_allowed(self, vals):
        # a new material may say it is a draft: that is its default anyway
        return {"state"} if not self and vals.get("state") == "draft" else set()

    def _check_filed_lock(self, vals):
        """Refuse any change of a filed material's content, whoever asks."""
        locked = set(vals) - self._filed_writable_fields
        if not locked:
            return
        filed = self.filtered(lambda m: m.state == "filed")
        if filed:
            raise UserError(
                self.env._(
                    "%(materials)s is filed: a filed material is evidence and its "
                    "content can no longer be changed (干部人事档案材料不得涂改、"
                    "抽取、撤换). File a correcting material instead.",
                    materials=", ".join(filed.mapped("display_name")),
                )
            )

    @api.model
    def _prepare_sequence_numbers(self, vals_list):
        """Give each new material the next 份号 in its dossier and category."""
        # a number given by the addon itself (bulk import) is kept as it is
        vals_list = [vals for vals in vals_list if not vals.get("sequence_number")]
        keys = {
            (vals.get("dossier_id"), vals.get("category_id"))
            for vals in vals_list
            if vals.get("dossier_id") and vals.get("category_id")
        }
        if not keys:
            return
        self._lock_dossiers({dossier_id for dossier_id, __ in keys})
        next_numbers = {key: self._next_sequence_number(*key) for key in keys}
        for vals in vals_list:
            key = (vals.get("dossier_id"), vals.get("category_id"))
            if key in next_numbers:
                vals["sequence_number"] = next_numbers[key]
                next_numbers[key] += 1

    def _lock_dossiers(self, dossier_ids):
        """Serialize numbering inside the given dossiers.

        Odoo runs transactions in REPEATABLE READ: updating the dossier rows makes
        a concurrent transaction numbering in the same dossier fail with a
        serialization error, which Odoo retries from a fresh snapshot, so two
        concurrent creations never get the same 份号.
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

    def _write_renumbered(self, vals):
        """Move draft materials to another dossier or category, renumbered."""
        for material in self:
            material_vals = dict(vals)
            dossier_id = material_vals.get("dossier_id", material.dossier_id.id)
            category_id = material_vals.get("category_id", material.category_id.id)
            self._lock_dossiers({dossier_id})
            material_vals["sequence_number"] = self._next_sequence_number(
                dossier_id, category_id
            )
            super(
                CadreArchiveMaterial,
                material._as_workflow(),
            ).write(material_vals)
        return True

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------
    def action_file(self):
        """File draft materials for good: from now on they are evidence."""
        if any(material.state != "draft" for material in self):
            raise UserError(self.env._("Only draft materials can be filed."))
        self.check_access("write")
        self._check_before_filing()
        self._workflow_write(
            {
                "state": "filed",
                "filed_date": fields.Datetime.now(),
                "filed_uid": self.env.uid,
            }
        )
        return True

    def _check_before_filing(self):
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
