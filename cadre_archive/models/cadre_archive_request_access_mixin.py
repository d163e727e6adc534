# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class CadreArchiveRequestAccessMixin(models.AbstractModel):
    """What an approved request opens now, for the requesters' record rules.

    The rules say ``[('request_access_ok', '=', True)]``; the search method runs
    when the query is built, so access opens and closes with the period itself.
    Models say which of their records a set of requests opens in
    ``_granted_ids_sql``.
    """

    _name = "cadre.archive.request.access.mixin"
    _description = "Access Opened by Consultation Requests"

    request_access_ok = fields.Boolean(
        compute="_compute_request_access_ok",
        search="_search_request_access_ok",
        help="Technical: the current user holds an approved request giving "
        "access to this record now. Used by the requesters' record rule.",
    )

    @api.depends_context("uid")
    def _compute_request_access_ok(self):
        granted = self.search(
            [("id", "in", self.ids), ("request_access_ok", "=", True)]
        )
        for record in self:
            record.request_access_ok = record in granted

    def _search_request_access_ok(self, operator, value):
        if operator != "in" or True not in value:
            return NotImplemented
        granting = self.env["cadre.archive.request"]._granting_ids_sql()
        if granting is None:
            # no open request (all archive staff, most requesters): the rule
            # vanishes from the query instead of adding a sub-query to it
            return [("id", "in", [])]
        rows = self.env.execute_query(self._granted_ids_sql(granting))
        return [("id", "in", [row[0] for row in rows])]

    @api.model
    def _granted_ids_sql(self, granting):
        """SQL selecting the ids of the records the ``granting`` requests open."""
        raise NotImplementedError
