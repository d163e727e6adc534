# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The attacks found from outside, replayed as the attacking user.

Each test plays one class of attack over JSON-RPC (or HTTP) as the user who
tried it, checks that it is refused and that nothing changed, then checks
that the legitimate path still works.
"""

import base64
import datetime
import io
import zipfile

from freezegun import freeze_time
from PIL import Image

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged

from .common import PASSWORDS, JsonRpcMixin, make_jpeg
from .test_assessment import AssessmentCase
from .test_request import APPROVAL, RequestCase


def zip_of(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@tagged("post_install", "-at_install")
class TestAttacks(JsonRpcMixin, HttpCase, RequestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.set_passwords()
        cls.scan_draft_b = cls.attach_scan(cls.draft_b, "draft page of B")
        cls.draft_a = cls.create_material(cls.dossier_a, cls.cat_degree, "草稿 A")
        cls.scan_draft_a = cls.attach_scan(cls.draft_a, "draft page of A")

    def assertRefused(self, model, method, *args, pattern=None, **kwargs):
        result, error = self.call(model, method, *args, **kwargs)
        self.assertTrue(error, f"{model}.{method}{args} was not refused")
        self.assertFalse(result)
        if pattern:
            self.assertRegex(error, pattern)
        return error

    # ------------------------------------------------------------------
    # 1-2. The access window
    # ------------------------------------------------------------------
    def test_requester_cannot_set_the_window_or_the_approval(self):
        self.login(self.requester)
        request = self.new_request()
        years = datetime.datetime(2099, 1, 1)
        model = "cadre.archive.request"
        for vals in (
            {"access_start": "2020-01-01 00:00:00"},
            {"access_end": "2099-01-01 00:00:00"},
            {"approver_id": self.requester.id},
            {"approved_date": "2020-01-01 00:00:00"},
            {"state": "approved"},
            {"allow_view": False},
            {"requester_id": self.employee_user.id},
            {"name": "CY-FORGED"},
            {"requested_date_end": "2099-01-01"},
            {"approval_tier": 2},
            {"approval_tier_count": 0},
            {"tier1_approver_ids": [(6, 0, self.requester.ids)]},
        ):
            with self.subTest(vals=vals):
                self.assertRefused(model, "write", [request.id], vals)
        result, error = self.call(
            model,
            "create",
            {
                "dossier_ids": [(6, 0, self.dossier_b.ids)],
                "purpose": "x",
                "date_start": str(self.today),
                "date_end": str(self.today),
                "access_end": str(years),
            },
        )
        self.assertTrue(error)
        request.invalidate_recordset()
        self.assertFalse(request.access_end)
        # the legitimate path: the window comes from the approved dates
        request.action_submit()
        request.with_user(self.manager).write({"date_end": self.today})
        request.with_user(self.manager).action_approve()
        end = datetime.datetime.combine(
            self.today + datetime.timedelta(days=1), datetime.time()
        ) - datetime.timedelta(hours=8)
        self.assertEqual(request.access_end, end)

    def test_window_does_not_follow_the_requesters_time_zone(self):
        request = self.approved_request(date_end=self.today)
        window = (request.access_start, request.access_end)
        self.login(self.requester)
        # the requester moves far west: the window must not move with them
        result, error = self.call(
            "res.users",
            "write",
            [self.requester.id],
            {"tz": "Pacific/Pago_Pago"},
        )
        self.assertFalse(error)
        self.assertEqual(self.requester.tz, "Pacific/Pago_Pago")
        request.invalidate_recordset()
        self.assertEqual((request.access_start, request.access_end), window)
        with freeze_time(window[1] + datetime.timedelta(hours=2)):
            self.assertNotIn(self.material_b, self.readable_materials())

    def test_window_in_the_archive_time_zone(self):
        self.company.archive_tz = "UTC"
        request = self.approved_request(date_end=self.today)
        self.assertEqual(
            request.access_end,
            datetime.datetime.combine(
                self.today + datetime.timedelta(days=1), datetime.time()
            ),
        )
        # the archive's settings are the administrators': no archive role
        # writes them, directly or through the settings
        for user in (self.requester, self.officer_b, self.manager):
            self.login(user)
            for vals in (
                {"archive_tz": "Etc/GMT+12"},
                {"archive_max_pages": 100000},
                {"archive_max_total_pixels": 10**12},
            ):
                with self.subTest(user=user.login, vals=vals):
                    self.assertRefused("res.company", "write", [self.company.id], vals)
            self.assertRefused(
                "res.config.settings", "create", {"archive_max_page_pixels": 10**10}
            )
        self.assertEqual(self.company.archive_tz, "UTC")
        self.assertEqual(self.company.archive_max_pages, 500)

    # ------------------------------------------------------------------
    # 3. Page records
    # ------------------------------------------------------------------
    def test_page_records_cannot_be_pointed_elsewhere(self):
        page_b = self.scan_draft_b.archive_page_ids
        page_a = self.scan_draft_a.archive_page_ids
        self.assertTrue(page_b and page_a)
        self.login(self.officer_b)
        model = "cadre.archive.page"
        for vals in (
            {"attachment_id": self.scan_draft_a.id},
            {"material_id": self.material_a.id},
            {"page_number": 0},
            {"page_number": -3},
            {"ocr_state": "done"},
            {"quality_state": "ok"},
        ):
            with self.subTest(vals=vals):
                self.assertRefused(model, "write", page_b.ids, vals)
        self.assertRefused(
            model,
            "create",
            {
                "attachment_id": self.scan_draft_a.id,
                "material_id": self.draft_b.id,
                "page_number": 1,
            },
        )
        # nothing moved, and the other unit's page stays out of reach
        page_b.invalidate_recordset()
        self.assertEqual(
            (page_b.attachment_id, page_b.material_id, page_b.page_number),
            (self.scan_draft_b, self.draft_b, 1),
        )
        self.assertRefused(model, "read", page_a.ids, ["ocr_text"])
        # the legitimate path: correcting the recognised text of one's own page
        result, error = self.call(model, "write", page_b.ids, {"ocr_text": "更正"})
        self.assertFalse(error)
        self.assertEqual(page_b.ocr_text, "更正")

    def test_ocr_job_reads_only_its_own_material_scan(self):
        page_b = self.scan_draft_b.archive_page_ids
        # a page record whose link was forged in the database
        page_b._as_workflow().write(
            {"attachment_id": self.scan_draft_a.id, "page_number": 2}
        )
        with self.assertRaises(UserError):
            page_b._run_ocr()
        self.assertNotEqual(page_b.ocr_text, "draft page of A")

    # ------------------------------------------------------------------
    # 4. Wizards
    # ------------------------------------------------------------------
    def test_import_wizard_is_private_and_drops_the_zip(self):
        data = zip_of({f"{self.dossier_a.name}_4-1_7_1.jpg": make_jpeg("imported")})
        wizard = (
            self.env["cadre.archive.import"]
            .with_user(self.officer_a)
            .create({"zip_file": base64.b64encode(data), "zip_name": "a.zip"})
        )
        self.login(self.officer_b)
        self.assertRefused("cadre.archive.import", "read", wizard.ids, ["zip_file"])
        self.assertFalse(
            self.env["cadre.archive.import"].with_user(self.officer_b).search([])
        )
        for url in (
            f"/web/content/cadre.archive.import/{wizard.id}/zip_file",
            f"/web/content?model=cadre.archive.import&id={wizard.id}&field=zip_file",
        ):
            response = self.url_open(url, allow_redirects=False)
            with self.subTest(url=url):
                self.assertIn(response.status_code, (403, 404))
                self.assertNotIn(data[:32], response.content)
        wizard.action_dry_run()
        line = wizard.line_ids
        self.assertEqual(line.action, "create")
        self.assertRefused("cadre.archive.import.line", "read", line.ids, ["paths"])
        # the creator reads it, then the zip is gone once imported
        wizard.action_import()
        self.assertEqual(line.action, "done")
        self.assertFalse(wizard.zip_file)

    def test_every_transient_model_is_private(self):
        request = self.new_request()
        request.action_submit()
        records = {
            "cadre.archive.request.refuse": self.env["cadre.archive.request.refuse"]
            .with_user(self.manager)
            .create({"reason": "no", "request_ids": [(6, 0, request.ids)]}),
            "cadre.archive.request.approve": self.env["cadre.archive.request.approve"]
            .with_user(self.manager)
            .create({"opinion": "同意", "request_ids": [(6, 0, request.ids)]}),
        }
        transient = self.env["ir.model"].search(
            [("model", "=like", "cadre.archive.%"), ("transient", "=", True)]
        )
        rules = self.env["ir.rule"].search([("model_id", "in", transient.ids)])
        self.assertEqual(
            set(rules.model_id.mapped("model")), set(transient.mapped("model"))
        )
        for model, record in records.items():
            with self.subTest(model=model):
                self.assertFalse(
                    self.env[model]
                    .with_user(self.officer_b)
                    .search([("id", "=", record.id)])
                )
                with self.assertRaises(AccessError):
                    record.with_user(self.officer_b).read(["create_uid"])

    # ------------------------------------------------------------------
    # 6. Nothing of an unreadable record in messages or names
    # ------------------------------------------------------------------
    def test_no_names_through_messages_or_links(self):
        self.material_a.invalidate_recordset()
        title_a = self.material_a.name
        self.login(self.officer_b)
        # moving one's own scan onto a filed material of another unit
        error = self.assertRefused(
            "ir.attachment",
            "write",
            self.scan_draft_b.ids,
            {"res_id": self.material_a.id},
        )
        self.assertNotIn(title_a, error)
        error = self.assertRefused(
            "ir.attachment",
            "create",
            {
                "name": "x.jpg",
                "res_model": "cadre.archive.material",
                "res_id": self.material_a.id,
                "datas": base64.b64encode(make_jpeg("x")).decode(),
            },
        )
        self.assertNotIn(title_a, error)
        # a draft material moved into another unit's dossier, then read back
        error = self.assertRefused(
            "cadre.archive.material",
            "write",
            self.draft_b.ids,
            {"dossier_id": self.dossier_a.id},
        )
        self.assertNotIn(self.dossier_a.name, error)
        self.assertEqual(self.draft_b.dossier_id, self.dossier_b)
        # a relative declared on another unit's dossier
        self.assertRefused(
            "cadre.archive.dossier.relative",
            "create",
            {"dossier_id": self.dossier_a.id, "employee_id": self.cadre_b.id},
        )
        # the return wizard pointed at another unit's lending
        lending = self.approved_lending_of(self.dossier_a)
        self.assertRefused(
            "cadre.archive.lending.return",
            "create",
            {"lending_id": lending.id, "page_count": 1},
        )

    def approved_lending_of(self, dossier, officer=None):
        request = self.approved_request(dossiers=dossier, request_type="lend")
        request.with_user(officer or self.officer_a).action_hand_out()
        return request.sudo().lending_ids

    def test_search_through_relatives_is_refused_to_requesters(self):
        relative = self.env["hr.employee"].create({"name": "亲属甲"})
        self.env["cadre.archive.dossier.relative"].create(
            {"dossier_id": self.dossier_b.id, "employee_id": relative.id}
        )
        self.approved_request()
        dossiers = self.env["cadre.archive.dossier"].with_user(self.requester)
        self.assertEqual(dossiers.search([]), self.dossier_b)
        with self.assertRaises(AccessError):
            dossiers.search([("relative_ids.employee_id.name", "=", "亲属甲")])
        with self.assertRaises(AccessError):
            self.dossier_b.with_user(self.requester).read(["relative_ids"])
        # archive staff still search them
        found = (
            self.env["cadre.archive.dossier"]
            .with_user(self.officer_b)
            .search([("relative_ids.employee_id.name", "=", "亲属甲")])
        )
        self.assertEqual(found, self.dossier_b)

    # ------------------------------------------------------------------
    # 7. System fields
    # ------------------------------------------------------------------
    def test_system_fields_over_rpc(self):
        self.login(self.officer_b)
        filed_scan = self.scan_b
        self.assertEqual(self.material_b.state, "filed")
        attempts = [
            ("ir.attachment", filed_scan.ids, {"archive_integrity": "ok"}),
            (
                "ir.attachment",
                filed_scan.ids,
                {"archive_checked_date": "2020-01-01 00:00:00"},
            ),
            ("ir.attachment", self.scan_draft_b.ids, {"archive_sha256": "0" * 64}),
            ("cadre.archive.dossier", self.dossier_b.ids, {"state": "transferred"}),
            ("cadre.archive.dossier", self.dossier_b.ids, {"name": "DA999999"}),
            (
                "cadre.archive.dossier",
                self.dossier_b.ids,
                {"department_id": self.unit_a.id},
            ),
            (
                "cadre.archive.dossier",
                self.dossier_b.ids,
                {"employee_id": self.cadre_a1.id},
            ),
        ]
        for model, ids, vals in attempts:
            with self.subTest(model=model, vals=vals):
                self.assertRefused(model, "write", ids, vals)
        self.assertRefused(
            "cadre.archive.lending",
            "create",
            {
                "request_id": self.new_request().id,
                "dossier_id": self.dossier_b.id,
                "officer_id": self.officer_b.id,
                "date_out": str(self.today),
                "date_due": str(self.today),
            },
        )
        lending = self.approved_lending_of(self.dossier_b, self.officer_b)
        for vals in (
            {"state": "returned"},
            {"page_count_returned": 2},
            {"officer_id": self.officer_a.id},
        ):
            with self.subTest(vals=vals):
                self.assertRefused("cadre.archive.lending", "write", lending.ids, vals)
        self.dossier_b.invalidate_recordset()
        self.assertEqual(
            (self.dossier_b.state, self.dossier_b.department_id), ("lent", self.unit_b)
        )
        self.assertEqual(filed_scan.archive_integrity, "ok")
        # the legitimate paths: the return, and a manager moving the unit
        lending.with_user(self.officer_b).action_return(self.dossier_b.page_count)
        self.assertEqual(self.dossier_b.state, "in_stock")
        self.dossier_b.with_user(self.manager).department_id = self.unit_a
        self.assertEqual(self.dossier_b.department_id, self.unit_a)

    # ------------------------------------------------------------------
    # 8. Approvals belong to approvers
    # ------------------------------------------------------------------
    def test_requester_cannot_close_or_delete_the_approval_activity(self):
        request = self.new_request()
        request.action_submit()
        activity = request.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref(APPROVAL)
        )
        self.assertTrue(activity)
        self.login(self.requester)
        forged = {
            "cadre_archive_closing_activity": True,
            "cadre_archive_workflow": True,
        }
        self.assertRefused("mail.activity", "unlink", activity.ids)
        self.assertRefused(
            "mail.activity", "action_feedback", activity.ids, feedback="done"
        )
        self.assertRefused("mail.activity", "action_done", activity.ids, context=forged)
        self.assertRefused(
            "mail.activity",
            "write",
            activity.ids,
            {"user_id": self.requester.id},
            context=forged,
        )
        self.assertRefused(
            "cadre.archive.request",
            "write",
            request.ids,
            {"activity_ids": [(2, activity[0].id)]},
        )
        self.assertRefused(
            "mail.activity",
            "create",
            {
                "res_model_id": self.env["ir.model"]._get_id("cadre.archive.request"),
                "res_id": request.id,
                "activity_type_id": self.env.ref(APPROVAL).id,
                "user_id": self.requester.id,
            },
        )
        self.assertTrue(activity.exists())
        self.assertEqual(request.state, "submitted")
        # the approver settles it with the Approve button, not by marking it done
        with self.assertRaisesRegex(UserError, "on purpose"):
            activity[0].with_user(self.manager).action_done()
        self.assertEqual(request.state, "submitted")
        self.approve_from_activity(activity[0], self.manager)
        self.assertEqual(request.state, "approved")

    def test_viewers_start_no_work_on_materials(self):
        self.approved_request()
        self.login(self.requester)
        for method in ("action_run_ocr", "action_verify_integrity"):
            with self.subTest(method=method):
                self.assertRefused(
                    "cadre.archive.material", method, self.material_b.ids
                )
        self.login(self.officer_b)
        result, error = self.call(
            "cadre.archive.material", "action_verify_integrity", self.material_b.ids
        )
        self.assertFalse(error)

    # ------------------------------------------------------------------
    # 9-10. Outside the archive groups, and officers' HR rights
    # ------------------------------------------------------------------
    def test_employees_do_not_learn_who_has_a_dossier(self):
        self.login(self.employee_user)
        self.assertRefused(
            "hr.employee.public",
            "search_read",
            [("has_cadre_dossier", "=", True)],
            ["name"],
        )
        self.assertRefused(
            "hr.employee.public", "read", self.cadre_b.ids, ["has_cadre_dossier"]
        )
        self.assertRefused(
            "hr.employee.public", "read", self.cadre_b.ids, ["cadre_dossier_id"]
        )
        self.login(self.requester)
        result, error = self.call(
            "hr.employee.public",
            "search_read",
            [("has_cadre_dossier", "=", True)],
            ["name"],
        )
        self.assertFalse(error)
        self.assertIn(self.cadre_b.id, [row["id"] for row in result])

    def test_officers_have_no_hr_rights_but_keep_their_screens(self):
        for officer in (self.officer_a, self.officer_b):
            self.assertFalse(officer.has_group("hr.group_hr_user"))
        with self.assertRaises(AccessError):
            self.cadre_b.with_user(self.officer_b).write({"name": "改名"})
        with self.assertRaises(AccessError):
            self.cadre_b.with_user(self.officer_b).read(["private_email"])
        public = self.env["hr.employee.public"].with_user(self.officer_b)
        self.assertEqual(
            public.browse(self.cadre_b.id).cadre_dossier_id, self.dossier_b
        )
        self.assertFalse(public.browse(self.cadre_a.id).cadre_dossier_id)
        arch = public.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="cadre_archive"', arch)
        # an officer still creates the dossier of a cadre of their unit
        cadre = self.env["hr.employee"].create(
            {"name": "新干部", "department_id": self.unit_b.id}
        )
        dossier = (
            self.env["cadre.archive.dossier"]
            .with_user(self.officer_b)
            .create({"employee_id": cadre.id})
        )
        self.assertEqual(dossier.department_id, self.unit_b)

    # ------------------------------------------------------------------
    # 11. Forged import input
    # ------------------------------------------------------------------
    def test_import_lines_cannot_be_forged(self):
        data = zip_of({f"{self.dossier_b.name}_4-1_7_1.jpg": make_jpeg("b")})
        wizard = (
            self.env["cadre.archive.import"]
            .with_user(self.officer_b)
            .create({"zip_file": base64.b64encode(data)})
        )
        wizard.action_dry_run()
        line = wizard.line_ids
        self.login(self.officer_b)
        for vals in (
            {"paths": "../../etc/passwd"},
            {"dossier_id": self.dossier_a.id},
            {"material_id": self.material_a.id},
            {"action": "create"},
        ):
            with self.subTest(vals=vals):
                self.assertRefused("cadre.archive.import.line", "write", line.ids, vals)
        self.assertRefused(
            "cadre.archive.import", "write", wizard.ids, {"state": "planned"}
        )
        # a plan that no longer matches the zip fails cleanly on its line
        line._as_workflow().write({"paths": "missing.jpg"})
        wizard.action_import()
        self.assertEqual(line.action, "error")
        self.assertTrue(line.message)


def blank_tiff(count, side):
    """A multi-frame TIFF of ``count`` blank 1-bit frames (small on disk)."""
    frames = [Image.new("1", (side, side), 1) for _ in range(count)]
    buffer = io.BytesIO()
    frames[0].save(
        buffer,
        "TIFF",
        save_all=True,
        append_images=frames[1:],
        compression="group4",
        dpi=(300, 300),
    )
    return buffer.getvalue()


def huge_pdf(side=14400):
    """A few hundred bytes of PDF whose one page is ``side`` pt square."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] >>" % (side, side),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


@tagged("post_install", "-at_install")
class TestDecodeLimits(RequestCase):
    """Class 5: one small upload must not exhaust the server's memory."""

    def upload(self, material, data, name="scan.tif"):
        return (
            self.env["ir.attachment"]
            .with_user(self.officer_b)
            .create(
                {
                    "name": name,
                    "res_model": "cadre.archive.material",
                    "res_id": material.id,
                    "raw": data,
                }
            )
        )

    def test_uploads_beyond_the_limits_are_refused_with_the_limit(self):
        self.company.write(
            {"archive_max_total_pixels": 20_000_000, "archive_max_pages": 5}
        )
        tiff = blank_tiff(4, 3000)  # 36 million pixels in a few kilobytes
        self.assertLess(len(tiff), 100_000)
        with self.assertRaisesRegex(ValidationError, "20000000"):
            self.upload(self.draft_b, tiff)
        with self.assertRaisesRegex(ValidationError, "5"):
            self.upload(self.draft_b, blank_tiff(6, 100))
        pdf = huge_pdf()
        self.assertLess(len(pdf), 1000)
        with self.assertRaisesRegex(ValidationError, "pixels"):
            self.upload(self.draft_b, pdf, "huge.pdf")
        self.assertFalse(self.draft_b.attachment_ids)
        # within the limits the same kind of file goes in, page by page
        scan = self.upload(self.draft_b, blank_tiff(2, 1000))
        self.assertEqual(len(scan.archive_page_ids), 2)

    def test_viewing_and_ocr_respect_the_limits_of_the_day(self):
        scan = self.upload(self.draft_b, blank_tiff(3, 2000))
        self.file_materials(self.draft_b)
        # the company lowers its limits afterwards: nothing is decoded past them
        self.company.archive_max_page_pixels = 1_000_000
        with self.assertRaisesRegex(UserError, "1000000"):
            self.draft_b.with_user(self.officer_b)._render_watermarked_page(scan, 2)
        page = scan.archive_page_ids.filtered(lambda p: p.page_number == 3)
        self.assertFalse(page._run_ocr())
        self.assertEqual((page.ocr_state, page.ocr_error), ("failed", "page_too_large"))
        self.assertFalse(
            self.env["cadre.archive.access.log"].search([("page", "=", 2)])
        )


@tagged("post_install", "-at_install")
class TestImportInput(RequestCase):
    """Class 11: each kind of bad zip gets its own clear message."""

    def dry_run_message(self, data):
        wizard = (
            self.env["cadre.archive.import"]
            .with_user(self.officer_b)
            .create({"zip_file": base64.b64encode(data)})
        )
        with self.assertRaises(UserError) as caught:
            wizard.action_dry_run()
        return str(caught.exception)

    def test_each_bad_zip_gets_its_own_message(self):
        good = zip_of({f"{self.dossier_b.name}_4-1_7_1.jpg": make_jpeg("b")})
        # the encryption flag, in the local header and in the central directory
        encrypted = bytearray(good)
        encrypted[6] |= 0x1
        central = encrypted.index(b"PK\x01\x02")
        encrypted[central + 8] |= 0x1
        messages = {
            "not a zip": self.dry_run_message(huge_pdf(100)),
            "truncated": self.dry_run_message(good[: len(good) // 2]),
            "encrypted": self.dry_run_message(bytes(encrypted)),
        }
        self.assertEqual(len(set(messages.values())), len(messages), messages)
        for kind, message in messages.items():
            with self.subTest(kind=kind):
                self.assertNotIn("Invalid archive data", message)
        # an empty upload is asked for again
        wizard = self.env["cadre.archive.import"].with_user(self.officer_b).create({})
        with self.assertRaisesRegex(UserError, "zip"):
            wizard.action_dry_run()


@tagged("post_install", "-at_install")
class TestSystemFieldsEveryRole(JsonRpcMixin, HttpCase, RequestCase):
    """Every role, over RPC, against the system fields of every model."""

    def test_no_role_writes_a_system_field(self):
        users = (
            self.employee_user,
            self.requester,
            self.officer_b,
            self.manager,
        )
        for user in users:
            user.password = PASSWORDS[user.login]
        request = self.approved_request(request_type="lend")
        request.with_user(self.officer_b).action_hand_out()
        lending = request.sudo().lending_ids
        page = self.scan_b.archive_page_ids
        targets = [
            (
                self.dossier_b,
                {"state": "in_stock", "name": "DA-X", "employee_id": self.cadre_a.id},
            ),
            (
                self.material_b,
                {
                    "state": "draft",
                    "sequence_number": 99,
                    "filed_uid": self.employee_user.id,
                },
            ),
            (
                request,
                {
                    "state": "draft",
                    "access_end": "2099-01-01 00:00:00",
                    "approver_id": self.requester.id,
                    "requested_material_ids": [(6, 0, self.other_b.ids)],
                    "approval_tier": 2,
                    "tier2_approver_ids": [(6, 0, self.requester.ids)],
                    # the start of its handling, for the staff's assessment
                    "submitted_date": "2000-01-01 00:00:00",
                },
            ),
            (
                lending,
                {
                    "state": "returned",
                    "officer_id": self.requester.id,
                    "page_count_returned": 1,
                },
            ),
            (
                page,
                {
                    "material_id": self.material_a.id,
                    "page_number": 9,
                    "ocr_state": "failed",
                },
            ),
            (self.scan_b, {"archive_integrity": "changed", "archive_sha256": "0" * 64}),
        ]
        before = {record: record.sudo().read(list(vals))[0] for record, vals in targets}
        for user in users:
            self.login(user)
            for record, vals in targets:
                for field, value in vals.items():
                    with self.subTest(user=user.login, model=record._name, field=field):
                        result, error = self.call(
                            record._name, "write", record.ids, {field: value}
                        )
                        self.assertTrue(error)
                        self.assertFalse(result)
        for record, vals in targets:
            record.invalidate_recordset()
            self.assertEqual(record.sudo().read(list(vals))[0], before[record])


@tagged("post_install", "-at_install")
class TestAssessmentFieldsEveryRole(JsonRpcMixin, HttpCase, AssessmentCase):
    """Over JSON-RPC, the assessment of the archive staff: its figures and
    metric lines are the computation's, the metrics the managers', a course
    its officer's. Each role is refused what is not theirs, nothing changes,
    and what is theirs (a remark, a weight, their own course) still passes."""

    def write_refused(self, user, record, vals):
        self.login(user)
        for field, value in vals.items():
            with self.subTest(user=user.login, model=record._name, field=field):
                result, error = self.call(
                    record._name, "write", record.ids, {field: value}
                )
                self.assertTrue(error)
                self.assertFalse(result)

    def create_refused(self, user, model, vals):
        self.login(user)
        with self.subTest(user=user.login, model=model, create=True):
            result, error = self.call(model, "create", [vals])
            self.assertTrue(error)
            self.assertFalse(result)

    def test_no_role_writes_the_assessment_figures(self):
        self.set_passwords()
        assessment = self.assess(self.officer_a, datetime.date(2026, 3, 1))
        line = assessment.line_ids[:1]
        self.assertTrue(line)
        metric = line.metric_id
        course = (
            self.env["cadre.archive.training"]
            .with_user(self.officer_a)
            .create({"name": "档案数字化培训", "date_start": "2026-03-02", "hours": 8})
        )
        figures = {
            "score": 100,
            "grade": "excellent",
            "state": "approved",
            "line_ids": [(5,)],
            "date_end": "2026-12-31",
            "period_label": "2026",
            "computed_date": "2000-01-01 00:00:00",
            "submitted_uid": self.manager.id,
            "submitted_date": "2000-01-01 00:00:00",
            "approved_uid": self.manager.id,
            "approved_date": "2000-01-01 00:00:00",
            "name": "优秀干部",
        }
        line_figures = {
            "assessment_id": assessment.id,
            "metric_id": metric.id,
            "applicable": not line.applicable,
            "raw_value": 999,
            "target": 1,
            "normalised_score": 100,
            "weight": 100,
            "weighted_score": 100,
            "user_id": self.officer_b.id,
            "company_id": self.env.company.id,
        }
        metric_config = {"weight": 100, "target": 0.5, "active": False}
        targets = [
            (assessment, figures),
            (line, line_figures),
            (metric, metric_config),
            (course, {"user_id": self.officer_b.id, "hours": 1}),
        ]
        before = {r: r.sudo().read(list(vals))[0] for r, vals in targets}

        # the manager: not the computed figures, nor the lines
        self.write_refused(self.manager, assessment, figures)
        self.write_refused(self.manager, line, line_figures)
        self.create_refused(
            self.manager,
            line._name,
            {"assessment_id": assessment.id, "metric_id": metric.id},
        )
        # the officer assessed: nothing of their assessment, no metric, and
        # their course stays theirs
        self.write_refused(
            self.officer_a, assessment, {"remark": "自评优秀", **figures}
        )
        self.write_refused(self.officer_a, line, line_figures)
        self.write_refused(self.officer_a, metric, metric_config)
        self.write_refused(self.officer_a, course, {"user_id": self.officer_b.id})
        self.create_refused(
            self.officer_a,
            "cadre.archive.training",
            {
                "name": "代报培训",
                "user_id": self.officer_b.id,
                "date_start": "2026-03-02",
                "hours": 8,
            },
        )
        self.create_refused(
            self.officer_a,
            metric._name,
            {"code": metric.code, "name": "重复指标", "target": 1},
        )
        # another officer: not the course of a colleague
        self.write_refused(
            self.officer_b, course, {"user_id": self.officer_b.id, "hours": 1}
        )
        # requesters and employees: nothing at all
        for user in (self.requester, self.employee_user):
            self.write_refused(user, assessment, {"remark": "x", "score": 100})
            self.write_refused(user, metric, {"weight": 0})
            self.write_refused(user, course, {"hours": 1})

        for record, vals in targets:
            record.invalidate_recordset()
            self.assertEqual(record.sudo().read(list(vals))[0], before[record])

        # what is theirs still passes over the same path
        self.login(self.manager)
        _result, error = self.call(
            assessment._name, "write", assessment.ids, {"remark": "工作扎实"}
        )
        self.assertFalse(error)
        _result, error = self.call(metric._name, "write", metric.ids, {"weight": 12})
        self.assertFalse(error)
        self.login(self.officer_a)
        _result, error = self.call(course._name, "write", course.ids, {"hours": 12})
        self.assertFalse(error)
        self.assertEqual(assessment.remark, "工作扎实")
        self.assertEqual(metric.weight, 12)
        self.assertEqual(course.hours, 12)
