# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

from ..lib import audit as audit_lib


class CadreArchiveAuditSummaryXlsx(models.AbstractModel):
    """The unit summary of audits (专项审核汇总表) as XLSX: the latest of the
    selected audits of each dossier, summed up per unit, then listed. Rendered
    as the user: the record rules apply."""

    _name = "report.cadre_archive.audit_summary_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Unit Audit Summary (XLSX)"

    def generate_xlsx_report(self, workbook, data, objs):
        audits = objs.exists().filtered(lambda a: a.state == "done")
        audits.check_access("read")
        latest = self._latest_per_dossier(audits)
        bold = workbook.add_format({"bold": True, "bg_color": "#D9E1F2"})
        self._write_units(workbook, bold, latest)
        self._write_dossiers(workbook, bold, latest)

    def _latest_per_dossier(self, audits):
        latest = {}
        for audit in audits.sorted(lambda a: (a.date, a.id)):
            latest[audit.dossier_id.id] = audit
        return sorted(
            latest.values(),
            key=lambda a: (a.department_id.display_name or "", a.dossier_id.name),
        )

    def _write_units(self, workbook, bold, audits):
        sheet = workbook.add_worksheet(self.env._("Units"))
        headers = [
            self.env._("Unit"),
            self.env._("Dossiers Audited"),
            self.env._("Average Score"),
            self.env._("Excellent"),
            self.env._("Pass"),
            self.env._("Fail"),
            self.env._("Single Veto"),
            self.env._("Open Findings"),
        ]
        sheet.write_row(0, 0, headers, bold)
        rows = audit_lib.unit_summary(
            audit_lib.AuditRow(
                unit=a.department_id.display_name or "",
                score=a.score,
                grade=a.grade,
                vetoed=a.vetoed,
                open_findings=a.open_count,
            )
            for a in audits
        )
        for index, row in enumerate(rows, start=1):
            sheet.write_row(
                index,
                0,
                [
                    row["unit"],
                    row["dossiers"],
                    row["average"],
                    row["excellent"],
                    row["pass"],
                    row["fail"],
                    row["vetoed"],
                    row["open_findings"],
                ],
            )
        sheet.set_column(0, 0, 30)
        sheet.set_column(1, len(headers) - 1, 14)

    def _write_dossiers(self, workbook, bold, audits):
        sheet = workbook.add_worksheet(self.env._("Dossiers"))
        grades = dict(
            self.env["cadre.archive.audit"]
            ._fields["grade"]
            ._description_selection(self.env)
        )
        headers = [
            self.env._("Unit"),
            self.env._("Archive Number"),
            self.env._("Cadre"),
            self.env._("Audited On"),
            self.env._("Auditor"),
            self.env._("Score"),
            self.env._("Grade"),
            self.env._("Single Veto"),
            self.env._("Open Findings"),
        ]
        sheet.write_row(0, 0, headers, bold)
        for index, audit in enumerate(audits, start=1):
            when = fields.Datetime.context_timestamp(audit, audit.date)
            sheet.write_row(
                index,
                0,
                [
                    audit.department_id.display_name or "",
                    audit.dossier_id.name,
                    audit.employee_id.name or "",
                    when.strftime("%Y-%m-%d %H:%M"),
                    audit.auditor_id.name or "",
                    audit.score,
                    grades.get(audit.grade, ""),
                    self.env._("Yes") if audit.vetoed else "",
                    audit.open_count,
                ],
            )
        sheet.set_column(0, len(headers) - 1, 16)
