# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What an approved request opens: the one home of that rule.

An approved request opens to its requester, and to nobody else, from
``access_start`` to ``access_end`` (fixed at approval, in the archive's time
zone): the dossiers it names, and in them the *filed* materials of its
categories (a category covers its sub-categories; no category means all), or
only the single materials its approver named. Viewing is always allowed;
downloading and printing only where a request allows them. Archive staff need
no request: officers keep the dossiers of their units, managers those of
their companies (the record rules, and ``res.users._archive_keeps``).

A reading-room request opens only on the reading room's workstations
(``res.company.archive_reading_room_networks``, matched against the HTTP
client's address) and only on a day an archive officer confirmed the reader
is present (``action_confirm_presence``); outside an HTTP call it opens
nothing. Since the rule below is where every access is decided, that holds
for the viewer, ``/web/content`` and RPC reads alike.

The requesters' record rules say ``[('request_access_ok', '=', True)]``; its
search method asks the database at query time which requests are open now, so
access opens and closes with the period itself, with no job. The viewer, the
downloads and the prints ask ``_archive_grant`` once per call.
"""

from dataclasses import dataclass

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.fields import Domain
from odoo.tools import SQL, format_datetime

from ..tools.constants import REQUEST_MODEL


@dataclass(frozen=True)
class ArchiveGrant:
    """What the current user may do with one material, and under which
    requests (the most permissive first; none for archive staff)."""

    kept: bool
    requests: models.BaseModel

    @property
    def request(self):
        return self.requests[:1]

    @property
    def can_download(self):
        return self.kept or any(self.requests.mapped("allow_download"))

    @property
    def can_print(self):
        return self.kept or any(self.requests.mapped("allow_print"))

    def request_for(self, permission):
        """The request under which ``permission`` is used (for the log)."""
        return self.requests.filtered(permission)[:1] or self.request


class CadreArchiveRequestAccessMixin(models.AbstractModel):
    """Dossiers and materials opened by approved requests (see the module)."""

    _name = "cadre.archive.request.access.mixin"
    _description = "Access Opened by Consultation Requests"
    # what the model's records are to the requests: "dossier" or "material"
    _request_access_target = None

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
        granting = self._granting_ids_sql()
        if granting is None:
            # no open request (all archive staff, most requesters): the rule
            # vanishes from the query instead of adding a sub-query to it
            return [("id", "in", [])]
        rows = self.env.execute_query(self._granted_ids_sql(granting))
        domain = Domain("id", "in", [row[0] for row in rows])
        if self._request_access_target == "material":
            # the same materials, their dossiers named too: the database then
            # reads the few dossiers opened through the dossier index, where
            # a list of material ids alone let it walk the whole archive in
            # the search list's order looking for them
            domain &= Domain("dossier_id", "in", sorted({row[1] for row in rows}))
        return domain

    # ------------------------------------------------------------------
    # Which requests are open now, and what they open
    # ------------------------------------------------------------------
    @api.model
    def _granting_requests_sql(self):
        """SQL selecting the current user's requests that are open now.

        A reading-room request is open only where and when it says: on a
        workstation of the reading room, on a day an officer confirmed the
        reader is there, and never outside an HTTP call (see
        ``_reading_room_ids_open_here`` on the request). The paper lent to a
        reader from another organisation opens nothing on screen to the
        officer who filed the request for them.
        """
        self._flush_granting_data()
        now = fields.Datetime.now()
        return SQL(
            "SELECT r.id FROM cadre_archive_request r"
            " WHERE r.requester_id = %s AND r.state = 'approved'"
            " AND r.access_start <= %s AND r.access_end > %s"
            " AND (r.request_type != 'reading_room' OR r.id = ANY(%s::int[]))"
            " AND NOT (r.is_outside AND r.request_type = 'lend')",
            self.env.uid,
            now,
            now,
            self.env[REQUEST_MODEL]._reading_room_ids_open_here(),
        )

    @api.model
    def _granting_ids_sql(self):
        """The open requests as a list of ids in SQL, or None when there is none.

        The rules use the ids themselves rather than a sub-query: most users
        hold no open request, and the rule then vanishes from the query
        instead of putting a scan of the whole material table into every search.
        """
        ids = [row[0] for row in self.env.execute_query(self._granting_requests_sql())]
        return SQL("SELECT unnest(%s::int[])", ids) if ids else None

    @api.model
    def _flush_granting_data(self):
        """The granting SQL reads these columns directly: write pending changes."""
        self.env[REQUEST_MODEL].flush_model(
            [
                "requester_id",
                "state",
                "access_start",
                "access_end",
                "request_type",
                "is_outside",
                "dossier_ids",
                "category_ids",
                "material_ids",
            ]
        )
        self.env["cadre.archive.material"].flush_model(
            ["state", "dossier_id", "category_id"]
        )
        self.env["cadre.archive.category"].flush_model(["parent_id"])

    @api.model
    def _granted_ids_sql(self, granting):
        """SQL selecting the ids of this model's records ``granting`` opens."""
        if self._request_access_target == "dossier":
            return SQL(
                "SELECT DISTINCT rel.dossier_id"
                " FROM cadre_archive_request_dossier_rel rel"
                " WHERE rel.request_id IN (%s)",
                granting,
            )
        return SQL(
            "SELECT pair.material_id, pair.dossier_id FROM (%s) pair",
            self._granted_pairs_sql(granting),
        )

    @api.model
    def _granted_pairs_sql(self, granting):
        """(material_id, request_id, dossier_id) for each filed material a
        request opens."""
        return SQL(
            """
            SELECT m.id AS material_id, rel.request_id AS request_id,
                   m.dossier_id AS dossier_id
              FROM cadre_archive_material m
              JOIN cadre_archive_request_dossier_rel rel
                ON rel.dossier_id = m.dossier_id
              JOIN cadre_archive_category c ON c.id = m.category_id
             WHERE m.state = 'filed'
               AND rel.request_id IN (%(granting)s)
               AND (NOT EXISTS (
                        SELECT 1 FROM cadre_archive_request_category_rel rc
                         WHERE rc.request_id = rel.request_id)
                    OR EXISTS (
                        SELECT 1 FROM cadre_archive_request_category_rel rc
                         WHERE rc.request_id = rel.request_id
                           AND rc.category_id IN (c.id, c.parent_id)))
               AND (NOT EXISTS (
                        SELECT 1 FROM cadre_archive_request_material_rel rm
                         WHERE rm.request_id = rel.request_id)
                    OR EXISTS (
                        SELECT 1 FROM cadre_archive_request_material_rel rm
                         WHERE rm.request_id = rel.request_id
                           AND rm.material_id = m.id))
            """,
            granting=granting,
        )

    # ------------------------------------------------------------------
    # The grant of one material, for the viewer, downloads and prints
    # ------------------------------------------------------------------
    def _archive_grant(self):
        """What the current user may do with this material now, and why:
        everything for the archive staff keeping it; for a requester, what
        their open requests allow (AccessError without one)."""
        self.ensure_one()
        if self._request_access_target != "material":
            raise NotImplementedError("a grant is worked out for materials only")
        self.check_access("read")
        requests = self.env[REQUEST_MODEL]
        if self.env.user._archive_keeps(self):
            return ArchiveGrant(kept=True, requests=requests)
        rows = self.env.execute_query(
            SQL(
                """
                SELECT pair.request_id FROM (%(pairs)s) pair
                  JOIN cadre_archive_request r ON r.id = pair.request_id
                 WHERE pair.material_id = %(material)s
                 ORDER BY r.allow_download DESC, r.allow_print DESC, r.id
                """,
                pairs=self._granted_pairs_sql(self._granting_requests_sql()),
                material=self.id,
            )
        )
        if not rows:
            raise AccessError(self.env._("You have no open request for this material."))
        return ArchiveGrant(kept=False, requests=requests.browse(r[0] for r in rows))

    def _archive_period_refusal(self):
        """Why the current user cannot read this material now although a
        request of theirs opens it at another time (not yet begun, over, or
        finished early), as a sentence for the viewer; None otherwise.

        It speaks only of materials the user's own approved requests open
        (within their scope), so it tells nothing about the rest of the
        archive.
        """
        self.ensure_one()
        if self._request_access_target != "material":
            raise NotImplementedError("a refusal is worked out for materials only")
        now = fields.Datetime.now()
        approved = SQL(
            "SELECT r.id FROM cadre_archive_request r"
            " WHERE r.requester_id = %s AND r.state IN ('approved', 'done')"
            " AND r.access_start IS NOT NULL",
            self.env.uid,
        )
        rows = self.env.execute_query(
            SQL(
                """
                SELECT pair.request_id FROM (%(pairs)s) pair
                  JOIN cadre_archive_request r ON r.id = pair.request_id
                 WHERE pair.material_id = %(material)s
                 ORDER BY r.access_end DESC, r.id DESC
                 LIMIT 1
                """,
                pairs=self._granted_pairs_sql(approved),
                material=self.id,
            )
        )
        if not rows:
            return None
        return self._period_sentence(self.env[REQUEST_MODEL].browse(rows[0][0]), now)

    @api.model
    def _period_sentence(self, request, now):
        request = request.sudo()
        values = {
            "request": request.name,
            "start": format_datetime(self.env, request.access_start),
            "end": format_datetime(self.env, request.access_end),
        }
        if request.state == "approved" and request.access_start > now:
            return self.env._(
                "Request %(request)s opens this material on %(start)s: come back then.",
                **values,
            )
        if request.state == "approved" and request.access_end > now:
            # inside the period, yet refused: the reading room said why
            return None
        return self.env._(
            "Request %(request)s no longer opens this material: its period "
            "ended on %(end)s or it was closed. File a new consultation request "
            "to read it again.",
            **values,
        )
