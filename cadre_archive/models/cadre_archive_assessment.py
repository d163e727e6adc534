# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import namedtuple

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..lib import assessment
from ..tools import lib_errors
from .cadre_archive_assessment_metric import AUDIT_FINDING_MODEL

ASSESSMENT_ACTIVITY = "cadre_archive.mail_act_archive_assessment_approval"
MATERIAL_MODEL = "cadre.archive.material"

GRADE_SELECTION = [
    ("excellent", "Excellent (优秀)"),
    ("good", "Good (良好)"),
    ("pass", "Pass (合格)"),
    ("improve", "To Improve (待改进)"),
]
PERIOD_KINDS = [("month", "Month"), ("quarter", "Quarter"), ("year", "Year")]
# what the assessment is about: fixed once it is submitted
KEY_FIELDS = frozenset({"user_id", "company_id", "period_kind", "date_start"})

# The period a metric measures: calendar days [date_start, date_end] of the
# archive, and the same as naive UTC datetimes [start, end) for datetime fields.
Period = namedtuple(
    "Period", "user company kind date_start date_end start end today tz"
)


class CadreArchiveAssessment(models.Model):
    """The assessment (考核) of one archive officer over a month, quarter or year.

    An archive manager computes it from the archive's own records (materials
    filed, pages scanned, requests decided...), each metric scored against its
    target and weighted as configured; the score earns an incentive grade. The
    manager adds a remark and submits it; another archive manager, never the
    officer assessed, approves it through an activity. Officers read their own
    assessments and change nothing of them.
    """

    _name = "cadre.archive.assessment"
    _description = "Assessment of an Archive Officer"
    _inherit = ["mail.thread", "mail.activity.mixin", "cadre.archive.workflow.mixin"]
    _order = "date_start desc, score desc, id"
    _check_company_auto = True
    _protected_fields = frozenset(
        {
            # the officer and the period, as computed: a client writing it
            # would show one officer's assessment under another's name
            "name",
            "date_end",
            "period_label",
            "score",
            "grade",
            "state",
            "line_ids",
            "computed_date",
            "submitted_uid",
            "submitted_date",
            "approved_uid",
            "approved_date",
        }
    )

    name = fields.Char(compute="_compute_name", store=True)
    user_id = fields.Many2one(
        "res.users",
        string="Officer",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
        domain=lambda self: self._officer_domain(),
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    period_kind = fields.Selection(
        PERIOD_KINDS, string="Period", required=True, default="month", tracking=True
    )
    date_start = fields.Date(
        string="From",
        required=True,
        default=lambda self: self._default_date_start(),
        tracking=True,
        help="The first day of the month, quarter or year assessed.",
    )
    date_end = fields.Date(
        string="To", compute="_compute_period", store=True, readonly=True
    )
    period_label = fields.Char(
        string="Period Assessed",
        compute="_compute_period",
        store=True,
        index=True,
        readonly=True,
        help="2026-03, 2026-Q1 or 2026: sorts in time order.",
    )
    score = fields.Float(digits=(5, 2), readonly=True, aggregator="avg", copy=False)
    grade = fields.Selection(
        GRADE_SELECTION, readonly=True, copy=False, tracking=True, index=True
    )
    state = fields.Selection(
        [("draft", "Draft"), ("submitted", "Submitted"), ("approved", "Approved")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    line_ids = fields.One2many(
        "cadre.archive.assessment.line",
        "assessment_id",
        string="Metrics",
        readonly=True,
        copy=False,
    )
    remark = fields.Text(
        string="Manager's Remark",
        tracking=True,
        help="The archive manager's remark (评语), kept with the approval.",
    )
    computed_date = fields.Datetime(string="Computed On", readonly=True, copy=False)
    submitted_uid = fields.Many2one(
        "res.users", string="Submitted By", readonly=True, copy=False
    )
    submitted_date = fields.Datetime(string="Submitted On", readonly=True, copy=False)
    approved_uid = fields.Many2one(
        "res.users", string="Approved By", readonly=True, copy=False
    )
    approved_date = fields.Datetime(string="Approved On", readonly=True, copy=False)
    training_hours = fields.Float(
        string="Training Hours in the Year",
        compute="_compute_training_hours",
        compute_sudo=True,
        help="The officer's training hours in the calendar year of the period.",
    )
    training_min_hours = fields.Float(
        related="company_id.archive_training_min_hours", string="Hours Expected"
    )
    can_approve = fields.Boolean(compute="_compute_can_approve")

    _period_uniq = models.Constraint(
        "unique (user_id, period_kind, date_start)",
        "An officer is assessed once per period.",
    )

    # ------------------------------------------------------------------
    # Defaults and computed fields
    # ------------------------------------------------------------------
    @api.model
    def _officer_domain(self):
        officers = self.env.ref("cadre_archive.group_officer", raise_if_not_found=False)
        return [
            ("share", "=", False),
            ("all_group_ids", "in", officers.ids if officers else []),
        ]

    @api.model
    def _default_date_start(self):
        today = self.env.company._archive_today()
        return assessment.period_bounds("month", today)[0]

    @api.depends("period_kind", "date_start")
    def _compute_period(self):
        for record in self:
            if record.period_kind and record.date_start:
                with lib_errors(self.env, ValidationError):
                    start, end = assessment.period_bounds(
                        record.period_kind, record.date_start
                    )
                    label = assessment.period_label(record.period_kind, start)
                record.date_end = end
                record.period_label = label
            else:
                record.date_end = False
                record.period_label = False

    @api.depends("user_id.name", "period_label")
    def _compute_name(self):
        for record in self:
            record.name = f"{record.user_id.name or ''} {record.period_label or ''}"

    @api.depends("user_id", "date_start")
    def _compute_training_hours(self):
        trainings = self.env["cadre.archive.training"]
        for record in self:
            if not (record.user_id and record.date_start):
                record.training_hours = 0.0
                continue
            record.training_hours = trainings._hours_in_year(
                record.user_id, record.date_start.year
            )

    @api.depends_context("uid")
    @api.depends("state", "user_id")
    def _compute_can_approve(self):
        is_manager = self.env.user.has_group("cadre_archive.group_manager")
        for record in self:
            record.can_approve = (
                is_manager
                and record.state == "submitted"
                and record.user_id != self.env.user
            )

    @api.onchange("period_kind", "date_start")
    def _onchange_period_start(self):
        """Put the first day of the period, whatever day of it was picked."""
        if self.period_kind and self.date_start:
            self.date_start = assessment.period_bounds(
                self.period_kind, self.date_start
            )[0]

    @api.constrains("period_kind", "date_start")
    def _check_period_start(self):
        for record in self:
            start, _end = assessment.period_bounds(
                record.period_kind, record.date_start
            )
            if start != record.date_start:
                raise ValidationError(
                    self.env._(
                        "An assessment starts on the first day of its period: "
                        "%(start)s, not %(date)s.",
                        start=start,
                        date=record.date_start,
                    )
                )

    @api.constrains("user_id", "company_id")
    def _check_officer(self):
        officers = self.env.ref("cadre_archive.group_officer")
        for record in self.sudo():
            if officers not in record.user_id.all_group_ids:
                raise ValidationError(
                    self.env._(
                        "%(user)s is not an archive officer: only the archive "
                        "staff is assessed.",
                        user=record.user_id.name,
                    )
                )
            if record.company_id not in record.user_id.company_ids:
                raise ValidationError(
                    self.env._(
                        "%(user)s does not work for %(company)s.",
                        user=record.user_id.name,
                        company=record.company_id.name,
                    )
                )

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._check_protected_vals(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_protected_vals([vals])
        self._check_editable(vals)
        return super().write(vals)

    def _check_editable(self, vals):
        if self._is_workflow_write():
            return
        if set(vals) & KEY_FIELDS and any(r.state != "draft" for r in self):
            raise UserError(
                self.env._(
                    "A submitted assessment keeps its officer and period: set it "
                    "back to draft first."
                )
            )
        if any(record.state == "approved" for record in self):
            raise UserError(
                self.env._("An approved assessment is kept as it was approved.")
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if any(record.state != "draft" for record in self):
            raise UserError(self.env._("Only a draft assessment can be deleted."))

    # ------------------------------------------------------------------
    # Computing the metrics
    # ------------------------------------------------------------------
    def _check_manager(self):
        if not self.env.user.has_group("cadre_archive.group_manager"):
            raise AccessError(
                self.env._("Only an archive manager assesses the archive staff.")
            )

    def action_compute(self):
        """Measure every configured metric over the period, weigh the scores
        and grade the total (drafts only)."""
        self._check_manager()
        self.check_access("write")
        if any(record.state != "draft" for record in self):
            raise UserError(self.env._("Only a draft assessment is computed again."))
        metrics = self.env["cadre.archive.assessment.metric"]._metrics_to_measure()
        for record in self:
            record._compute_lines(metrics)
        return True

    def _period(self):
        self.ensure_one()
        company = self.company_id
        tz = company._archive_tz()
        with lib_errors(self.env):
            start, end = assessment.utc_window(self.date_start, self.date_end, tz)
        return Period(
            user=self.user_id,
            company=company,
            kind=self.period_kind,
            date_start=self.date_start,
            date_end=self.date_end,
            start=start,
            end=end,
            today=company._archive_today(),
            tz=tz,
        )

    def _compute_lines(self, metrics):
        self.ensure_one()
        period = self._period()
        measured = []
        with lib_errors(self.env):
            for metric in metrics:
                raw = getattr(self.sudo(), f"_metric_{metric.code}")(period)
                target = assessment.scaled_target(
                    metric.target, period.kind, metric.per_month
                )
                score = assessment.normalise(raw, target, metric.direction)
                measured.append((metric, raw, target, score))
            weighted, total = assessment.weighted_scores(
                [(score, metric.weight) for metric, __, __, score in measured]
            )
            grade = assessment.grade(total, self.company_id._archive_grade_thresholds())
        lines = self.env["cadre.archive.assessment.line"].sudo()._as_workflow()
        self.line_ids.sudo()._as_workflow().unlink()
        lines.create(
            [
                {
                    "assessment_id": self.id,
                    "metric_id": metric.id,
                    "sequence": metric.sequence,
                    "applicable": score is not None,
                    "raw_value": raw or 0.0,
                    "target": target,
                    "normalised_score": score or 0.0,
                    "weight": metric.weight,
                    "weighted_score": weighted_score or 0.0,
                }
                for (metric, raw, target, score), weighted_score in zip(
                    measured, weighted, strict=True
                )
            ]
        )
        self._workflow_write(
            {"score": total, "grade": grade, "computed_date": fields.Datetime.now()}
        )

    # Each metric: its raw value over ``period`` for ``period.user``, or None
    # when there is nothing to measure (it then does not count). Run as sudo:
    # the manager assesses work done on dossiers of every unit.
    def _metric_materials_filed(self, period):
        """Materials the officer filed in the period (filed_uid, filed_date)."""
        return self.env[MATERIAL_MODEL].search_count(
            [
                ("filed_uid", "=", period.user.id),
                ("filed_date", ">=", period.start),
                ("filed_date", "<", period.end),
                ("company_id", "=", period.company.id),
            ]
        )

    def _metric_pages_digitized(self, period):
        """Pages of the scans the officer uploaded in the period (each page
        record of a scan of a material, rescans included: they are work too)."""
        return self.env["cadre.archive.page"].search_count(
            [
                ("attachment_id.create_uid", "=", period.user.id),
                ("attachment_id.create_date", ">=", period.start),
                ("attachment_id.create_date", "<", period.end),
                ("company_id", "=", period.company.id),
            ]
        )

    def _metric_ocr_corrections(self, period):
        """Corrections of a material's recognised text by the officer: each
        tracked change of ``ocr_text`` they saved (the OCR jobs write it with
        tracking off, so only people's edits count). Corrections made on a
        page's text are not tracked and not counted."""
        field = self.env["ir.model.fields"]._get(MATERIAL_MODEL, "ocr_text")
        values = self.env["mail.tracking.value"].search(
            [
                ("field_id", "=", field.id),
                ("mail_message_id.model", "=", MATERIAL_MODEL),
                ("mail_message_id.author_id", "=", period.user.partner_id.id),
                ("create_date", ">=", period.start),
                ("create_date", "<", period.end),
            ]
        )
        materials = self.env[MATERIAL_MODEL].browse(
            values.mail_message_id.mapped("res_id")
        )
        of_company = set(
            materials.exists().filtered(lambda m: m.company_id == period.company).ids
        )
        return len(values.filtered(lambda v: v.mail_message_id.res_id in of_company))

    def _decisions(self, period):
        return self.env["cadre.archive.request.decision"].search(
            [
                ("user_id", "=", period.user.id),
                ("date", ">=", period.start),
                ("date", "<", period.end),
                ("request_id.company_id", "=", period.company.id),
            ]
        )

    def _metric_requests_handled(self, period):
        """Decisions (approved or refused, at any tier) the officer gave."""
        return len(self._decisions(period))

    def _metric_request_hours(self, period):
        """Mean hours from the moment a request reached the officer (its
        submission, or the decision of the tier before) to their decision."""
        spans = []
        for decision in self._decisions(period):
            request = decision.request_id
            before = request.decision_ids.filtered(
                lambda d, decision=decision: d.tier == decision.tier - 1
            )
            start = (
                before.sorted("date")[-1:].date
                if decision.tier > 1
                else request.submitted_date
            )
            spans.append((start or None, decision.date))
        return assessment.mean_hours(spans)

    def _metric_lendings_late(self, period):
        """Paper files the officer handed out, due back in the period and
        returned after their due date (or still out after it)."""
        lendings = self.env["cadre.archive.lending"].search(
            [
                ("officer_id", "=", period.user.id),
                ("company_id", "=", period.company.id),
                ("date_due", ">=", period.date_start),
                ("date_due", "<=", period.date_end),
                ("date_due", "<", period.today),
            ]
        )
        return len(
            lendings.filtered(
                lambda lending: (
                    (lending.date_returned or period.today) > lending.date_due
                )
            )
        )

    def _metric_dues_on_time(self, period):
        """Share (%) of the expected materials fulfilled in the period by a
        material the officer filed that were fulfilled by their deadline."""
        dues = self.env["cadre.archive.due"].search(
            [
                ("state", "=", "done"),
                ("material_id.filed_uid", "=", period.user.id),
                ("closed_date", ">=", period.start),
                ("closed_date", "<", period.end),
                ("company_id", "=", period.company.id),
            ]
        )
        on_time = dues.filtered(
            lambda due: (
                assessment.local_date(due.closed_date, period.tz) <= due.deadline
            )
        )
        return assessment.share(len(on_time), len(dues))

    def _metric_transfers_on_time(self, period):
        """Share (%) of the transfers the officer sent whose receipt was due
        in the period (and is due no longer, or is back) that came back by its
        due date."""
        transfers = (
            self.env["cadre.archive.transfer"]
            .search(
                [
                    ("direction", "=", "out"),
                    ("sent_uid", "=", period.user.id),
                    ("company_id", "=", period.company.id),
                    ("state", "in", ("sent", "received")),
                    ("receipt_due_date", ">=", period.date_start),
                    ("receipt_due_date", "<=", period.date_end),
                ]
            )
            .filtered(lambda t: t.date_received or t.receipt_due_date < period.today)
        )
        on_time = transfers.filtered(
            lambda t: t.date_received and t.date_received <= t.receipt_due_date
        )
        return assessment.share(len(on_time), len(transfers))

    def _metric_audit_resolved(self, period):
        """Audit findings the officer resolved (settled as resolved) in the
        period."""
        return (
            self.env[AUDIT_FINDING_MODEL]
            .sudo()
            .search_count(
                [
                    ("state", "=", "resolved"),
                    ("settled_uid", "=", period.user.id),
                    ("settled_date", ">=", period.start),
                    ("settled_date", "<", period.end),
                    ("company_id", "=", period.company.id),
                ]
            )
        )

    def _metric_audit_findings(self, period):
        """Audit findings raised in the period against materials the officer
        filed (a finding carried over from an earlier run is not raised
        again)."""
        return (
            self.env[AUDIT_FINDING_MODEL]
            .sudo()
            .search_count(
                [
                    ("material_ids.filed_uid", "=", period.user.id),
                    ("company_id", "=", period.company.id),
                    ("carried_from_id", "=", False),
                    ("create_date", ">=", period.start),
                    ("create_date", "<", period.end),
                ]
            )
        )

    # ------------------------------------------------------------------
    # Approval through an activity
    # ------------------------------------------------------------------
    def _approvers(self):
        """The archive managers of the company, the officer assessed excepted."""
        self.ensure_one()
        managers = self.env.ref("cadre_archive.group_manager").sudo().all_user_ids
        return managers.filtered(
            lambda u: (
                u.active
                and not u.share
                and self.company_id in u.company_ids
                and u != self.user_id
            )
        )

    def action_submit(self):
        """Compute the figures once more, freeze them and ask another archive
        manager, never the officer assessed, to approve them."""
        self.action_compute()
        for record in self:
            approvers = record._approvers()
            if not approvers:
                raise UserError(
                    self.env._(
                        "No archive manager other than %(user)s can approve this "
                        "assessment.",
                        user=record.user_id.name,
                    )
                )
            record._workflow_write(
                {
                    "state": "submitted",
                    "submitted_uid": self.env.uid,
                    "submitted_date": fields.Datetime.now(),
                }
            )
            record._schedule_approval(approvers)
        return True

    def _schedule_approval(self, approvers):
        self.ensure_one()
        record = self.sudo()._as_workflow()
        for approver in approvers:
            record.activity_schedule(
                ASSESSMENT_ACTIVITY,
                user_id=approver.id,
                summary=self.env._("Approve the assessment %(name)s", name=self.name),
            )

    def _check_may_approve(self):
        self._check_manager()
        for record in self:
            if record.state != "submitted":
                raise UserError(
                    self.env._("Only a submitted assessment can be approved.")
                )
            if record.user_id == self.env.user:
                raise AccessError(
                    self.env._(
                        "You cannot approve your own assessment: another archive "
                        "manager does."
                    )
                )

    def action_approve(self):
        self.check_access("write")
        self._check_may_approve()
        self._workflow_write(
            {
                "state": "approved",
                "approved_uid": self.env.uid,
                "approved_date": fields.Datetime.now(),
            }
        )
        self._close_approval_activities(
            self.env._("Approved by %(user)s", user=self.env.user.name)
        )
        return True

    def action_reset_draft(self):
        """Take a submitted assessment back to draft (to recompute or correct
        it); its approval activities go."""
        self._check_manager()
        self.check_access("write")
        if any(record.state != "submitted" for record in self):
            raise UserError(
                self.env._("Only a submitted assessment goes back to draft.")
            )
        self._workflow_write(
            {"state": "draft", "submitted_uid": False, "submitted_date": False}
        )
        self.sudo().activity_unlink([ASSESSMENT_ACTIVITY])
        return True

    def _close_approval_activities(self, feedback):
        activities = self.sudo().activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref(ASSESSMENT_ACTIVITY)
        )
        activities.action_feedback(feedback=feedback)

    def action_export_xlsx(self):
        return self.env.ref(
            "cadre_archive.action_report_assessment_xlsx"
        ).report_action(self)


class CadreArchiveAssessmentLine(models.Model):
    """One metric of an assessment: the raw value measured, its score out of
    100 against the target, its weight and its share of the total score.
    Written by the computation only."""

    _name = "cadre.archive.assessment.line"
    _description = "Metric of an Archive Officer's Assessment"
    _inherit = ["cadre.archive.workflow.mixin"]
    _order = "assessment_id, sequence, id"
    _protected_fields = frozenset(
        {
            "assessment_id",
            # related fields: a write would pass through to the assessment
            # (its officer, its company) or to the metric (its code)
            "user_id",
            "company_id",
            "code",
            "metric_id",
            "sequence",
            "applicable",
            "raw_value",
            "target",
            "normalised_score",
            "weight",
            "weighted_score",
        }
    )

    assessment_id = fields.Many2one(
        "cadre.archive.assessment", required=True, index=True, ondelete="cascade"
    )
    user_id = fields.Many2one(related="assessment_id.user_id", store=True)
    company_id = fields.Many2one(related="assessment_id.company_id", store=True)
    metric_id = fields.Many2one(
        "cadre.archive.assessment.metric", required=True, ondelete="restrict"
    )
    code = fields.Selection(related="metric_id.code")
    sequence = fields.Integer()
    applicable = fields.Boolean(
        string="Counted",
        help="The metric had something to measure in the period; when not, "
        "its weight goes to the others.",
    )
    raw_value = fields.Float(string="Measured", digits=(12, 2))
    target = fields.Float(digits=(12, 2))
    normalised_score = fields.Float(string="Score", digits=(5, 2))
    weight = fields.Float(digits=(6, 2))
    weighted_score = fields.Float(
        digits=(5, 2),
        help="The metric's share of the total score: the scores weighted over "
        "the metrics counted add up to the assessment's score.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not self._is_workflow_write():
            raise UserError(
                self.env._("The metrics of an assessment are computed, not entered.")
            )
        return super().create(vals_list)

    def write(self, vals):
        self._check_protected_vals([vals])
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_by_computation(self):
        if not self._is_workflow_write():
            raise UserError(
                self.env._("The metrics of an assessment are computed, not entered.")
            )
