# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from ..lib import collection
from ..tools import lib_errors

# register: (report action xml id, model, date field of the period or None)
REGISTERS = {
    "catalog": ("action_report_catalog_register_xlsx", "cadre.archive.dossier", None),
    "units": ("action_report_unit_statistics_xlsx", "cadre.archive.dossier", None),
    "requests": (
        "action_report_request_registry_xlsx",
        "cadre.archive.request",
        "date_start",
    ),
    "lendings": (
        "action_report_lending_register_xlsx",
        "cadre.archive.lending",
        "date_out",
    ),
    "access_log": (
        "action_report_access_log_register_xlsx",
        "cadre.archive.access.log",
        "create_date",
    ),
    "transfers": (
        "action_report_transfer_register_xlsx",
        "cadre.archive.transfer",
        "date_sent",
    ),
    "audit_findings": (
        "action_report_audit_findings_register_xlsx",
        "cadre.archive.audit.finding",
        "audit_id.date",
    ),
}
# the period fields that are moments (compared by UTC day), not days
DATETIME_PERIODS = ("create_date", "audit_id.date")


class CadreArchiveRegisterExport(models.TransientModel):
    """Choose a register, the units and the period, and get its XLSX.

    The register reads its rows as the user in batches from the domain the
    wizard passes in the report's data (ten thousand dossiers never travel as
    a list of ids through the browser); the requests registry, the older
    report, takes its requests as ids.
    """

    _name = "cadre.archive.register.export"
    _description = "Export an Archive Register"

    register = fields.Selection(
        [
            ("catalog", "Dossier Catalog"),
            ("units", "Statistics per Unit"),
            ("requests", "Consultation Requests"),
            ("lendings", "Lendings of Paper Files"),
            ("access_log", "Access Log"),
            ("transfers", "Transfers"),
            ("audit_findings", "Audit Findings"),
        ],
        required=True,
        default="catalog",
    )
    department_ids = fields.Many2many(
        "hr.department",
        string="Units",
        help="Only the dossiers of these units and the units below them; empty: "
        "every unit you keep.",
    )
    date_from = fields.Date(string="From")
    date_to = fields.Date(string="To")
    needs_period = fields.Boolean(compute="_compute_needs_period")

    @api.depends("register")
    def _compute_needs_period(self):
        for wizard in self:
            wizard.needs_period = bool(REGISTERS[wizard.register][2])

    def _unit_domain(self, model):
        if not self.department_ids:
            return Domain.TRUE
        path = {
            "cadre.archive.request": "dossier_ids.department_id",
            "cadre.archive.transfer": "dossier_ids.department_id",
        }.get(model, "department_id")
        return Domain(path, "child_of", self.department_ids.ids)

    def _period_domain(self, date_field):
        """The period on ``date_field``, both days included, as strings (the
        domain travels through the browser as JSON). The moments (the
        access log's, the audits') are compared by UTC day."""
        domain = Domain.TRUE
        if not date_field:
            return domain
        if self.date_from:
            domain &= Domain(date_field, ">=", fields.Date.to_string(self.date_from))
        if self.date_to:
            if date_field in DATETIME_PERIODS:
                end = fields.Date.add(self.date_to, days=1)
                domain &= Domain(date_field, "<", fields.Date.to_string(end))
            else:
                domain &= Domain(date_field, "<=", fields.Date.to_string(self.date_to))
        return domain

    def _register_domain(self):
        __, model, date_field = REGISTERS[self.register]
        return self._unit_domain(model) & self._period_domain(date_field)

    def action_export(self):
        """The XLSX of the chosen register, of what the user may read."""
        self.ensure_one()
        with lib_errors(self.env):
            collection.check_period(self.date_from or None, self.date_to or None)
        action_id, model, __ = REGISTERS[self.register]
        domain = self._register_domain()
        if not self.env[model].search_count(domain, limit=1):
            raise UserError(self.env._("There is nothing to export for this choice."))
        report = self.env.ref(f"cadre_archive.{action_id}")
        if self.register == "requests":
            return report.report_action(self.env[model].search(domain), config=False)
        return report.report_action(None, data={"domain": list(domain)}, config=False)
