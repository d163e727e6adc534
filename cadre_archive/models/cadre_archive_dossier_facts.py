# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

from ..tools.constants import POLITICAL_STATUSES
from .cadre_archive_dossier import CadreArchiveDossier as BaseDossier

# The facts of record are read and written by archive staff only: a
# requester reading the dossier through an approved request sees none of
# them, nor does the cadre (HR keeps none of them on hr.employee).
STAFF = "cadre_archive.group_officer"


class CadreArchiveDossierFacts(models.Model):
    """The facts of record (认定信息, 三龄两历一身份) of the dossier, as the
    auditors established them from the materials, and its audits."""

    _name = "cadre.archive.dossier"
    _inherit = ["cadre.archive.dossier", "cadre.archive.partial.date.mixin"]

    _partial_date_fields = (
        "fact_birth_text",
        "fact_work_start_text",
        "fact_party_text",
        "fact_identity_text",
    )
    _protected_fields = BaseDossier._protected_fields | {
        "facts_recorded_uid",
        "facts_recorded_date",
    }
    # writing one of these stamps who recorded the facts, and when
    _fact_fields = frozenset(
        {*_partial_date_fields, "fact_party_status", "fact_identity"}
    )

    fact_birth_text = fields.Char(
        string="Birth Date of Record",
        groups=STAFF,
        help="出生日期: the one in the earliest material the cadre filled in "
        "(组通字〔2006〕41号). 1965.03.12, 1965.03 or 1965.",
    )
    fact_birth_date = fields.Date(
        compute="_compute_fact_dates", store=True, groups=STAFF
    )
    fact_work_start_text = fields.Char(
        string="Work Start of Record", groups=STAFF, help="参加工作时间."
    )
    fact_work_start_date = fields.Date(
        compute="_compute_fact_dates", store=True, groups=STAFF
    )
    fact_party_text = fields.Char(
        string="Party Admission of Record", groups=STAFF, help="入党时间."
    )
    fact_party_date = fields.Date(
        compute="_compute_fact_dates", store=True, groups=STAFF
    )
    fact_party_status = fields.Selection(
        POLITICAL_STATUSES, string="Political Status", groups=STAFF
    )
    fact_identity = fields.Char(
        string="Cadre Identity",
        groups=STAFF,
        help="干部身份: 公务员, 参照公务员法管理, 事业单位管理人员 ...",
    )
    fact_identity_text = fields.Char(
        string="Cadre Identity Since", groups=STAFF, help="When it was obtained."
    )
    fact_identity_date = fields.Date(
        compute="_compute_fact_dates", store=True, groups=STAFF
    )
    fact_education_ids = fields.One2many(
        "cadre.archive.fact.education",
        "dossier_id",
        string="Education of Record",
        groups=STAFF,
    )
    fact_work_ids = fields.One2many(
        "cadre.archive.fact.work",
        "dossier_id",
        string="Work History of Record",
        groups=STAFF,
    )
    fact_date_ids = fields.One2many(
        "cadre.archive.fact.date",
        "dossier_id",
        string="Dates as Recorded on the Materials",
        groups=STAFF,
    )
    facts_recorded_uid = fields.Many2one(
        "res.users", string="Facts Recorded By", readonly=True, groups=STAFF
    )
    facts_recorded_date = fields.Datetime(
        string="Facts Recorded On", readonly=True, groups=STAFF
    )
    audit_ids = fields.One2many(
        "cadre.archive.audit", "dossier_id", string="Audits", groups=STAFF
    )
    audit_count = fields.Integer(compute="_compute_audit_count", groups=STAFF)

    @api.depends(*_partial_date_fields)
    def _compute_fact_dates(self):
        for dossier in self:
            dossier.fact_birth_date = dossier._safe_first_day("fact_birth_text")
            dossier.fact_work_start_date = dossier._safe_first_day(
                "fact_work_start_text"
            )
            dossier.fact_party_date = dossier._safe_first_day("fact_party_text")
            dossier.fact_identity_date = dossier._safe_first_day("fact_identity_text")

    @api.depends("audit_ids")
    def _compute_audit_count(self):
        for dossier in self:
            dossier.audit_count = len(dossier.audit_ids)

    @api.constrains(*_partial_date_fields)
    def _check_fact_dates(self):
        self._check_partial_dates()

    def write(self, vals):
        result = super().write(vals)
        if self._fact_fields.intersection(vals) and not self._is_workflow_write():
            self._workflow_write(
                {
                    "facts_recorded_uid": self.env.uid,
                    "facts_recorded_date": fields.Datetime.now(),
                }
            )
        return result

    def action_audit(self):
        """Audit these dossiers now: a new audit each, run at once."""
        audits = self.env["cadre.archive.audit"]._start_for(self)
        audits.action_run()
        if len(audits) == 1:
            return audits._open_action()
        return self.env["cadre.archive.audit"]._list_action(audits)

    def action_audit_in_background(self):
        """Audit these dossiers in the background, one job per dossier."""
        self.env["cadre.archive.audit"]._queue_for(self)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": self.env._(
                    "%(count)s dossier(s) will be audited in the background.",
                    count=len(self),
                ),
                "type": "info",
            },
        }

    def action_open_audits(self):
        self.ensure_one()
        return self.env["cadre.archive.audit"]._list_action(self.audit_ids)

    def _audit_job(self):
        """Background job: audit one dossier (a new audit, run)."""
        self.ensure_one()
        return self.env["cadre.archive.audit"]._start_for(self).action_run()
