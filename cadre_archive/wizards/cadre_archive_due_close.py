# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class CadreArchiveDueClose(models.TransientModel):
    """Close expected materials by hand, saying why (no filed material)."""

    _name = "cadre.archive.due.close"
    _description = "Close Expected Materials by Hand"

    due_ids = fields.Many2many("cadre.archive.due", required=True)
    reason = fields.Text(
        required=True,
        help="Why the material is not expected any more, or how it came.",
    )

    def action_confirm(self):
        self.ensure_one()
        self.due_ids.action_close_by_hand(self.reason)
        return {"type": "ir.actions.act_window_close"}
