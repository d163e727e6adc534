# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class CadreArchiveRequestRefuse(models.TransientModel):
    _name = "cadre.archive.request.refuse"
    _description = "Refuse Archive Requests"

    request_ids = fields.Many2many("cadre.archive.request", required=True)
    reason = fields.Text(required=True)

    def action_refuse(self):
        self.ensure_one()
        self.request_ids.action_refuse(reason=self.reason)
        return {"type": "ir.actions.act_window_close"}
