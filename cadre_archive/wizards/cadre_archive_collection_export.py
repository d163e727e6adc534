# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from ..lib import collection
from ..tools import lib_errors


class CadreArchiveCollectionExport(models.TransientModel):
    """The collection register of a period (and a unit) as an XLSX file."""

    _name = "cadre.archive.collection.export"
    _description = "Export the Collection Register"

    date_from = fields.Date(
        string="From", required=True, default=lambda self: self._default_date_from()
    )
    date_to = fields.Date(string="To", required=True, default=fields.Date.context_today)
    department_id = fields.Many2one(
        "hr.department",
        string="Handing-over Unit",
        help="Only the batches handed over by this unit and the units below it.",
    )

    @api.model
    def _default_date_from(self):
        return fields.Date.context_today(self).replace(day=1)

    def _batch_domain(self):
        self.ensure_one()
        domain = Domain("date_received", ">=", self.date_from) & Domain(
            "date_received", "<=", self.date_to
        )
        if self.department_id:
            domain &= Domain("department_id", "child_of", self.department_id.ids)
        return domain

    def action_export(self):
        """The XLSX of the batches of the period the user may read."""
        self.ensure_one()
        with lib_errors(self.env):
            collection.check_period(self.date_from, self.date_to)
        batches = self.env["cadre.archive.collection"].search(self._batch_domain())
        if not batches:
            raise UserError(self.env._("No batch was received in this period."))
        return self.env.ref(
            "cadre_archive.action_report_collection_register_xlsx"
        ).report_action(
            batches,
            data={
                "date_from": fields.Date.to_string(self.date_from),
                "date_to": fields.Date.to_string(self.date_to),
                "department": self.department_id.display_name or "",
            },
            config=False,
        )
