# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What every register (登记簿) shares as XLSX: the workbook in xlsxwriter's
constant-memory mode (each row flushed to disk as the next begins), the rows
from the selection of a list or the export wizard's domain, read as the user
in batches with the cache emptied between them."""

from odoo import fields, models
from odoo.fields import Domain

from ..lib import xlsx_registers
from ..tools import lib_errors

BATCH = 1000


class CadreArchiveRegisterXlsx(models.AbstractModel):
    """What every register shares: the workbook in constant-memory mode, the
    records from the selection or the wizard's domain, reading in batches."""

    _name = "report.cadre_archive.register_abstract"
    _inherit = "report.report_xlsx.abstract"
    _description = "Archive Register (XLSX), Common Part"

    def get_workbook_options(self):
        return dict(xlsx_registers.WORKBOOK_OPTIONS)

    def _register_domain(self, objs, data):
        """The domain of the rows: the wizard's, else the records selected."""
        data = data or {}
        if data.get("domain") is not None:
            return Domain(data["domain"])
        return Domain("id", "in", objs.ids)

    def _batches(self, model, domain, field_names, batch=BATCH):
        """Yield the records of ``model`` matching ``domain`` (as the user) by
        batches of ``batch``, in id order, fetching ``field_names``; the cache
        is emptied between batches (the report writes nothing)."""
        records = self.env[model]
        last_id = 0
        while True:
            chunk = records.search_fetch(
                Domain(domain) & Domain("id", ">", last_id),
                field_names,
                order="id",
                limit=batch,
            )
            if not chunk:
                return
            last_id = chunk[-1].id
            yield chunk
            self.env.invalidate_all()

    def _labels(self, model, field_name):
        field = self.env[model]._fields[field_name]
        return dict(field._description_selection(self.env))

    def _local(self, moment):
        """A UTC datetime of the database as the user's local, naive time."""
        if not moment:
            return None
        return fields.Datetime.context_timestamp(self, moment).replace(tzinfo=None)

    def _write(self, workbook, sheet, title, columns, rows, total_label=None):
        with lib_errors(self.env):
            return xlsx_registers.write_sheet(
                workbook, sheet, columns, rows, title=title, total_label=total_label
            )
