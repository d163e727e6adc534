# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.queue_job.job import identity_exact

from ..lib import audit as audit_lib
from ..lib import partial_date

GRADES = [
    ("excellent", "Excellent (优秀)"),
    ("pass", "Pass (合格)"),
    ("fail", "Fail (不合格)"),
]
# integrity verdicts of a material's scans, worst first
_INTEGRITY_ORDER = ("missing", "changed", "ok")


class CadreArchiveAudit(models.Model):
    """One run of the special audit (专项审核) of a dossier: the findings of
    the rules of ``lib/audit.py`` on its facts of record and materials, a
    score out of 100 and a grade. Each run is a new record: earlier runs are
    kept, and the findings accepted in the previous run of the dossier are
    carried over (same rule, same subject) with their reason.

    Officers audit the dossiers of their units, managers those of their
    companies; requesters and plain employees have no access at all.
    """

    _name = "cadre.archive.audit"
    _description = "Special Audit of a Dossier"
    _inherit = ["mail.thread", "cadre.archive.workflow.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    # set by the run, never by a client
    _protected_fields = frozenset(
        {
            "state",
            "date",
            "auditor_id",
            "previous_id",
            "score",
            "grade",
            "vetoed",
            "finding_ids",
        }
    )

    dossier_id = fields.Many2one(
        "cadre.archive.dossier",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        readonly=True,
    )
    employee_id = fields.Many2one(related="dossier_id.employee_id", string="Cadre")
    department_id = fields.Many2one(
        related="dossier_id.department_id", store=True, index=True, string="Unit"
    )
    company_id = fields.Many2one(
        related="dossier_id.company_id", store=True, index=True
    )
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Done")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
    )
    date = fields.Datetime(string="Audited On", readonly=True)
    auditor_id = fields.Many2one("res.users", readonly=True)
    previous_id = fields.Many2one(
        "cadre.archive.audit", string="Previous Audit", readonly=True
    )
    finding_ids = fields.One2many(
        "cadre.archive.audit.finding", "audit_id", string="Findings", readonly=True
    )
    score = fields.Integer(
        compute="_compute_score",
        store=True,
        help="100 less the points of the open findings; 0 on an open "
        "single-veto finding.",
    )
    vetoed = fields.Boolean(string="Single Veto", compute="_compute_score", store=True)
    grade = fields.Selection(GRADES, compute="_compute_score", store=True)
    open_count = fields.Integer(compute="_compute_counts", string="Open Findings")
    conclusion = fields.Text(
        string="Auditor's Conclusion",
        tracking=True,
        help="审核意见: what the auditor concludes, printed on the 认定表.",
    )

    @api.depends(
        "state",
        "finding_ids.state",
        "finding_ids.points",
        "finding_ids.veto",
    )
    def _compute_score(self):
        """Score and grade of a done audit. The company's grading is read
        when the findings change, not followed later: a new grading leaves
        the grades of past audits as they were."""
        for audit in self:
            if audit.state != "done":
                audit.score, audit.vetoed, audit.grade = 0, False, False
                continue
            findings = [f._lib_finding() for f in audit.finding_ids]
            settled = {
                (f.rule_code, f.subject) for f in audit.finding_ids if f.state != "open"
            }
            score, vetoed = audit_lib.score(findings, frozenset(settled))
            audit.score, audit.vetoed = score, vetoed
            audit.grade = audit.company_id._archive_audit_grading().grade(score, vetoed)

    @api.depends("finding_ids.state")
    def _compute_counts(self):
        for audit in self:
            audit.open_count = len(
                audit.finding_ids.filtered(lambda f: f.state == "open")
            )

    @api.depends("dossier_id", "date")
    def _compute_display_name(self):
        for audit in self:
            when = (
                fields.Date.to_string(
                    fields.Datetime.context_timestamp(audit, audit.date)
                )
                if audit.date
                else self.env._("Draft")
            )
            audit.display_name = f"{audit.dossier_id.display_name} {when}"

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._check_protected_vals(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_protected_vals([vals])
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        if any(audit.state == "done" for audit in self):
            raise UserError(
                self.env._(
                    "A done audit is part of the dossier's audit history and "
                    "cannot be deleted."
                )
            )

    # ------------------------------------------------------------------
    # Starting audits: now, or in the background (one job per dossier)
    # ------------------------------------------------------------------
    @api.model
    def _start_for(self, dossiers):
        """A new draft audit of each dossier (which the user must keep)."""
        dossiers.check_access("write")
        return self.create([{"dossier_id": dossier.id} for dossier in dossiers])

    @api.model
    def _queue_for(self, dossiers):
        """Queue one job per dossier, auditing it as the current user."""
        dossiers.check_access("write")
        for dossier in dossiers:
            dossier.with_delay(
                identity_key=identity_exact,
                description=self.env._(
                    "Audit the dossier %(dossier)s", dossier=dossier.display_name
                ),
            )._audit_job()
        return len(dossiers)

    def _open_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }

    @api.model
    def _list_action(self, audits):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "cadre_archive.action_cadre_archive_audit"
        )
        action["domain"] = [("id", "in", audits.ids)]
        return action

    # ------------------------------------------------------------------
    # Running
    # ------------------------------------------------------------------
    def action_run(self):
        """Run the draft audits: findings, score and grade."""
        if any(audit.state != "draft" for audit in self):
            raise UserError(
                self.env._(
                    "This audit has already run: use Audit Again, which keeps "
                    "it and starts a new one."
                )
            )
        self.check_access("write")
        self.dossier_id.check_access("write")
        for audit in self:
            audit._run()
        return True

    def action_run_again(self):
        """A new audit of the same dossier, run now; this one is kept."""
        self.ensure_one()
        new = self._start_for(self.dossier_id)
        new.action_run()
        return new._open_action()

    def _run(self):
        self.ensure_one()
        facts = self._audit_facts()
        previous = self._previous_audit()
        carried = {
            (f.rule_code, f.subject): f
            for f in previous.finding_ids
            if f.state == "accepted"
        }
        result = audit_lib.run(
            facts,
            self.env["cadre.archive.audit.rule"]._lib_configs(),
            self.company_id._archive_audit_grading(),
            accepted=frozenset(carried),
        )
        rules = {
            rule.code: rule
            for rule in self.env["cadre.archive.audit.rule"]
            .sudo()
            .with_context(active_test=False)
            .search([("code", "in", list(audit_lib.RULES))])
        }
        finding_model = self.env["cadre.archive.audit.finding"]
        finding_model._as_workflow().create(
            [
                finding_model._vals_from_lib(
                    self, found, rules.get(found.rule_code), carried.get(found.key)
                )
                for found in result.findings
            ]
        )
        self._workflow_write(
            {
                "state": "done",
                "date": fields.Datetime.now(),
                "auditor_id": self.env.uid,
                "previous_id": previous.id,
            }
        )
        # score and grade now, with the grading of today
        self.flush_recordset(["score", "vetoed", "grade"])

    def _previous_audit(self):
        """The last done audit of the same dossier before this one."""
        self.ensure_one()
        return self.search(
            [
                ("dossier_id", "=", self.dossier_id.id),
                ("state", "=", "done"),
                ("id", "!=", self.id),
            ],
            order="date desc, id desc",
            limit=1,
        )

    # ------------------------------------------------------------------
    # The facts, as plain data for lib/audit.py
    # ------------------------------------------------------------------
    def _audit_facts(self):
        """Build the plain facts of the dossier (see ``lib.audit``)."""
        self.ensure_one()
        dossier = self.dossier_id
        materials = dossier.material_ids
        return audit_lib.DossierFacts(
            birth=dossier._partial_date("fact_birth_text"),
            work_start=dossier._partial_date("fact_work_start_text"),
            party_date=dossier._partial_date("fact_party_text"),
            claims=tuple(self._claim_of(line) for line in dossier.fact_date_ids),
            periods=tuple(
                self._period_of(line, "education", line.study_mode == "full_time")
                for line in dossier.fact_education_ids
            )
            + tuple(
                self._period_of(line, "work", not line.concurrent)
                for line in dossier.fact_work_ids
            ),
            materials=self._material_facts(materials),
            missing=tuple(self._missing_items(dossier)),
        )

    @api.model
    def _claim_of(self, line):
        material = line.material_id
        return audit_lib.DateClaim(
            ref=f"date:{line.id}",
            fact=line.fact,
            value=line._partial_date("value_text"),
            material_ref=material.id,
            material_date=material._get_partial_date(),
            self_filled=line.self_filled,
        )

    @api.model
    def _period_of(self, line, kind, full_time):
        return audit_lib.Period(
            ref=f"{kind}:{line.id}",
            kind=kind,
            start=line._partial_date("start_text"),
            end=line._partial_date("end_text"),
            full_time=full_time,
            label=line.display_name,
            material_refs=tuple(line.material_ids.ids),
        )

    @api.model
    def _material_facts(self, materials):
        verdicts = {}
        scans = materials.sudo().attachment_ids
        for scan in scans:
            verdict = scan.archive_integrity or None
            current = verdicts.get(scan.res_id)
            if verdict and (
                current is None
                or _INTEGRITY_ORDER.index(verdict) < _INTEGRITY_ORDER.index(current)
            ):
                verdicts[scan.res_id] = verdict
        return tuple(
            audit_lib.MaterialFact(
                ref=material.id,
                title=material.display_name,
                filed=material.state == "filed",
                appointment=material.category_id.is_appointment,
                approving_body=material.approving_body or "",
                approval_date=self._safe_partial(material.approval_date_text),
                document_number=material.document_number or "",
                integrity=verdicts.get(material.id),
            )
            for material in materials
        )

    @api.model
    def _safe_partial(self, text):
        try:
            return partial_date.parse(text) if text else None
        except ValueError:
            return None

    @api.model
    def _missing_items(self, dossier):
        """The materials due and missing of the dossier: the seam to the
        upkeep's list (``cadre.archive.due``, open and past its deadline).
        Returns nothing while that model is not installed."""
        if "cadre.archive.due" not in self.env:
            return []
        today = fields.Date.context_today(self)
        dues = (
            self.env["cadre.archive.due"]
            .sudo()
            .search(
                [
                    ("dossier_id", "=", dossier.id),
                    ("state", "=", "open"),
                    ("deadline", "<", today),
                ]
            )
        )
        return [
            audit_lib.MissingItem(
                ref=due.id,
                name=due.name or "",
                category_code=due.category_id.code or "",
                deadline=due.deadline or None,
            )
            for due in dues
        ]

    # ------------------------------------------------------------------
    # The 认定表
    # ------------------------------------------------------------------
    def _certification_rows(self):
        """The dates and identity of record with their supporting materials,
        as rows of the 认定表: ``{"label", "value", "materials"}``."""
        self.ensure_one()
        dossier = self.dossier_id
        statuses = dict(
            dossier._fields["fact_party_status"]._description_selection(self.env)
        )

        def materials(fact):
            lines = dossier.fact_date_ids.filtered(lambda line: line.fact == fact)
            return "、".join(
                f"{line.material_id.display_name} ({line.value_text})" for line in lines
            )

        party = dossier.fact_party_text or ""
        if dossier.fact_party_status:
            party = f"{party} {statuses[dossier.fact_party_status]}".strip()
        return [
            {
                "label": self.env._("Birth Date (出生日期)"),
                "value": dossier.fact_birth_text or "",
                "materials": materials("birth"),
            },
            {
                "label": self.env._("Work Start (参加工作时间)"),
                "value": dossier.fact_work_start_text or "",
                "materials": materials("work_start"),
            },
            {
                "label": self.env._("Party Admission (入党时间)"),
                "value": party,
                "materials": materials("party"),
            },
            {
                "label": self.env._("Cadre Identity (干部身份)"),
                "value": " ".join(
                    p for p in (dossier.fact_identity, dossier.fact_identity_text) if p
                ),
                "materials": "",
            },
        ]
