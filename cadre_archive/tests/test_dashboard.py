# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import datetime

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import JsonRpcMixin
from .test_request import RequestCase

TZ = "Asia/Shanghai"


class DashboardCase(RequestCase):
    """Work in hand in units A and B: requests submitted at each edge of the
    age bands, lendings and dues on both sides of their deadline, open and
    settled findings, transfers sent and received."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for user in (cls.manager, cls.officer_a, cls.officer_b):
            user.tz = TZ
        cls.Dashboard = cls.env["cadre.archive.dashboard"]
        # the figures before the crafted records (the demo data count too)
        cls.before = {user: cls.counts(user) for user in (cls.manager, cls.officer_b)}
        cls.now = fields.Datetime.now()
        cls.local_today = cls.Dashboard.with_user(cls.manager)._today()
        cls.craft_requests()
        cls.craft_lendings()
        cls.craft_dues()
        cls.craft_findings()
        cls.craft_transfers()

    @classmethod
    def counts(cls, user):
        return {
            tile["key"]: tile["count"]
            for tile in cls.Dashboard.with_user(user).get_dashboard_tiles()
        }

    @classmethod
    def submitted(cls, dossier, age):
        """A request on ``dossier`` submitted ``age`` (a timedelta) ago."""
        request = cls.new_request(cls, dossiers=dossier)
        request.action_submit()
        request._workflow_write({"submitted_date": cls.now - age})
        return request

    @classmethod
    def craft_requests(cls):
        days = datetime.timedelta(days=1)
        cls.request_today = cls.submitted(cls.dossier_b, datetime.timedelta(0))
        cls.request_2_days = cls.submitted(cls.dossier_b, 2 * days)
        # exactly three days ago: three calendar days old, no longer fresh
        cls.request_3_days = cls.submitted(cls.dossier_b, 3 * days)
        cls.request_7_days = cls.submitted(cls.dossier_b, 7 * days)
        cls.request_8_days = cls.submitted(cls.dossier_b, 8 * days)
        cls.request_a = cls.submitted(cls.dossier_a, 8 * days)

    @classmethod
    def lend(cls, dossier, officer, date_due):
        request = cls.new_request(cls, dossiers=dossier, request_type="lend")
        request.action_submit()
        request.with_user(cls.manager).action_approve()
        request.with_user(officer).action_hand_out()
        lending = request.sudo().lending_ids
        lending.date_due = date_due
        return lending

    @classmethod
    def craft_lendings(cls):
        cls.lending_b_today = cls.lend(cls.dossier_b, cls.officer_b, cls.local_today)
        cls.lending_a_late = cls.lend(
            cls.dossier_a, cls.officer_a, cls.local_today - datetime.timedelta(days=1)
        )

    @classmethod
    def due(cls, dossier, deadline):
        return cls.env["cadre.archive.due"].create(
            {
                "dossier_id": dossier.id,
                "category_id": cls.cat_degree.id,
                "name": "学位证书",
                "deadline": deadline,
            }
        )

    @classmethod
    def craft_dues(cls):
        yesterday = cls.local_today - datetime.timedelta(days=1)
        cls.due_today = cls.due(cls.dossier_b, cls.local_today)
        cls.due_yesterday = cls.due(cls.dossier_b, yesterday)
        cls.due_a_yesterday = cls.due(cls.dossier_a, yesterday)
        cls.due_done = cls.due(cls.dossier_b, yesterday)
        cls.due_done._workflow_write({"state": "cancelled"})

    @classmethod
    def craft_findings(cls):
        Audit = cls.env["cadre.archive.audit"]
        Finding = cls.env["cadre.archive.audit.finding"]._as_workflow()

        def finding(audit, severity, state="open"):
            return Finding.create(
                {
                    "audit_id": audit.id,
                    "rule_code": "dashboard_test",
                    "severity": severity,
                    "message": "测试",
                    "state": state,
                }
            )

        audit_b = Audit._start_for(cls.dossier_b)
        audit_a = Audit._start_for(cls.dossier_a)
        cls.finding_b_critical = finding(audit_b, "critical")
        cls.finding_b_minor = finding(audit_b, "minor")
        cls.finding_b_resolved = finding(audit_b, "critical", state="resolved")
        cls.finding_a_critical = finding(audit_a, "critical")

    @classmethod
    def craft_transfers(cls):
        receiver = cls.env["res.partner"].create(
            {"name": "市委组织部", "is_company": True}
        )
        Transfer = cls.env["cadre.archive.transfer"]

        def transfer(dossier, state):
            record = Transfer.create(
                {
                    "partner_id": receiver.id,
                    "dossier_ids": [Command.set(dossier.ids)],
                    "transport": "confidential",
                    "reason": "调动",
                }
            )
            if state != "draft":
                record._workflow_write({"state": state, "date_sent": cls.local_today})
            return record

        cls.transfer_b_sent = transfer(cls.dossier_b, "sent")
        cls.transfer_b_draft = transfer(cls.dossier_b, "draft")
        cls.transfer_a_sent = transfer(cls.dossier_a, "sent")

    def listed(self, user, key):
        """The records of the list the figure ``key`` opens, as ``user``."""
        action = self.Dashboard.with_user(user).action_open_tile(key)
        return self.env[action["res_model"]].with_user(user).search(action["domain"])


@tagged("post_install", "-at_install")
class TestDashboard(DashboardCase):
    def test_each_figure_is_the_count_of_the_list_it_opens(self):
        for user in (self.manager, self.officer_a, self.officer_b):
            tiles = self.Dashboard.with_user(user).get_dashboard_tiles()
            self.assertGreaterEqual(len(tiles), 15)
            for tile in tiles:
                with self.subTest(user=user.login, tile=tile["key"]):
                    action = self.Dashboard.with_user(user).action_open_tile(
                        tile["key"]
                    )
                    self.assertEqual(action["type"], "ir.actions.act_window")
                    self.assertEqual(len(self.listed(user, tile["key"])), tile["count"])

    def test_crafted_records_land_in_their_figures(self):
        """What was crafted adds exactly to the figures, as the manager (every
        unit) and as the officer of unit B (only B)."""
        expected = {
            # B: today and 2 days; 3 days and 7 days; 8 days (A: 8 days)
            "requests_fresh": (2, 2),
            "requests_waiting": (2, 2),
            "requests_late": (2, 1),
            # the lending of B is due today, A's was due yesterday
            "lendings_overdue": (1, 0),
            "dues_overdue": (2, 1),
            "findings_critical": (2, 1),
            "findings_minor": (1, 1),
            "findings_major": (0, 0),
            "transfers_out_sent": (2, 1),
            "transfers_in_sent": (0, 0),
        }
        after = {user: self.counts(user) for user in (self.manager, self.officer_b)}
        for key, (manager_delta, officer_delta) in expected.items():
            with self.subTest(key=key):
                self.assertEqual(
                    after[self.manager][key] - self.before[self.manager][key],
                    manager_delta,
                )
                self.assertEqual(
                    after[self.officer_b][key] - self.before[self.officer_b][key],
                    officer_delta,
                )

    def test_request_ages_at_their_edges(self):
        manager = self.manager
        fresh = self.listed(manager, "requests_fresh")
        waiting = self.listed(manager, "requests_waiting")
        late = self.listed(manager, "requests_late")
        self.assertIn(self.request_today, fresh)
        self.assertIn(self.request_2_days, fresh)
        self.assertNotIn(self.request_3_days, fresh)
        self.assertIn(self.request_3_days, waiting)
        self.assertIn(self.request_7_days, waiting)
        self.assertIn(self.request_8_days, late)
        self.assertNotIn(self.request_8_days, waiting)
        # decided requests wait no more
        self.request_8_days.with_user(self.manager).action_approve()
        self.assertNotIn(self.request_8_days, self.listed(manager, "requests_late"))

    def test_a_deadline_today_is_not_overdue_yesterday_is(self):
        overdue = self.listed(self.manager, "dues_overdue")
        self.assertIn(self.due_yesterday, overdue)
        self.assertNotIn(self.due_today, overdue)
        self.assertNotIn(self.due_done, overdue)
        lendings = self.listed(self.manager, "lendings_overdue")
        self.assertIn(self.lending_a_late, lendings)
        self.assertNotIn(self.lending_b_today, lendings)

    def test_an_officer_sees_the_figures_of_their_units(self):
        manager, officer = self.counts(self.manager), self.counts(self.officer_b)
        for key, record in (
            ("requests_late", self.request_a),
            ("dues_overdue", self.due_a_yesterday),
            ("lendings_overdue", self.lending_a_late),
            ("findings_critical", self.finding_a_critical),
            ("transfers_out_sent", self.transfer_a_sent),
        ):
            with self.subTest(key=key):
                self.assertIn(record, self.listed(self.manager, key))
                self.assertNotIn(record, self.listed(self.officer_b, key))
                self.assertGreater(manager[key], officer[key])
        self.assertIn(self.due_a_yesterday, self.listed(self.officer_a, "dues_overdue"))
        # the officer's figure is their list's, not the company's
        self.assertEqual(
            officer["dues_overdue"], len(self.listed(self.officer_b, "dues_overdue"))
        )
        self.assertEqual(
            manager["dues_overdue"] - officer["dues_overdue"],
            len(self.listed(self.manager, "dues_overdue"))
            - len(self.listed(self.officer_b, "dues_overdue")),
        )

    def test_digitization_figures(self):
        manager = self.manager
        filed = self.listed(manager, "materials_filed")
        digitized = self.listed(manager, "materials_digitized")
        ocr = self.listed(manager, "materials_ocr")
        # material_b was scanned before filing, other_b was not; draft_b is a draft
        self.assertIn(self.material_b, digitized)
        self.assertIn(self.other_b, filed)
        self.assertNotIn(self.other_b, digitized)
        self.assertNotIn(self.draft_b, filed)
        self.assertLessEqual(len(ocr), len(digitized))
        self.assertLessEqual(len(digitized), len(filed))
        pages = self.material_b.page_ids
        self.assertEqual(
            self.material_b in ocr, set(pages.mapped("ocr_state")) == {"done"}
        )
        pages._workflow_write({"ocr_state": "failed"})
        self.assertNotIn(self.material_b, self.listed(manager, "materials_ocr"))
        self.assertIn(pages[0], self.listed(manager, "pages_scanned"))
        tiles = {
            t["key"]: t for t in self.Dashboard.with_user(manager).get_dashboard_tiles()
        }
        self.assertEqual(tiles["materials_digitized"]["of"], len(filed))

    def test_the_dashboard_is_refused_to_requesters_and_employees(self):
        for user in (self.requester, self.employee_user):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.Dashboard.with_user(user).get_dashboard_tiles()
                with self.assertRaises(AccessError):
                    self.Dashboard.with_user(user).action_open_tile("dues_overdue")


@tagged("post_install", "-at_install")
class TestDashboardTour(JsonRpcMixin, HttpCase, DashboardCase):
    """The manager opens the app on the dashboard, reads the figure of the
    overdue materials and clicks it: the list shows as many records
    (tour ``cadre_archive_dashboard``); over JSON-RPC a requester is refused."""

    def test_manager_opens_a_figure(self):
        # the tour logs in with the login as password
        self.manager.password = self.manager.login
        self.assertGreaterEqual(self.counts(self.manager)["dues_overdue"], 2)
        self.start_tour("/odoo", "cadre_archive_dashboard", login=self.manager.login)

    def test_requester_is_refused_over_rpc(self):
        self.set_passwords()
        self.login(self.requester)
        result, error = self.call("cadre.archive.dashboard", "get_dashboard_tiles")
        self.assertFalse(result)
        self.assertIn("dashboard", error)
