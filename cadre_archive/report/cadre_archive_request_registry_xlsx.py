# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

from ..lib import registry_xlsx


class CadreArchiveRequestRegistryXlsx(models.AbstractModel):
    """The request registry (查借阅登记簿) as XLSX, for the requests the user may
    read (report_xlsx renders it as the user, so the record rules apply)."""

    _name = "report.cadre_archive.request_registry_xlsx"
    _inherit = "report.cadre_archive.register_abstract"
    _description = "Archive Request Registry (XLSX)"

    def generate_xlsx_report(self, workbook, data, objs):
        requests = objs.exists()
        requests.check_access("read")
        registry_xlsx.write_registry(
            workbook,
            self.env._("Requests"),
            self._registry_headers(),
            [self._registry_row(request) for request in requests.sorted("id")],
            self.env._("Archive Consultation Register"),
        )

    def _registry_headers(self):
        return {
            "reference": self.env._("Reference"),
            "requester": self.env._("Requester"),
            "unit": self.env._("Requester's Unit"),
            "cadres": self.env._("Cadres"),
            "purpose": self.env._("Purpose"),
            "kind": self.env._("Kind"),
            "scope": self.env._("Scope"),
            "date_start": self.env._("From"),
            "date_end": self.env._("To"),
            "state": self.env._("Status"),
            "approver": self.env._("Approved By"),
            "approved_on": self.env._("Approved On"),
            "views": self.env._("Pages Viewed"),
        }

    def _registry_row(self, request):
        selection = dict(
            request._fields["request_type"]._description_selection(self.env)
        )
        states = dict(request._fields["state"]._description_selection(self.env))
        requester_employee = request.requester_id.sudo().employee_ids[:1]
        approved_on = (
            fields.Datetime.context_timestamp(self, request.approved_date).replace(
                tzinfo=None
            )
            if request.approved_date
            else None
        )
        return {
            "reference": request.name,
            "requester": request.requester_id.name,
            "unit": requester_employee.department_id.name or "",
            "cadres": "、".join(request.cadre_ids.mapped("name")),
            "purpose": request.purpose or "",
            "kind": selection.get(request.request_type, ""),
            "scope": "、".join(request.category_ids.mapped("display_name"))
            or self.env._("Every category"),
            "date_start": request.date_start,
            "date_end": request.date_end,
            "state": states.get(request.state, ""),
            "approver": request.approver_id.name or "",
            "approved_on": approved_on,
            "views": request.sudo().access_log_count,
        }
