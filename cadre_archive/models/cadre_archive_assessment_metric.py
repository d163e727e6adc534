# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..lib import assessment
from ..tools import lib_errors

AUDIT_FINDING_MODEL = "cadre.archive.audit.finding"

# the metrics the addon knows how to measure (a method ``_metric_<code>`` of
# cadre.archive.assessment each); the records say how much each one weighs
METRIC_CODES = [
    ("materials_filed", "Materials filed"),
    ("pages_digitized", "Pages digitized"),
    ("ocr_corrections", "OCR corrections made"),
    ("requests_handled", "Requests handled"),
    ("request_hours", "Mean hours to decide a request"),
    ("lendings_late", "Lendings returned late"),
    ("dues_on_time", "Due materials collected on time (%)"),
    ("transfers_on_time", "Transfer receipts back on time (%)"),
    ("audit_resolved", "Audit findings resolved"),
    ("audit_findings", "Findings raised against materials they filed"),
]
# metrics that measure the special audit (专项审核): skipped while it is absent
AUDIT_METRICS = frozenset({"audit_resolved", "audit_findings"})


class CadreArchiveAssessmentMetric(models.Model):
    """A metric of the archive staff's assessment and how much it weighs.

    Archive managers choose which metrics count (``active``), their weight and
    their target: a metric that is better higher scores 100 at its target, one
    that is better lower scores 0 at its target. The computation itself is
    the addon's (``code``); the audit metrics count only once the special
    audit is installed.
    """

    _name = "cadre.archive.assessment.metric"
    _description = "Assessment Metric of the Archive Staff"
    _order = "sequence, id"

    code = fields.Selection(METRIC_CODES, required=True)
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    weight = fields.Float(
        default=10.0,
        help="How much the metric counts, against the other metrics that have "
        "a value in the period.",
    )
    direction = fields.Selection(
        [("higher", "Higher is better"), ("lower", "Lower is better")],
        required=True,
        default="higher",
    )
    target = fields.Float(
        required=True,
        default=1.0,
        help="Higher is better: the value scoring 100. Lower is better: the "
        "value scoring 0 (no fault scores 100).",
    )
    per_month = fields.Boolean(
        string="Target per Month",
        default=True,
        help="The target is a monthly figure, multiplied by the months of the "
        "period (3 for a quarter, 12 for a year). Off for shares and durations.",
    )
    unit = fields.Char(translate=True, help="What the raw value counts.")
    description = fields.Text(translate=True)
    available = fields.Boolean(
        compute="_compute_available",
        help="The records this metric measures exist in this database (the "
        "audit metrics need the special audit).",
    )

    _code_uniq = models.Constraint("unique (code)", "Each metric is configured once.")
    _weight_positive = models.Constraint(
        "CHECK (weight >= 0)", "A metric's weight cannot be negative."
    )
    _target_positive = models.Constraint(
        "CHECK (target > 0)", "The target of a metric must be above zero."
    )

    @api.depends("code")
    def _compute_available(self):
        for metric in self:
            metric.available = metric._is_available()

    def _is_available(self):
        self.ensure_one()
        return self.code not in AUDIT_METRICS or AUDIT_FINDING_MODEL in self.env

    @api.constrains("target", "direction")
    def _check_target(self):
        for metric in self:
            with lib_errors(self.env, ValidationError):
                assessment.normalise(0, metric.target, metric.direction)

    @api.model
    def _metrics_to_measure(self):
        """The active metrics whose records exist, in order."""
        return self.search([("active", "=", True)]).filtered(
            lambda metric: metric._is_available()
        )
