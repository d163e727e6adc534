# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class CadreArchiveTransferReceive(models.TransientModel):
    """Record the receipt (回执) of a transfer out, signed by the receiver."""

    _name = "cadre.archive.transfer.receive"
    _description = "Record the Receipt of a Transfer"

    transfer_id = fields.Many2one("cadre.archive.transfer", required=True)
    signatory = fields.Char(
        required=True, help="Who signed the receipt at the receiving organisation."
    )
    date_received = fields.Date(
        string="Receipt Dated",
        required=True,
        default=fields.Date.context_today,
    )

    def action_confirm(self):
        self.ensure_one()
        self.transfer_id.action_receive(
            signatory=self.signatory, date_received=self.date_received
        )
        return {"type": "ir.actions.act_window_close"}


class CadreArchiveTransferUndo(models.TransientModel):
    """Undo a transfer sent by mistake (archive managers), with the reason."""

    _name = "cadre.archive.transfer.undo"
    _description = "Undo a Transfer"

    transfer_id = fields.Many2one("cadre.archive.transfer", required=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.transfer_id.action_undo(reason=self.reason)
        return {"type": "ir.actions.act_window_close"}
