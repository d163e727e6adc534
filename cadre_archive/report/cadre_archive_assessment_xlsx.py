# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

from ..lib import assessment_xlsx


class CadreArchiveAssessmentXlsx(models.AbstractModel):
    """Assessments of the archive staff as XLSX: a summary sheet and the
    metrics of each, for the assessments the user may read (report_xlsx
    renders as the user, so the record rules apply)."""

    _name = "report.cadre_archive.assessment_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Assessments of the Archive Staff (XLSX)"

    def generate_xlsx_report(self, workbook, data, objs):
        records = objs.exists()
        records.check_access("read")
        records = records.sorted(lambda r: (r.period_label, -r.score, r.id))
        assessment_xlsx.write_assessments(
            workbook,
            self._texts(),
            [self._summary_row(record) for record in records],
            [
                (record.user_id.name, record.period_label, self._line_rows(record))
                for record in records
            ],
        )

    def _texts(self):
        _ = self.env._
        return {
            "summary_sheet": _("Assessments"),
            "lines_sheet": _("Metrics"),
            "summary_title": _("Assessment of the Archive Staff"),
            "lines_title": _("Metrics of the Assessments"),
            "total": _("Total"),
            "summary_headers": {
                "officer": _("Officer"),
                "period_kind": _("Period"),
                "period": _("Period Assessed"),
                "date_start": _("From"),
                "date_end": _("To"),
                "score": _("Score"),
                "grade": _("Grade"),
                "training_hours": _("Training Hours in the Year"),
                "state": _("Status"),
                "approver": _("Approved By"),
                "approved_on": _("Approved On"),
                "remark": _("Manager's Remark"),
            },
            "line_headers": {
                "officer": _("Officer"),
                "period": _("Period Assessed"),
                "metric": _("Metric"),
                "raw": _("Measured"),
                "score": _("Score"),
                "weight": _("Weight"),
                "weighted": _("Weighted Score"),
            },
        }

    def _label(self, record, name):
        selection = dict(record._fields[name]._description_selection(self.env))
        return selection.get(record[name], "")

    def _summary_row(self, record):
        approved_on = (
            fields.Datetime.context_timestamp(self, record.approved_date).replace(
                tzinfo=None
            )
            if record.approved_date
            else None
        )
        return {
            "officer": record.user_id.name,
            "period_kind": self._label(record, "period_kind"),
            "period": record.period_label,
            "date_start": record.date_start,
            "date_end": record.date_end,
            "score": record.score,
            "grade": self._label(record, "grade"),
            "training_hours": record.training_hours,
            "state": self._label(record, "state"),
            "approver": record.approved_uid.name or "",
            "approved_on": approved_on,
            "remark": record.remark or "",
        }

    def _line_rows(self, record):
        return [
            {
                "metric": line.metric_id.name,
                "raw": line.raw_value if line.applicable else None,
                "score": line.normalised_score if line.applicable else None,
                "weight": line.weight,
                "weighted": line.weighted_score if line.applicable else None,
            }
            for line in record.line_ids
        ]
