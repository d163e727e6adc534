# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

from ..tools.constants import REQUEST_MODEL


class CadreArchiveRequestDecision(models.Model):
    """The opinion (审批意见) one approver gave at one tier of a request.

    Written by the request's Approve and Refuse actions only (as the system:
    nobody holds create, write or unlink rights on it), one line per tier
    decided, and printed in the archive's opinion box of the approval form
    (查（借）阅干部人事档案审批表). Whoever may read the request reads its
    decisions (the rule on ``request_readable`` applies the request's rules).
    """

    _name = "cadre.archive.request.decision"
    _description = "Approval Opinion on a Consultation Request"
    _order = "request_id, tier, id"

    request_id = fields.Many2one(
        REQUEST_MODEL, required=True, index=True, ondelete="cascade", readonly=True
    )
    tier = fields.Integer(readonly=True)
    user_id = fields.Many2one("res.users", string="Approver", readonly=True)
    decision = fields.Selection(
        [("approved", "Approved"), ("refused", "Refused")], readonly=True
    )
    opinion = fields.Text(
        string="Approval Opinion", readonly=True, help="审批意见, as printed."
    )
    date = fields.Datetime(readonly=True, default=fields.Datetime.now)
    request_readable = fields.Boolean(
        compute="_compute_request_readable",
        search="_search_request_readable",
        help="Technical: the current user may read the request of this line. "
        "Used by the record rule: a decision follows its request's rules.",
    )

    @api.depends_context("uid")
    def _compute_request_readable(self):
        requests = self.sudo().request_id.with_user(self.env.uid)
        readable = requests._filtered_access("read")
        for decision in self:
            decision.request_readable = decision.sudo().request_id in readable

    def _search_request_readable(self, operator, value):
        if operator != "in" or True not in value:
            return NotImplemented
        requests = self.env[REQUEST_MODEL].with_user(self.env.uid)
        # the request rules read stored computed fields (its dossiers)
        requests.flush_model()
        return [
            ("request_id", "in", requests.with_context(active_test=False)._search([]))
        ]
