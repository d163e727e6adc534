# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

from ..lib import collection
from ..tools import lib_errors


class CadreArchiveCollectionRegisterXlsx(models.AbstractModel):
    """The collection register (收集登记簿) as XLSX: one row per batch of the
    period, then the totals. Rendered as the user, so the record rules of the
    register apply; the period comes from the export wizard (``data``)."""

    _name = "report.cadre_archive.collection_register_xlsx"
    _inherit = "report.cadre_archive.register_abstract"
    _description = "Archive Collection Register (XLSX)"

    def generate_xlsx_report(self, workbook, data, objs):
        batches = objs.exists()
        batches.check_access("read")
        data = data or {}
        date_from = fields.Date.to_date(data.get("date_from"))
        date_to = fields.Date.to_date(data.get("date_to"))
        with lib_errors(self.env):
            rows = collection.select_period(
                [self._register_row(batch) for batch in batches.sorted("id")],
                date_from,
                date_to,
            )
            collection.write_register(
                workbook,
                self.env._("Collection Register"),
                self._register_headers(),
                rows,
                self._register_title(date_from, date_to, data.get("department")),
                self.env._("Total"),
            )

    def _register_title(self, date_from, date_to, department):
        title = self.env._("Collection Register of Archive Materials")
        if date_from or date_to:
            title += " " + self.env._(
                "%(start)s to %(end)s",
                start=fields.Date.to_string(date_from) if date_from else "…",
                end=fields.Date.to_string(date_to) if date_to else "…",
            )
        if department:
            title += f" ({department})"
        return title

    def _register_headers(self):
        return {
            "number": self.env._("Register Number"),
            "unit": self.env._("Handing-over Unit"),
            "handed_by": self.env._("Handed Over By"),
            "date_received": self.env._("Received On"),
            "officer": self.env._("Received By"),
            "declared_materials": self.env._("Declared Materials"),
            "declared_pages": self.env._("Declared Pages"),
            "materials": self.env._("Materials Entered"),
            "pages": self.env._("Pages Entered"),
            "result": self.env._("Check Result"),
            "reason": self.env._("Reason for Return"),
        }

    def _register_row(self, batch):
        states = dict(batch._fields["state"]._description_selection(self.env))
        return {
            "number": batch.name,
            "unit": batch.unit_name,
            "handed_by": batch.handed_by,
            "date_received": batch.date_received,
            "officer": batch.user_id.name,
            "declared_materials": batch.declared_material_count,
            "declared_pages": batch.declared_page_count,
            "materials": batch.material_count,
            "pages": batch.page_count,
            "result": states.get(batch.state, ""),
            "reason": batch.return_reason or False,
        }
