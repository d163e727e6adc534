# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class CadreArchiveRequestApprove(models.TransientModel):
    """Approve requests with an opinion (审批意见), after seeing what is
    approved: the way the web client approves."""

    _name = "cadre.archive.request.approve"
    _description = "Approve Archive Requests"

    request_ids = fields.Many2many("cadre.archive.request", required=True)
    opinion = fields.Text(
        string="Approval Opinion",
        required=True,
        default=lambda self: self.env["cadre.archive.request"]._default_opinion(),
        help="Printed on the approval form with your name and the date, and "
        "posted in the request's chatter.",
    )
    summary = fields.Text(string="You Approve", compute="_compute_summary")

    @api.depends("request_ids")
    def _compute_summary(self):
        for wizard in self:
            wizard.summary = "\n".join(
                request._approval_summary() for request in wizard.request_ids
            )

    def action_approve(self):
        """Approve, then say so: the dialog closes on a confirmation."""
        self.ensure_one()
        self.request_ids.action_approve(opinion=self.opinion)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self._confirmation(),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _confirmation(self):
        self.ensure_one()
        requests = self.request_ids
        names = ", ".join(requests.mapped("name"))
        if all(request.state == "approved" for request in requests):
            return self.env._(
                "%(requests)s approved: the requester may consult from the "
                "first day of the period.",
                requests=names,
            )
        return self.env._(
            "Your approval of %(requests)s is recorded: it now waits for the "
            "next tier of approvers.",
            requests=names,
        )
