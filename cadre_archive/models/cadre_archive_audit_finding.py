# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..lib import audit as audit_lib
from .cadre_archive_audit_rule import SEVERITIES


class CadreArchiveAuditFinding(models.Model):
    """A deviation found by an audit run: which rule, about what (the
    materials and fact lines concerned), how serious. Only the run creates
    findings; auditors settle them: resolved (corrected since) or accepted
    with a reason (the deviation is justified, e.g. approved by the
    organisation), and an accepted finding is carried over to the next run
    of the dossier. Settled findings take no points off."""

    _name = "cadre.archive.audit.finding"
    _description = "Audit Finding"
    _inherit = ["cadre.archive.workflow.mixin"]
    _order = "audit_id, veto desc, sequence, id"
    _check_company_auto = True

    # everything but the reason is set by the run or by the actions
    _protected_fields = frozenset(
        {
            "audit_id",
            "rule_id",
            "rule_code",
            "subject",
            "severity",
            "veto",
            "points",
            "uncertain",
            "message",
            "state",
            "material_ids",
            "education_ids",
            "work_ids",
            "date_line_ids",
            "carried_from_id",
            "settled_uid",
            "settled_date",
            "sequence",
        }
    )

    audit_id = fields.Many2one(
        "cadre.archive.audit",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    dossier_id = fields.Many2one(related="audit_id.dossier_id", store=True, index=True)
    department_id = fields.Many2one(
        related="audit_id.department_id", store=True, index=True, string="Unit"
    )
    company_id = fields.Many2one(related="audit_id.company_id", store=True, index=True)
    sequence = fields.Integer(readonly=True)
    rule_id = fields.Many2one("cadre.archive.audit.rule", readonly=True)
    rule_code = fields.Char(required=True, readonly=True, index=True)
    subject = fields.Char(
        readonly=True,
        help="What the finding is about within the dossier: with the rule, it "
        "identifies the same finding in the next run.",
    )
    severity = fields.Selection(SEVERITIES, required=True, readonly=True)
    veto = fields.Boolean(string="Single Veto", readonly=True)
    points = fields.Integer(string="Points Off", readonly=True)
    uncertain = fields.Boolean(
        string="Cannot Tell",
        readonly=True,
        help="A date known only to the year or month may or may not break the "
        "rule: check the paper.",
    )
    message = fields.Text(readonly=True)
    state = fields.Selection(
        [("open", "Open"), ("resolved", "Resolved"), ("accepted", "Accepted")],
        default="open",
        required=True,
        readonly=True,
    )
    reason = fields.Text(help="Why the finding is accepted or how it was resolved.")
    settled_uid = fields.Many2one("res.users", string="Settled By", readonly=True)
    settled_date = fields.Datetime(string="Settled On", readonly=True)
    carried_from_id = fields.Many2one(
        "cadre.archive.audit.finding",
        string="Accepted Earlier",
        readonly=True,
        help="The accepted finding of the previous audit this one carries over.",
    )
    material_ids = fields.Many2many(
        "cadre.archive.material",
        "cadre_archive_audit_finding_material_rel",
        "finding_id",
        "material_id",
        string="Materials",
        readonly=True,
    )
    education_ids = fields.Many2many(
        "cadre.archive.fact.education",
        "cadre_archive_audit_finding_education_rel",
        "finding_id",
        "line_id",
        string="Education Lines",
        readonly=True,
    )
    work_ids = fields.Many2many(
        "cadre.archive.fact.work",
        "cadre_archive_audit_finding_work_rel",
        "finding_id",
        "line_id",
        string="Work History Lines",
        readonly=True,
    )
    date_line_ids = fields.Many2many(
        "cadre.archive.fact.date",
        "cadre_archive_audit_finding_date_rel",
        "finding_id",
        "line_id",
        string="Recorded Dates",
        readonly=True,
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not self._is_workflow_write():
            raise UserError(self.env._("Findings are made by running an audit."))
        return super().create(vals_list)

    def write(self, vals):
        self._check_protected_vals([vals])
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._("Findings are part of the audit history: they are kept.")
        )

    # ------------------------------------------------------------------
    # Settling
    # ------------------------------------------------------------------
    def action_accept(self):
        """Accept the deviation, for the reason given (carried over)."""
        if any(not (finding.reason or "").strip() for finding in self):
            raise UserError(
                self.env._("Give the reason before accepting a finding (说明理由).")
            )
        return self._settle("accepted")

    def action_resolve(self):
        return self._settle("resolved")

    def action_reopen(self):
        return self._settle("open")

    def _settle(self, state):
        self.check_access("write")
        self._workflow_write(
            {
                "state": state,
                "settled_uid": self.env.uid if state != "open" else False,
                "settled_date": fields.Datetime.now() if state != "open" else False,
            }
        )
        self.audit_id.flush_recordset(["score", "vetoed", "grade"])
        return True

    def _lib_finding(self):
        self.ensure_one()
        return audit_lib.Finding(
            rule_code=self.rule_code,
            subject=self.subject or "",
            severity=self.severity,
            veto=self.veto,
            points=self.points,
            uncertain=self.uncertain,
        )

    # ------------------------------------------------------------------
    # From the library's findings
    # ------------------------------------------------------------------
    @api.model
    def _vals_from_lib(self, audit, found, rule, carried):
        """The values of a finding of ``audit`` from a ``lib.audit.Finding``;
        ``carried`` is the accepted finding of the previous run it repeats."""
        facts = {"education": [], "work": [], "date": []}
        for ref in found.fact_refs:
            kind, _sep, line_id = str(ref).partition(":")
            if kind in facts and line_id.isdigit():
                facts[kind].append(int(line_id))
        vals = {
            "audit_id": audit.id,
            "sequence": list(audit_lib.RULES).index(found.rule_code),
            "rule_id": rule.id if rule else False,
            "rule_code": found.rule_code,
            "subject": found.subject,
            "severity": found.severity,
            "veto": found.veto,
            "points": found.points,
            "uncertain": found.uncertain,
            "message": self._message(found),
            "material_ids": [fields.Command.set(list(found.material_refs))],
            "education_ids": [fields.Command.set(facts["education"])],
            "work_ids": [fields.Command.set(facts["work"])],
            "date_line_ids": [fields.Command.set(facts["date"])],
        }
        if carried:
            vals.update(
                state="accepted",
                reason=carried.reason,
                carried_from_id=carried.id,
                settled_uid=carried.settled_uid.id,
                settled_date=carried.settled_date,
            )
        return vals

    @api.model
    def _fact_names(self):
        return {
            "birth": self.env._("birth date (出生日期)"),
            "work_start": self.env._("work start date (参加工作时间)"),
            "party": self.env._("party admission date (入党时间)"),
        }

    @api.model
    def _message(self, found):
        """The finding in the user's language (the library says no words)."""
        params = found.params
        method = getattr(self, f"_message_{found.rule_code}", None)
        text = method(params) if method else found.rule_code
        if found.uncertain:
            text = self.env._(
                "Cannot tell from the dates as recorded, check the paper "
                "(待核实): %(text)s",
                text=text,
            )
        return text

    def _message_date_mismatch(self, params):
        fact = self._fact_names().get(params.get("fact"), params.get("fact"))
        if params.get("of_record"):
            return self.env._(
                "The %(fact)s of record, %(value)s, differs from %(reference)s "
                "in the earliest material recording it.",
                fact=fact,
                value=params["value"],
                reference=params["reference"],
            )
        return self.env._(
            "A material records the %(fact)s as %(value)s; the reference "
            "material (the earliest, self-filled for the birth date) says "
            "%(reference)s.",
            fact=fact,
            value=params["value"],
            reference=params["reference"],
        )

    def _message_work_start_age(self, params):
        return self.env._(
            "Work started on %(date)s, before the age of %(age)s (born %(birth)s).",
            **params,
        )

    def _message_party_age(self, params):
        return self.env._(
            "Admitted to the party on %(date)s, before the age of %(age)s "
            "(born %(birth)s).",
            **params,
        )

    def _message_study_work_overlap(self, params):
        return self.env._(
            "Full-time study %(first)s (%(first_period)s) overlaps the "
            "full-time post %(second)s (%(second_period)s).",
            **params,
        )

    def _message_work_overlap(self, params):
        return self.env._(
            "The posts %(first)s (%(first_period)s) and %(second)s "
            "(%(second_period)s) overlap.",
            **params,
        )

    def _message_work_gap(self, params):
        return self.env._(
            "More than %(months)s months between %(first)s (to %(end)s) and "
            "%(second)s (from %(start)s).",
            **params,
        )

    def _message_appointment_incomplete(self, params):
        names = {
            "approving_body": self.env._("approving body"),
            "approval_date": self.env._("approval date"),
            "document_number": self.env._("document number"),
        }
        return self.env._(
            "The appointment material %(material)s lacks: %(lacking)s.",
            material=params["material"],
            lacking="、".join(names[key] for key in params["lacking"]),
        )

    def _message_integrity_failed(self, params):
        return self.env._(
            "The scans of the filed material %(material)s failed their "
            "integrity check (%(verdict)s): single veto (单项否决).",
            **params,
        )

    def _message_missing_material(self, params):
        return self.env._(
            "Material due and missing: %(name)s (category %(category)s, due "
            "%(deadline)s).",
            **params,
        )
