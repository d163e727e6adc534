# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models

from ..lib import missing_xlsx


class CadreArchiveMissingXlsx(models.AbstractModel):
    """What the dossiers lack and expect (欠缺材料), per unit, as XLSX.
    Rendered as the user: the record rules of dossiers and expectations apply."""

    _name = "report.cadre_archive.missing_xlsx"
    _inherit = "report.cadre_archive.register_abstract"
    _description = "Missing Materials of a Unit (XLSX)"

    def generate_xlsx_report(self, workbook, data, objs):
        dossiers = objs.exists()
        dossiers.check_access("read")
        self.env["cadre.archive.due"].check_access("read")
        rows = []
        for dossier in dossiers.sorted(
            lambda d: (d.department_id.complete_name or "", d.name)
        ):
            rows.extend(self._dossier_rows(dossier))
        missing_xlsx.write_missing_sheet(
            workbook,
            self.env._("Missing Materials"),
            self.env._("Missing and Expected Materials"),
            self._headers(),
            rows,
        )

    def _headers(self):
        return {
            "unit": self.env._("Unit"),
            "number": self.env._("Archive Number"),
            "cadre": self.env._("Cadre"),
            "category": self.env._("Category"),
            "expected": self.env._("Expected Material"),
            "origin": self.env._("Origin"),
            "event_date": self.env._("Event Date"),
            "deadline": self.env._("Deadline"),
            "overdue": self.env._("Overdue"),
            "responsible": self.env._("Responsible Officer"),
        }

    def _dossier_rows(self, dossier):
        base = {
            "unit": dossier.department_id.complete_name or "",
            "number": dossier.name,
            "cadre": dossier.employee_id.name,
        }
        dues = dossier._open_dues()
        if not dues:
            return [dict(base, expected=self.env._("Nothing missing"))]
        origins = dict(dues._fields["origin"]._description_selection(self.env))
        return [
            dict(
                base,
                category=due.category_id.code,
                expected=due.name,
                origin=origins.get(due.origin, ""),
                event_date=due.event_date,
                deadline=due.deadline,
                overdue=self.env._("Yes") if due.is_overdue else "",
                responsible=due.user_id.name or "",
            )
            for due in dues
        ]
