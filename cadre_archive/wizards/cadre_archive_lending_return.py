# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import AccessError


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

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_lending(vals.get("lending_id"))
        return super().create(vals_list)

    def write(self, vals):
        if "lending_id" in vals:
            self._check_lending(vals["lending_id"])
        return super().write(vals)

    @api.model
    def _check_lending(self, lending_id):
        """Only a lending the user keeps: the wizard shows its page count."""
        lending = self.env["cadre.archive.lending"].browse(lending_id or [])
        if not lending or not lending.exists() or not lending.has_access("write"):
            raise AccessError(
                self.env._("You may only take back the paper files you keep.")
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
