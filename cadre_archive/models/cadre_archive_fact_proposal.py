# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import json

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..lib import fact_extraction, form_ocr, scans
from ..lib.errors import ArchiveLibError
from ..lib.partial_date import PartialDate

KINDS = [
    ("birth", "Birth Date (出生日期)"),
    ("work_start", "Work Start (参加工作时间)"),
    ("party", "Party Admission (入党时间)"),
    ("education", "Education (学历学位)"),
    ("work", "Work History (工作经历)"),
]
STATES = [
    ("proposed", "Proposed (待确认)"),
    ("accepted", "Accepted (已确认)"),
    ("corrected", "Corrected (已更正)"),
    ("rejected", "Rejected (已驳回)"),
]
# the dossier's field of record of each date kind
RECORD_FIELDS = {
    "birth": "fact_birth_text",
    "work_start": "fact_work_start_text",
    "party": "fact_party_text",
}
# the values the auditor may correct, by kind
VALUE_FIELDS = {
    "birth": ("value_text",),
    "work_start": ("value_text",),
    "party": ("value_text",),
    "education": (
        "start_text",
        "end_text",
        "level",
        "degree",
        "school",
        "major",
        "study_mode",
    ),
    "work": ("start_text", "end_text", "unit_name", "post"),
}
ALL_VALUE_FIELDS = frozenset(f for names in VALUE_FIELDS.values() for f in names)
LOW_CONFIDENCE = 0.8


class CadreArchiveFactProposal(models.Model):
    """A fact of record proposed by reading the OCR of a material (出生日期,
    参加工作时间, 入党时间, a line of education or of the work history), with
    the page, the line and the place on the page it was read from and a
    confidence. The auditor accepts it, corrects it (the values entered
    become the fact) or rejects it: only accepted and corrected proposals
    become facts of record, recorded as the auditor.

    Proposals are made by the reading only (``_read_facts`` of the audit);
    what was read (the source text, the place, the confidence) and the
    decision (state, who, when) are system fields. Kept like the audit:
    officers of the dossier's unit and managers; requesters and employees
    have no access at all.
    """

    _name = "cadre.archive.fact.proposal"
    _description = "Fact Proposed from the Materials"
    _inherit = ["cadre.archive.partial.date.mixin", "cadre.archive.workflow.mixin"]
    _order = "audit_id, kind, material_date, page_id, line_number, id"
    _check_company_auto = True
    _partial_date_fields = ("value_text", "start_text", "end_text")

    _protected_fields = frozenset(
        {
            "audit_id",
            "dossier_id",
            "material_id",
            "page_id",
            "kind",
            "proposed_value",
            "source_text",
            "line_number",
            "region",
            "confidence",
            "self_filled",
            "of_record",
            "state",
            "confirmed_uid",
            "confirmed_date",
            "finding_id",
            "fact_date_id",
            "fact_education_id",
            "fact_work_id",
        }
    )

    audit_id = fields.Many2one(
        "cadre.archive.audit",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
        check_company=True,
    )
    dossier_id = fields.Many2one(
        "cadre.archive.dossier",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        related="dossier_id.company_id", store=True, index=True
    )
    department_id = fields.Many2one(
        related="dossier_id.department_id", store=True, index=True, string="Unit"
    )
    material_id = fields.Many2one(
        "cadre.archive.material",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
        check_company=True,
    )
    material_date = fields.Date(
        related="material_id.date", store=True, string="Material Formed On"
    )
    page_id = fields.Many2one("cadre.archive.page", ondelete="set null", readonly=True)
    kind = fields.Selection(KINDS, required=True, readonly=True, index=True)
    # the values: the auditor corrects them before confirming
    value_text = fields.Char(string="Date", help="1968.03, 1968.03.12 or 1968.")
    start_text = fields.Char(string="From")
    end_text = fields.Char(string="To")
    level = fields.Char(help="学历: 大学本科, 研究生 ...")
    degree = fields.Char(help="学位: 学士, 硕士 ...")
    school = fields.Char()
    major = fields.Char()
    study_mode = fields.Selection(
        [("full_time", "Full-Time (全日制)"), ("in_service", "In-Service (在职)")]
    )
    unit_name = fields.Char(string="Work Unit")
    post = fields.Char()
    # what was read, set by the reading
    proposed_value = fields.Char(
        string="As Read",
        readonly=True,
        help="The value as read from the page: a confirmation with other "
        "values is a correction.",
    )
    source_text = fields.Text(string="Read From", readonly=True)
    line_number = fields.Integer(string="Line", readonly=True)
    region = fields.Char(
        readonly=True,
        help="Where on the page the line is: JSON {box: [left, top, width, "
        "height], size: [width, height]} in pixels of the scan.",
    )
    confidence = fields.Float(digits=(3, 2), readonly=True)
    low_confidence = fields.Boolean(compute="_compute_low_confidence")
    self_filled = fields.Boolean(
        string="Self-Filled (本人填写)",
        readonly=True,
        help="Read from a material the cadre filled in (履历表, 入党志愿书 ...).",
    )
    of_record = fields.Boolean(
        string="Proposed of Record",
        readonly=True,
        help="The value proposed as the one of record: the earliest "
        "self-filled material's (组通字〔2006〕41号).",
    )
    finding_id = fields.Many2one(
        "cadre.archive.audit.finding",
        string="Disagreement",
        readonly=True,
        ondelete="set null",
    )
    # the decision
    state = fields.Selection(
        STATES, default="proposed", required=True, readonly=True, index=True
    )
    confirmed_uid = fields.Many2one("res.users", string="Confirmed By", readonly=True)
    confirmed_date = fields.Datetime(string="Confirmed On", readonly=True)
    fact_date_id = fields.Many2one(
        "cadre.archive.fact.date", readonly=True, ondelete="set null"
    )
    fact_education_id = fields.Many2one(
        "cadre.archive.fact.education", readonly=True, ondelete="set null"
    )
    fact_work_id = fields.Many2one(
        "cadre.archive.fact.work", readonly=True, ondelete="set null"
    )
    scan_preview = fields.Html(
        compute="_compute_scan_preview", sanitize=False, string="Scan"
    )

    @api.depends("confidence")
    def _compute_low_confidence(self):
        for proposal in self:
            proposal.low_confidence = proposal.confidence < LOW_CONFIDENCE

    @api.depends("page_id", "region")
    def _compute_scan_preview(self):
        """The page as the viewer serves it (watermarked, logged, through the
        record rules of the material), the line read framed on it."""
        for proposal in self:
            page = proposal.page_id
            if not page:
                proposal.scan_preview = False
                continue
            url = f"/cadre_archive/scan/{page.attachment_id.id}/page/{page.page_number}"
            frame = Markup("")
            region = proposal._region()
            if region:
                (left, top, width, height), (page_w, page_h) = region
                frame = Markup(
                    '<div class="o_cadre_archive_region" style="position:absolute;'
                    "border:3px solid #d9534f;left:%s%%;top:%s%%;width:%s%%;"
                    'height:%s%%;"></div>'
                ) % (
                    round(100 * left / page_w, 2),
                    round(100 * top / page_h, 2),
                    round(100 * width / page_w, 2),
                    round(100 * height / page_h, 2),
                )
            proposal.scan_preview = Markup(
                '<div style="position:relative;display:inline-block;max-width:100%%;">'
                '<img src="%s" style="max-width:100%%;" alt="%s"/>%s</div>'
            ) % (url, proposal.material_id.display_name or "", frame)

    def _region(self):
        """((left, top, width, height), (page width, page height)) or None."""
        self.ensure_one()
        try:
            data = json.loads(self.region or "null")
            box, size = tuple(data["box"]), tuple(data["size"])
        except (ValueError, TypeError, KeyError):
            return None
        if len(box) != 4 or len(size) != 2 or not all(size):
            return None
        return box, size

    @api.depends("kind", "proposed_value", "material_id")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for proposal in self:
            proposal.display_name = (
                f"{kinds.get(proposal.kind, '')}: {proposal.proposed_value or ''}"
            )

    # ------------------------------------------------------------------
    # CRUD: made by the reading only; values corrected while proposed
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self._is_workflow_write():
            raise UserError(
                self.env._(
                    "Proposed facts are made by reading the materials (从材料提取)."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        self._check_protected_vals([vals])
        if ALL_VALUE_FIELDS.intersection(vals) and not self._is_workflow_write():
            self._check_still_proposed()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_decided(self):
        if any(p.state != "proposed" for p in self):
            raise UserError(
                self.env._(
                    "A confirmed or rejected proposal is part of the audit: it is kept."
                )
            )

    @api.constrains("value_text", "start_text", "end_text")
    def _check_dates(self):
        self._check_partial_dates()

    def _check_still_proposed(self):
        if any(p.state != "proposed" for p in self):
            raise UserError(
                self.env._(
                    "This proposal is decided already (已处理): correct the facts "
                    "of record of the dossier instead."
                )
            )

    # ------------------------------------------------------------------
    # The decision: accept, correct, reject
    # ------------------------------------------------------------------
    def _current_value(self):
        """The values as they stand, in one line (see ``proposed_value``)."""
        self.ensure_one()
        return " ".join(
            str(self[name] or "") for name in VALUE_FIELDS[self.kind]
        ).strip()

    def action_accept(self):
        """The value read is right: it becomes the fact of record."""
        self._check_still_proposed()
        if any(p._current_value() != p.proposed_value for p in self):
            raise UserError(
                self.env._(
                    "The values were changed: confirm them with Correct (更正), "
                    "or put back the values read."
                )
            )
        return self._confirm("accepted")

    def action_correct(self):
        """The auditor's values become the fact of record."""
        self._check_still_proposed()
        if any(p._current_value() == p.proposed_value for p in self):
            raise UserError(
                self.env._(
                    "Enter the right values before correcting (更正), or Accept "
                    "the values read."
                )
            )
        return self._confirm("corrected")

    def action_reject(self):
        """The value read is wrong and no other is known: nothing is recorded."""
        self._check_still_proposed()
        self._check_keep()
        self._workflow_write(
            {
                "state": "rejected",
                "confirmed_uid": self.env.uid,
                "confirmed_date": fields.Datetime.now(),
            }
        )
        return True

    def _check_keep(self):
        """Only who keeps the dossier decides (as the user: the record rules)."""
        self.check_access("write")
        self.dossier_id.check_access("write")

    def _confirm(self, state):
        self._check_keep()
        for proposal in self:
            links = proposal._record_fact()
            proposal._workflow_write(
                {
                    **links,
                    "state": state,
                    "confirmed_uid": self.env.uid,
                    "confirmed_date": fields.Datetime.now(),
                }
            )
        return True

    def _record_fact(self):
        """Write the fact of record as the current user (the facts' own
        rules and checks apply); return the links to it."""
        self.ensure_one()
        method = getattr(self, f"_record_{self.kind}_fact", None)
        if method is None:
            return self._record_date_fact()
        return method()

    def _record_date_fact(self):
        if not self.value_text:
            raise UserError(self.env._("Enter the date before confirming."))
        line = self.env["cadre.archive.fact.date"].create(
            {
                "dossier_id": self.dossier_id.id,
                "fact": self.kind,
                "value_text": self.value_text,
                "material_id": self.material_id.id,
                "self_filled": self.self_filled,
            }
        )
        record_field = RECORD_FIELDS[self.kind]
        dossier = self.dossier_id
        if self.of_record or not dossier[record_field]:
            dossier.write({record_field: self.value_text})
        return {"fact_date_id": line.id}

    def _record_education_fact(self):
        if not (self.level and self.school and self.start_text):
            raise UserError(
                self.env._(
                    "An education line needs its start, level and school: "
                    "correct the proposal first."
                )
            )
        line = self.env["cadre.archive.fact.education"].create(
            {
                "dossier_id": self.dossier_id.id,
                "level": self.level,
                "degree": self.degree or False,
                "school": self.school,
                "major": self.major or False,
                "study_mode": self.study_mode or "full_time",
                "start_text": self.start_text,
                "end_text": self.end_text or False,
                "material_ids": [fields.Command.set(self.material_id.ids)],
            }
        )
        return {"fact_education_id": line.id}

    def _record_work_fact(self):
        if not (self.unit_name and self.post and self.start_text):
            raise UserError(
                self.env._(
                    "A work history line needs its start, unit and post: "
                    "correct the proposal first."
                )
            )
        line = self.env["cadre.archive.fact.work"].create(
            {
                "dossier_id": self.dossier_id.id,
                "unit_name": self.unit_name,
                "post": self.post,
                "start_text": self.start_text,
                "end_text": self.end_text or False,
                "material_ids": [fields.Command.set(self.material_id.ids)],
            }
        )
        return {"fact_work_id": line.id}

    # ------------------------------------------------------------------
    # The reading (called by the audit)
    # ------------------------------------------------------------------
    @api.model
    def _page_lines(self, page):
        """The lines of a form page with their boxes (a form OCR of the
        scan); the page's stored OCR text, without boxes, when the scan
        cannot be read. Returns (lines, page size or None)."""
        limits = page.sudo().material_id.company_id._archive_decode_limits()
        try:
            image = scans.page_image(page._own_scan().raw, page.page_number, limits)
            return form_ocr.read_form_lines(image), image.size
        except ArchiveLibError:
            return fact_extraction.lines_from_text(page.ocr_text or ""), None

    @api.model
    def _vals_from_lib(self, audit, page, found, self_filled, size):
        """The values of a proposal of ``audit`` from a
        ``lib.fact_extraction.Proposal`` read on ``page``."""

        def text(value):
            return value.format() if isinstance(value, PartialDate) else ""

        vals = {
            "audit_id": audit.id,
            "dossier_id": audit.dossier_id.id,
            "material_id": page.material_id.id,
            "page_id": page.id,
            "kind": found.kind,
            "source_text": found.source_text,
            "line_number": found.line,
            "confidence": round(found.confidence, 2),
            "self_filled": self_filled,
            "region": json.dumps({"box": list(found.box), "size": list(size)})
            if found.box and size
            else False,
        }
        if found.kind in RECORD_FIELDS:
            vals["value_text"] = text(found.value)
        else:
            vals.update(
                start_text=text(found.start),
                end_text=text(found.end) or False,
                **{key: value or False for key, value in found.values},
            )
        values = [vals.get(name) or "" for name in VALUE_FIELDS[found.kind]]
        vals["proposed_value"] = " ".join(str(v) for v in values).strip()
        return vals

    def _candidates(self):
        return [
            fact_extraction.Candidate(
                ref=proposal.id,
                kind=proposal.kind,
                value=proposal._partial_date("value_text"),
                material_ref=proposal.material_id.id,
                material_date=proposal.material_id._get_partial_date(),
                self_filled=proposal.self_filled,
            )
            for proposal in self
            if proposal.kind in RECORD_FIELDS
            and proposal.value_text
            and proposal.state != "rejected"
        ]
