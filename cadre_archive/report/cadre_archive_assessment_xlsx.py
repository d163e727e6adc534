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
        return {
            "summary_sheet": self.env._("Assessments"),
            "lines_sheet": self.env._("Metrics"),
            "summary_title": self.env._("Assessment of the Archive Staff"),
            "lines_title": self.env._("Metrics of the Assessments"),
            "total": self.env._("Total"),
            "summary_headers": {
                "officer": self.env._("Officer"),
                "period_kind": self.env._("Period"),
                "period": self.env._("Period Assessed"),
                "date_start": self.env._("From"),
                "date_end": self.env._("To"),
                "score": self.env._("Score"),
                "grade": self.env._("Grade"),
                "training_hours": self.env._("Training Hours in the Year"),
                "state": self.env._("Status"),
                "approver": self.env._("Approved By"),
                "approved_on": self.env._("Approved On"),
                "remark": self.env._("Manager's Remark"),
            },
            "line_headers": {
                "officer": self.env._("Officer"),
                "period": self.env._("Period Assessed"),
                "metric": self.env._("Metric"),
                "raw": self.env._("Measured"),
                "score": self.env._("Score"),
                "weight": self.env._("Weight"),
                "weighted": self.env._("Weighted Score"),
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
