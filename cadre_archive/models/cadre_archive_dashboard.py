# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import namedtuple

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain

from ..lib import dashboard
from .cadre_archive_audit_rule import SEVERITIES

# One figure of the dashboard: ``domain`` on ``model`` is both what is counted
# and what the figure opens. ``of`` names the tile it is a share of.
Tile = namedtuple("Tile", "key section label model domain of", defaults=(None,))

# where the scans are the current ones (not replaced by a rescan)
CURRENT_PAGE = Domain("attachment_id.archive_superseded_by_id", "=", False)


class CadreArchiveDashboard(models.AbstractModel):
    """The archive manager's dashboard (工作台): the figures of the archive's
    work in hand, each the count of the list it opens.

    Every figure is one :class:`Tile` whose domain is used twice, for the
    count (``search_count`` as the user, so the record rules apply: an officer
    sees the figures of their units, a manager those of their companies) and
    for the list the figure opens. Nothing is stored.
    """

    _name = "cadre.archive.dashboard"
    _description = "Archive Manager's Dashboard"

    @api.model
    def _check_dashboard_access(self):
        if not self.env.user.has_group("cadre_archive.group_officer"):
            raise AccessError(
                self.env._("The dashboard is for the archive's officers and managers.")
            )

    # ------------------------------------------------------------------
    # The tiles
    # ------------------------------------------------------------------
    @api.model
    def _tiles(self):
        """All the tiles, in the order shown."""
        return [
            *self._digitization_tiles(),
            *self._request_tiles(),
            *self._overdue_tiles(),
            *self._finding_tiles(),
            *self._transfer_tiles(),
        ]

    @api.model
    def _digitization_tiles(self):
        section = self.env._("Digitization")
        filed = Domain("state", "=", "filed")
        digitized = filed & Domain("page_ids", "any", CURRENT_PAGE)
        ocr_pending = CURRENT_PAGE & Domain("ocr_state", "!=", "done")
        return [
            Tile(
                "materials_filed",
                section,
                self.env._("Materials filed"),
                "cadre.archive.material",
                filed,
            ),
            Tile(
                "materials_digitized",
                section,
                self.env._("Filed materials digitized"),
                "cadre.archive.material",
                digitized,
                "materials_filed",
            ),
            Tile(
                "materials_ocr",
                section,
                self.env._("Filed materials OCR'd"),
                "cadre.archive.material",
                digitized & ~Domain("page_ids", "any", ocr_pending),
                "materials_filed",
            ),
            Tile(
                "pages_scanned",
                section,
                self.env._("Pages scanned"),
                "cadre.archive.page",
                CURRENT_PAGE,
            ),
        ]

    @api.model
    def _request_tiles(self):
        section = self.env._("Requests awaiting a decision")
        labels = {
            "fresh": self.env._("Under 3 days"),
            "waiting": self.env._("3 to 7 days"),
            "late": self.env._("Over 7 days"),
        }
        waiting = Domain("state", "=", "submitted")
        tiles = []
        for key, start, end in dashboard.age_bands(self._today(), self._tz()):
            domain = waiting & Domain(
                "submitted_date", "<", fields.Datetime.to_string(end)
            )
            if start:
                domain &= Domain(
                    "submitted_date", ">=", fields.Datetime.to_string(start)
                )
            tiles.append(
                Tile(
                    f"requests_{key}",
                    section,
                    labels[key],
                    "cadre.archive.request",
                    domain,
                )
            )
        return tiles

    @api.model
    def _overdue_tiles(self):
        section = self.env._("Overdue")
        overdue = Domain("is_overdue", "=", True)
        return [
            Tile(
                "lendings_overdue",
                section,
                self.env._("Paper files not back"),
                "cadre.archive.lending",
                overdue,
            ),
            Tile(
                "dues_overdue",
                section,
                self.env._("Materials past their deadline"),
                "cadre.archive.due",
                overdue,
            ),
        ]

    @api.model
    def _finding_tiles(self):
        section = self.env._("Open audit findings")
        labels = dict(
            self.env["cadre.archive.audit.finding"]
            ._fields["severity"]
            ._description_selection(self.env)
        )
        return [
            Tile(
                f"findings_{severity}",
                section,
                labels[severity],
                "cadre.archive.audit.finding",
                Domain("state", "=", "open") & Domain("severity", "=", severity),
            )
            for severity, _label in reversed(SEVERITIES)
        ]

    @api.model
    def _transfer_tiles(self):
        section = self.env._("Transfers")
        sent = Domain("state", "=", "sent")
        return [
            Tile(
                "transfers_out_sent",
                section,
                self.env._("Sent out, receipt awaited"),
                "cadre.archive.transfer",
                sent & Domain("direction", "=", "out"),
            ),
            Tile(
                "transfers_in_sent",
                section,
                self.env._("Coming in, to receive"),
                "cadre.archive.transfer",
                sent & Domain("direction", "=", "in"),
            ),
        ]

    @api.model
    def _tz(self):
        """The user's time zone, as ``fields.Date.context_today`` reads it;
        the archive's when the user has none."""
        return (
            self.env.context.get("tz")
            or self.env.user.tz
            or self.env.company._archive_tz()
        )

    @api.model
    def _today(self):
        return fields.Date.context_today(self.with_context(tz=self._tz()))

    @api.model
    def _tile(self, key):
        for tile in self._tiles():
            if tile.key == key:
                return tile
        raise UserError(
            self.env._("There is no figure %(key)s on the dashboard.", key=key)
        )

    # ------------------------------------------------------------------
    # What the web client calls
    # ------------------------------------------------------------------
    @api.model
    def get_dashboard_tiles(self):
        """The tiles with their counts, as the current user."""
        self._check_dashboard_access()
        tiles = self._tiles()
        counts = {
            tile.key: self.env[tile.model].search_count(list(tile.domain))
            for tile in tiles
        }
        return [
            {
                "key": tile.key,
                "section": tile.section,
                "label": tile.label,
                "count": counts[tile.key],
                "of": counts[tile.of] if tile.of else False,
            }
            for tile in tiles
        ]

    @api.model
    def action_open_tile(self, key):
        """The list of the records counted by the tile ``key``."""
        self._check_dashboard_access()
        tile = self._tile(key)
        return {
            "type": "ir.actions.act_window",
            "name": f"{tile.section}: {tile.label}",
            "res_model": tile.model,
            "views": [(False, "list"), (False, "form")],
            "domain": list(tile.domain),
            "context": {"create": False},
            "target": "current",
        }
