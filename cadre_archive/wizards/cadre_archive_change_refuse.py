# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class CadreArchiveChangeRefuse(models.TransientModel):
    """Refuse a rescan or a rearrangement, saying why."""

    _name = "cadre.archive.change.refuse"
    _description = "Refuse an Archive Change"

    res_model = fields.Selection(
        [
            ("cadre.archive.rearrangement", "Rearrangement"),
            ("cadre.archive.rescan", "Rescan"),
        ],
        required=True,
    )
    res_id = fields.Integer(required=True)
    reason = fields.Char(required=True)

    def action_refuse(self):
        self.ensure_one()
        self.env[self.res_model].browse(self.res_id).action_refuse(reason=self.reason)
        return {"type": "ir.actions.act_window_close"}
