# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.fields import Domain

from ..lib import annual_return
from ..tools import lib_errors


class CadreArchiveAnnualReturn(models.TransientModel):
    """The annual statistics return (年度统计) of a year, per unit and in
    total, as a PDF or an XLSX.

    Every count is read as the user: an officer's return holds the dossiers of
    their units, a manager's those of their companies. Counts per dossier are
    put in the dossier's unit of today; the collection register's batches in
    their handing-over unit.
    """

    _name = "cadre.archive.annual.return"
    _description = "Annual Statistics Return of the Archive"

    year = fields.Integer(
        required=True, default=lambda self: fields.Date.context_today(self).year - 1
    )
    department_id = fields.Many2one(
        "hr.department",
        string="Unit",
        help="Only this unit and the units below it; empty: every unit you keep.",
    )

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------
    def action_print_pdf(self):
        self.ensure_one()
        self._bounds()
        return self.env.ref("cadre_archive.action_report_annual_return").report_action(
            self, config=False
        )

    def action_export_xlsx(self):
        self.ensure_one()
        self._bounds()
        return self.env.ref(
            "cadre_archive.action_report_annual_return_xlsx"
        ).report_action(self, config=False)

    # ------------------------------------------------------------------
    # the return
    # ------------------------------------------------------------------
    def _bounds(self):
        with lib_errors(self.env):
            return annual_return.year_bounds(self.year)

    @api.model
    def _item_labels(self):
        return {
            "held_original": self.env._("Held: Originals (正本)"),
            "held_duplicate": self.env._("Held: Duplicates (副本)"),
            "held_lent": self.env._("Of Which Lent Out"),
            "opened": self.env._("Dossiers Opened"),
            "received_in": self.env._("Received by Transfer"),
            "transferred_out": self.env._("Transferred Out"),
            "batches": self.env._("Batches Collected"),
            "materials_collected": self.env._("Materials Collected"),
            "pages_collected": self.env._("Pages Collected"),
            "materials_filed": self.env._("Materials Filed"),
            "pages_filed": self.env._("Pages Filed"),
            "consultations": self.env._("Consultations (Dossiers)"),
            "lendings": self.env._("Lendings (Dossiers)"),
            "pages_digitized": self.env._("Pages Digitized"),
        }

    def _annual_return(self):
        """The return of the year (lib.annual_return.AnnualReturn)."""
        self.ensure_one()
        with lib_errors(self.env):
            return annual_return.tabulate(self.year, self._facts())

    def _dossier_domain(self):
        domain = Domain.TRUE
        if self.department_id:
            domain = Domain("department_id", "child_of", self.department_id.ids)
        return domain

    def _utc_bounds(self):
        """The year as a half-open range of UTC datetimes (for create dates),
        the days taken in the user's time zone."""
        first, last = self._bounds()
        start = datetime.combine(first, time.min)
        end = datetime.combine(last + timedelta(days=1), time.min)
        tz_start = fields.Datetime.context_timestamp(self, start)
        offset = tz_start.utcoffset() or timedelta(0)
        return start - offset, end - offset

    def _facts(self):
        """The facts (unit, item, count) of the year, read as the user."""
        first, last = self._bounds()
        start, end = self._utc_bounds()
        dossiers = self.env["cadre.archive.dossier"].search_fetch(
            self._dossier_domain() & Domain("create_date", "<", end),
            ["department_id", "copy_type", "create_date", "state"],
        )
        unit_of = {d.id: d.department_id.complete_name or "" for d in dossiers}
        facts = []
        facts += self._held_facts(dossiers, unit_of, last, start)
        facts += self._transfer_facts(unit_of, first, last)
        facts += self._opened_facts(dossiers, unit_of, start)
        facts += self._lending_facts(unit_of, first, last)
        facts += self._material_facts(unit_of, start, end)
        facts += self._consultation_facts(unit_of, first, last)
        facts += self._collection_facts(first, last)
        return [(unit or self.env._("No Unit"), item, n) for unit, item, n in facts]

    def _left_on(self, dossier_ids):
        """The day each dossier was sent out (transfers out sent or received)."""
        left = {}
        transfers = self.env["cadre.archive.transfer"].search_fetch(
            [
                ("direction", "=", "out"),
                ("state", "in", ("sent", "received")),
                ("dossier_ids", "in", dossier_ids),
            ],
            ["date_sent", "dossier_ids"],
        )
        for transfer in transfers:
            for dossier_id in transfer.dossier_ids.ids:
                day = transfer.date_sent
                if day and (dossier_id not in left or day < left[dossier_id]):
                    left[dossier_id] = day
        return left

    def _opened_day(self, dossier):
        return fields.Datetime.context_timestamp(self, dossier.create_date).date()

    def _held_facts(self, dossiers, unit_of, last, start):
        left = self._left_on(dossiers.ids)
        # a dossier transferred out without a transfer recorded here (an
        # older system's) left on a day unknown: before this year
        gone = {
            d.id: left.get(d.id, last.replace(year=1))
            for d in dossiers
            if d.state == "transferred"
        }
        facts = annual_return.held_facts(
            last,
            (
                (unit_of[d.id], d.copy_type, self._opened_day(d), gone.get(d.id))
                for d in dossiers
            ),
        )
        lendings = self.env["cadre.archive.lending"].search_fetch(
            [("dossier_id", "in", dossiers.ids), ("date_out", "<=", last)],
            ["dossier_id", "date_out", "date_returned"],
        )
        facts += [
            (unit_of[lending.dossier_id.id], "held_lent", 1)
            for lending in lendings
            if annual_return.out_at(last, lending.date_out, lending.date_returned)
        ]
        return facts

    def _transfer_facts(self, unit_of, first, last):
        facts = []
        transfers = self.env["cadre.archive.transfer"].search_fetch(
            [
                ("state", "in", ("sent", "received")),
                "|",
                "&",
                ("direction", "=", "out"),
                ("date_sent", ">=", first),
                "&",
                ("direction", "=", "in"),
                ("date_received", ">=", first),
            ],
            ["direction", "date_sent", "date_received", "state", "dossier_ids"],
        )
        for transfer in transfers:
            if transfer.direction == "out":
                counted = annual_return.in_year(transfer.date_sent, first.year)
                item = "transferred_out"
            else:
                counted = transfer.state == "received" and annual_return.in_year(
                    transfer.date_received, first.year
                )
                item = "received_in"
            if counted:
                facts += [
                    (unit_of[d], item, 1)
                    for d in transfer.dossier_ids.ids
                    if d in unit_of
                ]
        return facts

    def _opened_facts(self, dossiers, unit_of, start):
        """Dossiers opened in the year, those received by transfer apart."""
        received = self.env["cadre.archive.transfer"].search_fetch(
            [("direction", "=", "in"), ("dossier_ids", "in", dossiers.ids)],
            ["dossier_ids"],
        )
        received_ids = set(received.dossier_ids.ids)
        return [
            (unit_of[d.id], "opened", 1)
            for d in dossiers
            if d.create_date >= start and d.id not in received_ids
        ]

    def _lending_facts(self, unit_of, first, last):
        lendings = self.env["cadre.archive.lending"].search_fetch(
            [
                ("dossier_id", "in", list(unit_of)),
                ("date_out", ">=", first),
                ("date_out", "<=", last),
            ],
            ["dossier_id"],
        )
        return [(unit_of[lending.dossier_id.id], "lendings", 1) for lending in lendings]

    def _material_facts(self, unit_of, start, end):
        facts = []
        in_dossiers = Domain("dossier_id", "in", list(unit_of))
        for dossier, count, pages in self.env["cadre.archive.material"]._read_group(
            in_dossiers
            & Domain("state", "=", "filed")
            & Domain("filed_date", ">=", start)
            & Domain("filed_date", "<", end),
            ["dossier_id"],
            ["__count", "page_count:sum"],
        ):
            facts.append((unit_of[dossier.id], "materials_filed", count))
            facts.append((unit_of[dossier.id], "pages_filed", pages or 0))
        for material, count in self.env["cadre.archive.page"]._read_group(
            Domain("material_id.dossier_id", "in", list(unit_of))
            & Domain("attachment_id.archive_superseded_by_id", "=", False)
            & Domain("create_date", ">=", start)
            & Domain("create_date", "<", end),
            ["material_id"],
            ["__count"],
        ):
            facts.append((unit_of[material.dossier_id.id], "pages_digitized", count))
        return facts

    def _consultation_facts(self, unit_of, first, last):
        """Consultations counted per dossier (卷次): each approved or finished
        request to read online or in the reading room, starting in the year,
        once per dossier it names."""
        requests = self.env["cadre.archive.request"].search_fetch(
            [
                ("state", "in", ("approved", "done")),
                ("request_type", "in", ("online", "reading_room")),
                ("date_start", ">=", first),
                ("date_start", "<=", last),
            ],
            ["dossier_ids"],
        )
        return [
            (unit_of[dossier_id], "consultations", 1)
            for request in requests
            for dossier_id in request.dossier_ids.ids
            if dossier_id in unit_of
        ]

    def _collection_facts(self, first, last):
        domain = (
            Domain("state", "=", "accepted")
            & Domain("date_received", ">=", first)
            & Domain("date_received", "<=", last)
        )
        if self.department_id:
            domain &= Domain("department_id", "child_of", self.department_id.ids)
        facts = []
        for department, partner, count, materials, pages in self.env[
            "cadre.archive.collection"
        ]._read_group(
            domain,
            ["department_id", "partner_id"],
            ["__count", "material_count:sum", "page_count:sum"],
        ):
            unit = department.complete_name or partner.display_name or ""
            facts += [
                (unit, "batches", count),
                (unit, "materials_collected", materials or 0),
                (unit, "pages_collected", pages or 0),
            ]
        return facts
