# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Reading-room requests open only in the reading room; excerpts and copies
made for a request are recorded.

The HTTP test client connects from 127.0.0.1: the reading room's ranges are
set to include or exclude it.
"""

import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged

from .common import PASSWORDS, JsonRpcMixin
from .test_request import RequestCase

INSIDE = "127.0.0.1, 10.1.2.0/24"
OUTSIDE = "10.1.2.0/24, 192.168.5.17"
REQUEST = "cadre.archive.request"
COPY = "cadre.archive.request.copy"


class ReadingRoomCase(RequestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.archive_reading_room_networks = INSIDE

    def reading_room_request(self, **vals):
        return self.approved_request(
            request_type="reading_room", date_end=self.today, **vals
        )

    def confirm_presence(self, request, officer=None):
        request.with_user(officer or self.officer_b).action_confirm_presence()

    def from_address(self, address):
        """Run as if the call came over HTTP from ``address``."""
        return patch.object(
            type(self.env[REQUEST]), "_archive_client_address", return_value=address
        )


@tagged("post_install", "-at_install")
class TestReadingRoom(JsonRpcMixin, HttpCase, ReadingRoomCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.set_passwords()

    def get(self, url):
        response = self.url_open(url, allow_redirects=False)
        return response.status_code, response.content

    def routes(self):
        return {
            "viewer": f"/cadre_archive/material/{self.material_b.id}/view",
            "page": f"/cadre_archive/scan/{self.scan_b.id}/page/1",
            "download": f"/cadre_archive/scan/{self.scan_b.id}/download",
            "content": f"/web/content/{self.scan_b.id}?download=true",
        }

    def logs(self, request):
        return self.env["cadre.archive.access.log"].search(
            [("request_id", "=", request.id)]
        )

    def assertClosed(self, request, reason):
        for name, url in self.routes().items():
            status, body = self.get(url)
            with self.subTest(route=name):
                self.assertIn(status, (403, 404))
                self.assertNotIn(self.scan_b.raw[:64], body)
                if name == "viewer":
                    self.assertEqual(status, 403)
                    self.assertIn(reason.encode(), body)
        # nor over RPC: the record rules decide the same way
        result, error = self.call(
            "cadre.archive.material", "search_read", [], fields=["name", "ocr_text"]
        )
        self.assertFalse(error)
        self.assertEqual(result, [])
        self.assertFalse(self.logs(request))

    def assertOpen(self, request):
        status, body = self.get(self.routes()["viewer"])
        self.assertEqual(status, 200)
        self.assertIn(self.routes()["page"].encode(), body)
        status, body = self.get(self.routes()["page"])
        self.assertEqual(status, 200)
        self.assertTrue(body.startswith(b"\xff\xd8\xff"))  # a JPEG
        status, body = self.get(self.routes()["content"])
        self.assertEqual((status, body), (200, self.scan_b.raw))
        self.assertEqual(
            sorted(self.logs(request).mapped("action")), ["download", "view"]
        )

    # ------------------------------------------------------------------
    # Where and when a reading-room request opens
    # ------------------------------------------------------------------
    def test_opens_on_a_workstation_with_presence_confirmed(self):
        request = self.reading_room_request(allow_download=True)
        self.confirm_presence(request)
        self.login(self.requester)
        self.assertOpen(request)

    def test_closed_outside_the_reading_room(self):
        self.company.archive_reading_room_networks = OUTSIDE
        request = self.reading_room_request(allow_download=True)
        self.confirm_presence(request)
        self.login(self.requester)
        self.assertClosed(request, "this computer (127.0.0.1) is not one of them")
        # no workstation configured: the room is closed to everyone
        self.company.archive_reading_room_networks = False
        self.assertClosed(request, "is not one of them")
        # the same computer once it is a workstation
        self.company.archive_reading_room_networks = "127.0.0.0/8"
        self.assertOpen(request)

    def test_closed_without_presence_confirmed_today(self):
        request = self.reading_room_request(allow_download=True)
        self.login(self.requester)
        self.assertClosed(request, "must first confirm today")
        # a confirmation of yesterday (archive time zone) no longer holds
        self.confirm_presence(request)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE cadre_archive_request"
            " SET presence_confirmed_date = presence_confirmed_date - interval '1 day'"
            " WHERE id = %s",
            [request.id],
        )
        request.invalidate_recordset()
        self.assertFalse(request.is_present_today)
        self.assertClosed(request, "must first confirm today")
        self.confirm_presence(request)
        self.assertOpen(request)

    def test_online_request_opens_anywhere(self):
        self.company.archive_reading_room_networks = OUTSIDE
        request = self.approved_request(allow_download=True)
        self.login(self.requester)
        self.assertOpen(request)
        # a reading-room request held back does not close the online one
        self.reading_room_request()
        status, __ = self.get(self.routes()["page"])
        self.assertEqual(status, 200)

    def test_closed_outside_http(self):
        """A script, a job or a scheduled action is no workstation."""
        self.company.archive_reading_room_networks = "0.0.0.0/0, ::/0"
        request = self.reading_room_request()
        self.confirm_presence(request)
        material = self.material_b.with_user(self.requester)
        with self.assertRaises(AccessError):
            material._archive_grant()
        with self.assertRaises(AccessError):
            material._render_watermarked_page(self.scan_b.with_user(self.requester), 1)
        self.assertFalse(self.readable_materials())
        self.assertFalse(self.logs(request))
        # the same call over HTTP, from a workstation, is let through
        with self.from_address("10.9.8.7"):
            self.assertEqual(material._archive_grant().request, request)

    def test_closed_to_scripts_on_a_workstation(self):
        """XML-RPC from a workstation is a script, not a reader at it."""
        request = self.reading_room_request()
        self.confirm_presence(request)
        domain = [("id", "=", self.material_b.id)]
        self.login(self.requester)
        found, error = self.call("cadre.archive.material", "search", domain)
        self.assertEqual((found, error), (self.material_b.ids, None))

        def script_search():
            return self.xmlrpc_object.execute_kw(
                self.env.cr.dbname,
                self.requester.id,
                PASSWORDS["ca_requester"],
                "cadre.archive.material",
                "search",
                [domain],
            )

        self.assertEqual(script_search(), [])
        # the same script reads what an online request opens
        request.with_user(self.requester).action_done()
        self.approved_request()
        self.assertEqual(script_search(), self.material_b.ids)

    # ------------------------------------------------------------------
    # The officer's confirmation of presence
    # ------------------------------------------------------------------
    def test_presence_is_confirmed_by_officers_only(self):
        request = self.reading_room_request()
        self.login(self.requester)
        for method, args in (
            ("action_confirm_presence", [request.ids]),
            ("write", [request.ids, {"presence_confirmed_uid": self.requester.id}]),
            ("write", [request.ids, {"presence_confirmed_date": str(self.today)}]),
        ):
            with self.subTest(method=method, args=args):
                result, error = self.call(REQUEST, method, *args)
                self.assertTrue(error)
                self.assertFalse(result)
        # an officer of another unit, a direct write by the officers: refused
        for user in (self.officer_a, self.officer_b, self.manager):
            self.login(user)
            with self.subTest(user=user.login):
                __, error = self.call(
                    REQUEST,
                    "write",
                    request.ids,
                    {"presence_confirmed_uid": user.id},
                )
                self.assertTrue(error)
        self.login(self.officer_a)
        __, error = self.call(REQUEST, "action_confirm_presence", request.ids)
        self.assertTrue(error)
        request.invalidate_recordset()
        self.assertFalse(request.presence_confirmed_uid)
        # the officer keeping the dossier confirms it
        self.login(self.officer_b)
        __, error = self.call(REQUEST, "action_confirm_presence", request.ids)
        self.assertFalse(error)
        request.invalidate_recordset()
        self.assertEqual(request.presence_confirmed_uid, self.officer_b)
        self.assertTrue(request.presence_confirmed_date)
        self.assertTrue(request.with_user(self.requester).is_present_today)

    def test_presence_only_for_an_open_reading_room_request(self):
        online = self.approved_request()
        with self.assertRaisesRegex(UserError, "not a reading-room request"):
            self.confirm_presence(online)
        later = self.today + datetime.timedelta(days=1)
        tomorrow = self.approved_request(
            request_type="reading_room", date_start=later, date_end=later
        )
        with self.assertRaisesRegex(UserError, "not open today"):
            self.confirm_presence(tomorrow)
        # an officer reading in the room is confirmed by another officer
        self.requester.group_ids = [(4, self.env.ref("cadre_archive.group_officer").id)]
        own = self.reading_room_request()
        with self.assertRaisesRegex(AccessError, "own presence"):
            own.with_user(self.requester).action_confirm_presence()

    # ------------------------------------------------------------------
    # The setting
    # ------------------------------------------------------------------
    def test_workstations_setting_is_validated(self):
        company = self.company
        with self.assertRaisesRegex(ValidationError, "10.1.2.0/24"):
            company.archive_reading_room_networks = "10.1.2.5/24"
        with self.assertRaisesRegex(ValidationError, "workstation-7"):
            company.archive_reading_room_networks = "10.1.2.0/24, workstation-7"
        company.archive_reading_room_networks = "10.1.2.0/24; 192.168.5.17\n::1"
        self.assertEqual(len(company._archive_reading_room_ranges()), 3)
        # through the settings, as the administrator does it
        settings = self.env["res.config.settings"].create(
            {"archive_reading_room_networks": "192.168.5.0/24"}
        )
        settings.execute()
        self.assertEqual(company.archive_reading_room_networks, "192.168.5.0/24")
        with self.assertRaises(ValidationError):
            self.env["res.config.settings"].create(
                {"archive_reading_room_networks": "192.168.5.1/24"}
            ).execute()

    def test_no_archive_role_reads_or_writes_the_workstations(self):
        for user in (self.requester, self.officer_b, self.manager):
            self.login(user)
            with self.subTest(user=user.login):
                __, error = self.call(
                    "res.company",
                    "write",
                    self.company.ids,
                    {"archive_reading_room_networks": "0.0.0.0/0"},
                )
                self.assertTrue(error)
                __, error = self.call(
                    "res.company",
                    "read",
                    self.company.ids,
                    ["archive_reading_room_networks"],
                )
                self.assertTrue(error)
                __, error = self.call(
                    "res.config.settings",
                    "create",
                    {"archive_reading_room_networks": "0.0.0.0/0"},
                )
                self.assertTrue(error)
        self.assertEqual(self.company.archive_reading_room_networks, INSIDE)


@tagged("post_install", "-at_install")
class TestReadingRoomGrant(ReadingRoomCase):
    """The grant of a reading-room request, from given client addresses."""

    def test_grant_follows_the_address(self):
        self.company.archive_reading_room_networks = "10.1.2.0/24, 192.168.5.17"
        request = self.reading_room_request()
        self.confirm_presence(request)
        material = self.material_b.with_user(self.requester)
        for address, opens in (
            ("10.1.2.7", True),
            ("::ffff:10.1.2.7", True),
            ("192.168.5.17", True),
            ("192.168.5.18", False),
            ("10.1.3.7", False),
            ("", False),
            (None, False),
        ):
            with self.subTest(address=address), self.from_address(address):
                self.assertEqual(bool(self.readable_materials()), opens, "record rules")
                if opens:
                    self.assertEqual(material._archive_grant().request, request)
                else:
                    with self.assertRaises(AccessError):
                        material._archive_grant()

    def test_presence_holds_for_the_archive_day_only(self):
        # the archive keeps Shanghai time (UTC+8)
        self.company.archive_tz = "Asia/Shanghai"
        day = self.today + datetime.timedelta(days=1)
        request = self.approved_request(
            request_type="reading_room", date_start=day, date_end=day
        )
        midnight_utc = datetime.datetime.combine(day, datetime.time()) - (
            datetime.timedelta(hours=8)
        )
        with freeze_time(midnight_utc + datetime.timedelta(hours=1)):
            self.confirm_presence(request)
            with self.from_address("10.1.2.7"):
                self.assertTrue(self.readable_materials())
        with freeze_time(midnight_utc + datetime.timedelta(hours=23, minutes=59)):
            request.invalidate_recordset()
            self.assertTrue(request.is_present_today)
        # the next morning at 00:00 in Shanghai: confirm again
        with freeze_time(midnight_utc + datetime.timedelta(days=1)):
            request.invalidate_recordset()
            self.assertFalse(request.is_present_today)
            with self.from_address("10.1.2.7"):
                self.assertFalse(self.readable_materials())

    def test_a_bad_setting_admits_nobody(self):
        request = self.reading_room_request()
        self.confirm_presence(request)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE res_company SET archive_reading_room_networks = 'nonsense'"
            " WHERE id = %s",
            self.company.ids,
        )
        self.company.invalidate_recordset()
        with self.from_address("127.0.0.1"):
            self.assertFalse(self.readable_materials())


@tagged("post_install", "-at_install")
class TestRequestCopies(JsonRpcMixin, HttpCase, ReadingRoomCase):
    """Excerpts and copies (摘抄、复制) made for a request."""

    def new_request(self, dossiers=None, **vals):
        """Requests whose form asks for excerpts and copies, unless told."""
        return super().new_request(
            dossiers, **{"ask_excerpt": True, "ask_copy": True, **vals}
        )

    def new_copy(self, request, material=None, user=None, **vals):
        return (
            self.env[COPY]
            .with_user(user or self.officer_b)
            .create(
                {
                    "request_id": request.id,
                    "material_id": (material or self.material_b).id,
                    "pages": "1-2",
                    **vals,
                }
            )
        )

    def test_copies_are_recorded_and_shown(self):
        request = self.approved_request()
        excerpt = self.new_copy(request, kind="excerpt", pages=" 2, 1 ", copy_count=2)
        copy = self.new_copy(request, material=self.other_b, pages="1")
        self.assertEqual(
            (excerpt.pages, excerpt.page_total, excerpt.copy_count, excerpt.kind),
            ("1-2", 2, 2, "excerpt"),
        )
        self.assertEqual(excerpt.approved_by_id, self.officer_b)
        self.assertEqual(excerpt.date, self.today)
        self.assertEqual(excerpt.requester_id, self.requester)
        # on the request
        as_officer = request.with_user(self.officer_b)
        self.assertEqual(as_officer.copy_record_count, 2)
        self.assertEqual(as_officer.copy_ids, excerpt | copy)
        action = as_officer.action_open_copies()
        self.assertEqual(self.env[COPY].search(action["domain"]), excerpt | copy)
        self.assertEqual(action["context"]["default_request_id"], request.id)
        self.assertEqual(request.with_user(self.requester).copy_record_count, 0)
        # in the access log, under the reader
        lines = self.env["cadre.archive.access.log"].search(
            [("request_id", "=", request.id)]
        )
        self.assertEqual(
            sorted((line.action, line.material_id, line.copy_id) for line in lines),
            sorted(
                [
                    ("copy", self.other_b, copy),
                    ("excerpt", self.material_b, excerpt),
                ]
            ),
        )
        self.assertEqual(lines.user_id, self.requester)
        # the log and the record stay as they are, for everyone
        with self.assertRaises(UserError):
            lines[0].write({"copy_id": False})
        with self.assertRaises(UserError):
            lines[0].unlink()
        with self.assertRaises(UserError):
            excerpt.write({"pages": "1"})
        with self.assertRaises(UserError):
            excerpt.unlink()
        with self.assertRaises(UserError):
            excerpt.with_user(self.manager).write({"pages": "1"})
        with self.assertRaises(AccessError):
            excerpt.with_user(self.manager).unlink()
        self.assertEqual(excerpt.pages, "1-2")

    def test_copies_only_of_granted_materials(self):
        request = self.approved_request(category_ids=[(6, 0, self.cat_cv.ids)])
        # other_b (category 1) is in the scope, material_b (9-2) is not
        self.new_copy(request, material=self.other_b, pages="1")
        with self.assertRaisesRegex(ValidationError, "does not open"):
            self.new_copy(request, material=self.material_b)
        # a draft material is never granted
        with self.assertRaisesRegex(ValidationError, "does not open"):
            self.new_copy(request, material=self.draft_b)
        # a material of another dossier, even for a manager keeping both
        with self.assertRaisesRegex(ValidationError, "does not open"):
            self.new_copy(request, material=self.material_a, user=self.manager)
        # nor does the officer of that dossier learn about the request
        with self.assertRaises(AccessError):
            self.new_copy(request, material=self.material_a, user=self.officer_a)
        # pages the material does not have
        with self.assertRaisesRegex(ValidationError, "has 2 pages"):
            self.new_copy(request, material=self.other_b, pages="3")
        with self.assertRaisesRegex(ValidationError, "ends before it starts"):
            self.new_copy(request, material=self.other_b, pages="2-1")

    def test_copies_only_of_the_kind_the_form_asked_for(self):
        request = self.approved_request(ask_copy=False)
        self.new_copy(request, kind="excerpt")
        with self.assertRaisesRegex(ValidationError, "does not allow"):
            self.new_copy(request, kind="copy")
        neither = self.approved_request(ask_excerpt=False, ask_copy=False)
        for kind in ("excerpt", "copy"):
            with self.assertRaisesRegex(ValidationError, "does not allow"):
                self.new_copy(neither, kind=kind)

    def test_copies_only_while_the_request_is_open(self):
        request = self.new_request()
        request.action_submit()
        with self.assertRaisesRegex(ValidationError, "does not allow"):
            self.new_copy(request)
        request.with_user(self.manager).action_approve()
        self.new_copy(request)
        request.with_user(self.requester).action_done()
        with self.assertRaisesRegex(ValidationError, "does not allow"):
            self.new_copy(request)

    def test_copies_are_recorded_by_the_keeping_officers_only(self):
        request = self.approved_request()
        # the officer of another unit
        with self.assertRaisesRegex(AccessError, "keeping a material"):
            self.new_copy(request, user=self.officer_a)
        # approved by the reader, or by someone who is no archive staff
        for approver in (self.requester, self.employee_user):
            with self.assertRaisesRegex(ValidationError, "approved by an archive"):
                self.new_copy(request, approved_by_id=approver.id)
        # a manager of the company may record one
        self.new_copy(request, user=self.manager)
        # the reader over RPC: neither create, nor read, nor a forged log line
        self.requester.password = PASSWORDS["ca_requester"]
        self.authenticate(self.requester.login, PASSWORDS["ca_requester"])
        vals = {
            "request_id": request.id,
            "material_id": self.material_b.id,
            "pages": "1",
        }
        for model, method, args in (
            (COPY, "create", [vals]),
            (COPY, "search_read", [[]]),
            (
                "cadre.archive.access.log",
                "create",
                [{"user_id": self.requester.id, "action": "copy"}],
            ),
        ):
            with self.subTest(model=model, method=method):
                result, error = self.call(model, method, *args)
                self.assertTrue(error)
                self.assertFalse(result)
        # the officer over RPC: the day and the page count are the archive's
        self.officer_b.password = PASSWORDS["ca_officer_b"]
        self.authenticate(self.officer_b.login, PASSWORDS["ca_officer_b"])
        for forged in ({"date": "2020-01-01"}, {"page_total": 99}):
            with self.subTest(forged=forged):
                __, error = self.call(COPY, "create", {**vals, **forged})
                self.assertTrue(error)
        result, error = self.call(COPY, "create", vals)
        self.assertFalse(error)
        copy = self.env[COPY].browse(result)
        self.assertEqual((copy.page_total, copy.date), (1, self.today))
        __, error = self.call(COPY, "write", [copy.id], {"copy_count": 5})
        self.assertTrue(error)
        self.assertEqual(
            self.env[COPY].search_count([("request_id", "=", request.id)]), 2
        )
