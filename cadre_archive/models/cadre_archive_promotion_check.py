# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..lib import promotion
from ..tools import lib_errors

_logger = logging.getLogger(__name__)

DUE_RULE_MODEL = "cadre.archive.due.rule"
# what makes an appointment or a promotion on a contract version: a new
# post (the job and its title) or a new rank (职级)
PROMOTION_FIELDS = ("job_id", "job_title", "archive_rank")
ACTIVITY_PROMOTION = "cadre_archive.mail_act_archive_promotion_audit"
OUTCOMES = [
    ("passed", "Passed"),
    ("flagged", "Flagged"),
    ("blocked", "Refused"),
]
REASONS = [
    (promotion.PASSED, "Recent Passing Audit"),
    (promotion.NO_AUDIT, "No Audit"),
    (promotion.TOO_OLD, "Audit Too Old"),
    (promotion.GRADE_LOW, "Audit Grade Too Low"),
]


class CadreArchivePromotionCheck(models.Model):
    """凡提必审: one check of an appointment or a promotion of a cadre.

    When HR records a new post or rank on a cadre's contract version
    (``hr.version``), the archive looks for a recent, good enough special
    audit (专项审核) of the cadre's dossier (company settings: months and
    lowest grade; ``lib/promotion.py`` judges). Each check is recorded here,
    whatever its outcome: passed, flagged (the change is kept, the employee
    form shows a warning, an audit is opened and the unit's officers get an
    activity) or refused (blocking mode: the HR change is refused; the check,
    the audit and the activity are kept in a transaction of their own).

    System records: nobody creates, changes or deletes them (no access
    rights but reading); the check writes them as superuser. Officers read
    those of their units, managers those of their companies; requesters and
    HR users none.
    """

    _name = "cadre.archive.promotion.check"
    _description = "Promotion Audit Check (凡提必审)"
    _order = "date desc, id desc"
    _check_company_auto = True

    dossier_id = fields.Many2one(
        "cadre.archive.dossier",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        readonly=True,
    )
    employee_id = fields.Many2one(
        "hr.employee", string="Cadre", required=True, readonly=True, index=True
    )
    version_id = fields.Many2one(
        "hr.version",
        string="Contract Version",
        readonly=True,
        ondelete="set null",
        help="Empty when the change was a new version that was refused.",
    )
    department_id = fields.Many2one(
        related="dossier_id.department_id", store=True, index=True, string="Unit"
    )
    company_id = fields.Many2one(
        related="dossier_id.company_id", store=True, index=True
    )
    date = fields.Datetime(
        string="Checked On", required=True, readonly=True, default=fields.Datetime.now
    )
    change_date = fields.Date(
        string="Date of the Change",
        readonly=True,
        help="The date of the contract version carrying the new post or rank.",
    )
    change = fields.Text(required=True, readonly=True, help="What changed: old → new.")
    user_id = fields.Many2one(
        "res.users",
        string="Changed By",
        required=True,
        readonly=True,
        help="Who made the HR change.",
    )
    outcome = fields.Selection(OUTCOMES, required=True, readonly=True, index=True)
    reason = fields.Selection(REASONS, required=True, readonly=True)
    message = fields.Text(string="Details", readonly=True)
    audit_id = fields.Many2one(
        "cadre.archive.audit",
        string="Audit Found",
        readonly=True,
        ondelete="set null",
        help="The audit that decided: the latest recent one, else the latest.",
    )
    audit_opened_id = fields.Many2one(
        "cadre.archive.audit",
        readonly=True,
        ondelete="set null",
        help="The draft audit the check opened (or found open) for the dossier.",
    )

    @api.depends("employee_id", "change_date")
    def _compute_display_name(self):
        for check in self:
            check.display_name = f"{check.employee_id.name} {check.change_date or ''}"

    # ------------------------------------------------------------------
    # Watching the contract versions
    # ------------------------------------------------------------------
    @api.model
    def _watch_versions(self, versions, vals):
        """Before ``versions.write(vals)``: their post and rank now (nothing
        when ``vals`` cannot change them)."""
        if not versions or not set(PROMOTION_FIELDS) & set(vals):
            return {}
        return self.env[DUE_RULE_MODEL]._field_values(versions, PROMOTION_FIELDS)

    @api.model
    def _check_new_versions(self, versions):
        """New contract versions, each against the employee's version before
        it (a first version, the hiring, is no promotion)."""
        before = {}
        for version in versions.sudo():
            previous = version._archive_previous_version()
            if previous:
                before[version.id] = self.env[DUE_RULE_MODEL]._field_values(
                    previous, PROMOTION_FIELDS
                )[previous.id]
        self._check_versions(versions.browse(list(before)), before, created=True)

    @api.model
    def _check_versions(self, versions, before, created=False):
        """Check the versions whose post or rank changed from ``before``
        (values by version id); refuse them all, after recording why, when
        one is refused."""
        if not before or not versions:
            return
        due_rules = self.env[DUE_RULE_MODEL]
        dossiers = due_rules._dossiers_by_employee(versions.sudo())
        refusals = []
        for version in versions.sudo():
            dossier = dossiers.get(version.employee_id.id)
            if not dossier:
                continue
            changed = due_rules._changed_names(
                version, PROMOTION_FIELDS, before.get(version.id, {})
            )
            if changed:
                refusal = self._check_one(
                    dossier, version, changed, before.get(version.id, {}), created
                )
                if refusal:
                    refusals.append(refusal)
        if refusals:
            raise UserError("\n\n".join(refusals))

    def _check_one(self, dossier, version, changed, previous, created):
        """Judge one change, record it; return the refusal message when the
        company refuses it, else None."""
        company = dossier.company_id
        verdict, audits = self._verdict(dossier)
        vals = {
            "dossier_id": dossier.id,
            "employee_id": version.employee_id.id,
            "version_id": version.id,
            "change_date": version.date_version,
            "change": self._describe_change(version, changed, previous),
            "user_id": self.env.uid,
            "reason": verdict.reason,
            "message": self._reason_message(verdict, audits, company),
            "audit_id": audits.get(verdict.audit.ref).id if verdict.audit else False,
        }
        if verdict.passed:
            self.sudo().create(dict(vals, outcome="passed"))
            return None
        if not company.archive_promotion_audit_blocking:
            self.sudo().create(dict(vals, outcome="flagged"))._follow_up()
            return None
        if created:
            # the new version is rolled back with the refusal
            vals["version_id"] = False
        self._record_refusal(dict(vals, outcome="blocked"))
        return self.env._(
            "凡提必审 (no promotion without an audit): the change %(change)s of "
            "%(cadre)s is refused until an audit of the dossier passes "
            "(审核通过后方可变更). %(reason)s",
            change=vals["change"],
            cadre=version.employee_id.name,
            reason=vals["message"],
        )

    # ------------------------------------------------------------------
    # The judgement
    # ------------------------------------------------------------------
    @api.model
    def _verdict(self, dossier):
        """Judge the dossier's done audits (read as superuser: HR users
        cannot read audits) on the company's settings; return the verdict
        and the audits by id."""
        company = dossier.company_id
        done = (
            self.env["cadre.archive.audit"]
            .sudo()
            .search([("dossier_id", "=", dossier.id), ("state", "=", "done")])
        )
        tz_env = done.with_context(tz=company._archive_tz())
        refs = [
            promotion.AuditRef(
                ref=audit.id,
                day=fields.Datetime.context_timestamp(tz_env, audit.date).date(),
                grade=audit.grade,
            )
            for audit in done
            if audit.date
        ]
        with lib_errors(self.env):
            verdict = promotion.evaluate(
                refs,
                company._archive_today(),
                company.archive_promotion_audit_months,
                company.archive_promotion_audit_min_grade,
            )
        return verdict, {audit.id: audit for audit in done}

    @api.model
    def _grade_label(self, grade):
        grades = dict(
            self.env["cadre.archive.audit"]
            ._fields["grade"]
            ._description_selection(self.env)
        )
        return grades.get(grade, grade or "")

    @api.model
    def _reason_message(self, verdict, audits, company):
        """The reason of the verdict, in English and Chinese, with the dates
        and the grade."""
        months = company.archive_promotion_audit_months
        minimum = self._grade_label(company.archive_promotion_audit_min_grade)
        audit = verdict.audit
        if verdict.reason == promotion.NO_AUDIT:
            return self.env._(
                "The dossier has no done special audit (无已完成的专项审核); one "
                "from the last %(months)s months graded %(minimum)s or better "
                "is needed.",
                months=months,
                minimum=minimum,
            )
        if verdict.reason == promotion.TOO_OLD:
            return self.env._(
                "The last audit of the dossier, of %(date)s, is more than "
                "%(months)s months old (审核已超过%(months)s个月): it had to be "
                "done on %(since)s or later.",
                date=audit.day,
                months=months,
                since=verdict.valid_from,
            )
        if verdict.reason == promotion.GRADE_LOW:
            return self.env._(
                "The last audit of the dossier, of %(date)s, is graded "
                "%(grade)s, below the %(minimum)s required (审核等级不足).",
                date=audit.day,
                grade=self._grade_label(audits[audit.ref].grade),
                minimum=minimum,
            )
        return self.env._(
            "Audit of %(date)s graded %(grade)s (审核通过).",
            date=audit.day,
            grade=self._grade_label(audits[audit.ref].grade),
        )

    @api.model
    def _describe_change(self, version, changed, previous):
        """old → new, for each field that changed."""
        due_rules = self.env[DUE_RULE_MODEL]
        if {"job_id", "job_title"} <= set(changed) and (
            version.job_title == version.job_id.name
        ):
            # the title follows the new job: one change, not two
            changed = [name for name in changed if name != "job_title"]
        parts = []
        for name in changed:
            old = previous.get(name)
            if isinstance(old, models.BaseModel):
                old = ", ".join(old.sudo().mapped("display_name"))
            label = version._fields[name]._description_string(self.env)
            new = due_rules._display_value(version, name)
            parts.append(f"{label}: {old or '-'} → {new}")
        return "; ".join(parts)

    # ------------------------------------------------------------------
    # What a failed check does
    # ------------------------------------------------------------------
    def _follow_up(self):
        """Open an audit of the dossier (or take the one open) and give the
        officers of its unit an activity to run it."""
        for check in self.sudo():
            audit = check._open_audit()
            check.audit_opened_id = audit
            check._notify_officers()

    def _open_audit(self):
        self.ensure_one()
        audits = self.env["cadre.archive.audit"].sudo()
        open_audit = audits.search(
            [("dossier_id", "=", self.dossier_id.id), ("state", "=", "draft")],
            limit=1,
        )
        return open_audit or audits._start_for(self.dossier_id)

    def _notify_officers(self):
        """An activity on the dossier for each officer of its unit who has
        none of this kind open on it."""
        self.ensure_one()
        dossier = self.dossier_id.sudo()
        activity_type = self.env.ref(ACTIVITY_PROMOTION)
        waiting = dossier.activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        ).mapped("user_id")
        for officer in dossier._unit_officers() - waiting:
            dossier.activity_schedule(
                ACTIVITY_PROMOTION,
                user_id=officer.id,
                summary=self.env._(
                    "凡提必审: audit the dossier of %(cadre)s",
                    cadre=self.employee_id.name,
                ),
                note=self.env._(
                    "HR recorded %(change)s for %(cadre)s (%(number)s) without a "
                    "passing audit: %(reason)s Run the audit %(audit)s.",
                    change=self.change,
                    cadre=self.employee_id.name,
                    number=dossier.name,
                    reason=self.message,
                    audit=self.audit_opened_id.display_name,
                ),
            )

    def _record_refusal(self, vals):
        """Record a refused check, open the audit and tell the officers in a
        transaction of its own: the refusal rolls the HR change back, not
        this. Records that the HR transaction made and has not committed
        (a new dossier, a new version) cannot be seen from here: then the
        check is not kept, and the refusal stands."""
        try:
            with self.env.registry.cursor() as cr:
                cr.execute("SET LOCAL lock_timeout = '10s'")
                env = self.env(cr=cr, su=True)
                checks = env[self._name]
                if vals.get("version_id") and not (
                    env["hr.version"].browse(vals["version_id"]).exists()
                ):
                    vals = dict(vals, version_id=False)
                if not env["cadre.archive.dossier"].browse(vals["dossier_id"]).exists():
                    _logger.warning(
                        "promotion check of dossier %s not kept: the dossier is "
                        "not committed",
                        vals["dossier_id"],
                    )
                    return
                checks.create(vals)._follow_up()
        except psycopg2.Error:
            _logger.exception("promotion check of dossier %s not kept", vals)

    # ------------------------------------------------------------------
    # The warning on the employee
    # ------------------------------------------------------------------
    @api.model
    def _warnings_by_employee(self, employees):
        """For each employee whose last check was flagged and whose dossier
        still has no passing audit, the warning to show on their form."""
        checks = self.sudo().search(
            [("employee_id", "in", employees.ids), ("outcome", "!=", "blocked")],
            order="date desc, id desc",
        )
        warnings = {}
        seen = set()
        for check in checks:
            if check.employee_id.id in seen:
                continue
            seen.add(check.employee_id.id)
            if check.outcome != "flagged":
                continue
            dossier = check.dossier_id
            verdict, audits = self._verdict(dossier)
            if verdict.passed:
                continue
            warnings[check.employee_id.id] = self.env._(
                "凡提必审: no passing audit of the dossier for %(change)s "
                "(dated %(date)s). %(reason)s",
                change=check.change,
                date=check.change_date or "",
                reason=self._reason_message(verdict, audits, dossier.company_id),
            )
        return warnings
