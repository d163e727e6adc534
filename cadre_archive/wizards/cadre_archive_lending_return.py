# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class CadreArchiveLendingReturn(models.TransientModel):
    _name = "cadre.archive.lending.return"
    _description = "Return of a Paper File"

    lending_id = fields.Many2one("cadre.archive.lending", required=True)
    expected_page_count = fields.Integer(
        related="lending_id.dossier_id.page_count", string="Pages in the Catalog"
    )
    page_count = fields.Integer(
        string="Pages Counted",
        required=True,
        help="Count the pages of the returned file against the catalog.",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "cadre.archive.lending":
            values.setdefault("lending_id", self.env.context.get("active_id"))
        return values

    def action_confirm(self):
        self.ensure_one()
        self.lending_id.action_return(self.page_count)
        return {"type": "ir.actions.act_window_close"}
