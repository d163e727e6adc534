# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class CadreArchiveCollectionReason(models.TransientModel):
    """Return batches of the collection register for correction, or reset a
    mistaken check (an archive manager), saying why."""

    _name = "cadre.archive.collection.reason"
    _description = "Reason for Returning or Resetting a Received Batch"

    collection_ids = fields.Many2many("cadre.archive.collection", required=True)
    action = fields.Selection(
        [("return", "Return for Correction"), ("reset", "Reset the Check")],
        required=True,
        default="return",
    )
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        if self.action == "reset":
            self.collection_ids.action_reset_to_draft(self.reason)
        else:
            self.collection_ids.action_return(self.reason)
        return {"type": "ir.actions.act_window_close"}
