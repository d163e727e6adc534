# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

from ..tools.constants import PARTY_MEMBER_STATUSES, POLITICAL_STATUSES, REQUEST_MODEL


class CadreArchiveRequestReader(models.Model):
    """A reader (查阅人) named on a consultation request's approval form.

    A line belongs to its request: whoever may read the request reads its
    readers (the rule on ``request_readable`` applies the request's own record
    rules), and the lines change only while their request may: a draft, by
    whoever may write it (``_check_request_editable``).
    """

    _name = "cadre.archive.request.reader"
    _description = "Reader Named on a Consultation Request"
    _order = "request_id, sequence, id"

    request_id = fields.Many2one(
        REQUEST_MODEL, required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Reader", required=True)
    post = fields.Char(help="The reader's post (职务).")
    political_status = fields.Selection(
        POLITICAL_STATUSES, help="The reader's political status (政治面貌)."
    )
    is_party_member = fields.Boolean(
        string="Party Member",
        compute="_compute_is_party_member",
        store=True,
        help="A member or probationary member of the Communist Party of China.",
    )
    id_number = fields.Char(
        string="ID Number", help="Number of the reader's identity document (optional)."
    )
    request_readable = fields.Boolean(
        compute="_compute_request_readable",
        search="_search_request_readable",
        help="Technical: the current user may read the request of this line. "
        "Used by the record rule: a line follows its request's rules.",
    )

    @api.depends("political_status")
    def _compute_is_party_member(self):
        for reader in self:
            reader.is_party_member = reader.political_status in PARTY_MEMBER_STATUSES

    @api.depends_context("uid")
    def _compute_request_readable(self):
        requests = self.sudo().request_id.with_user(self.env.uid)
        readable = requests._filtered_access("read")
        for reader in self:
            reader.request_readable = reader.sudo().request_id in readable

    def _search_request_readable(self, operator, value):
        if operator != "in" or True not in value:
            return NotImplemented
        return [("request_id", "in", self._search_readable_requests())]

    def _search_readable_requests(self):
        """The requests the current user may read, under their record rules.

        The rules of this model are resolved in sudo: search the requests as
        the user, so that the request's own rules apply.
        """
        requests = self.env[REQUEST_MODEL].with_user(self.env.uid)
        # the request rules read stored computed fields (its dossiers) that a
        # sub-query would otherwise read before they are written
        requests.flush_model()
        return requests.with_context(active_test=False)._search([])

    # ------------------------------------------------------------------
    # A line changes only with its request, while the request is a draft
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        requests = self.env[REQUEST_MODEL].browse(
            {vals["request_id"] for vals in vals_list if vals.get("request_id")}
        )
        requests._check_readers_editable()
        return super().create(vals_list)

    def write(self, vals):
        self.request_id._check_readers_editable()
        if vals.get("request_id"):
            self.request_id.browse(vals["request_id"])._check_readers_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_request_locked(self):
        self.request_id._check_readers_editable()
