# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Rules that mutation testing showed no test would miss if they broke.

Each test here fails when its rule is broken on purpose (see
scripts/mutation-odoo): every page served is logged, the watermark carries the
viewer's name besides the login, every job keeps its channel and identity, and
a scan changed on disk stops the filing.
"""

import io
from unittest.mock import patch

from PIL import Image, ImageChops

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from odoo.addons.queue_job.job import identity_exact
from odoo.addons.queue_job.tests.common import trap_jobs

from ..lib import pages, watermark
from ..tools.constants import OCR_CHANNEL
from .test_request import RequestCase

PASSWORD = "ca_requester-pw-123"


def multi_page_tiff(texts):
    """A TIFF whose page n shows texts[n - 1] (150 dpi, grey)."""
    frames = [
        Image.open(io.BytesIO(pages.render_text_page([text], dpi=150))).convert("L")
        for text in texts
    ]
    buffer = io.BytesIO()
    frames[0].save(
        buffer, "TIFF", save_all=True, append_images=frames[1:], dpi=(150, 150)
    )
    return buffer.getvalue()


class BiteCase(RequestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a name that does not contain the login: the band must show both
        cls.requester.write({"name": "王查阅", "password": PASSWORD})
        cls.long_material = cls.create_material(
            cls.dossier_b, cls.cat_appointment, "任免审批表（三页）", page_count=3
        )
        with trap_jobs():
            cls.long_scan = cls.env["ir.attachment"].create(
                {
                    "name": "9-2-3.tif",
                    "res_model": "cadre.archive.material",
                    "res_id": cls.long_material.id,
                    "raw": multi_page_tiff(["第一页", "第二页", "第三页"]),
                }
            )
        cls.file_materials(cls.long_material)

    def view_logs(self, request):
        return self.env["cadre.archive.access.log"].search(
            [("request_id", "=", request.id), ("action", "=", "view")], order="id"
        )


@tagged("post_install", "-at_install")
class TestEveryPageIsLogged(HttpCase, BiteCase):
    def test_each_page_served_is_one_log_row(self):
        request = self.approved_request()
        self.authenticate(self.requester.login, PASSWORD)
        url = f"/cadre_archive/scan/{self.long_scan.id}/page/%s"
        for page in (1, 2, 3, 2):
            response = self.url_open(url % page)
            self.assertEqual(response.status_code, 200, page)
        logs = self.view_logs(request)
        self.assertEqual(logs.mapped("page"), [1, 2, 3, 2])
        self.assertEqual(set(logs.mapped("attachment_id")), {self.long_scan})
        self.assertEqual(set(logs.mapped("user_id")), {self.requester})
        # the grant is worked out once per HTTP call
        model = self.registry["cadre.archive.material"]
        original = model._archive_grant
        for route in (
            url % 1,
            f"/cadre_archive/material/{self.long_material.id}/view",
        ):
            with (
                self.subTest(route=route),
                patch.object(
                    model, "_archive_grant", autospec=True, side_effect=original
                ) as spy,
            ):
                self.assertEqual(self.url_open(route).status_code, 200)
                self.assertEqual(spy.call_count, 1)
        self.view_logs(request).invalidate_recordset()
        self.assertEqual(len(self.view_logs(request)), 5)
        # a page that does not exist is refused and logs nothing
        response = self.url_open(url % 4)
        self.assertNotEqual(response.status_code, 200)
        self.assertEqual(len(self.view_logs(request)), 5)


@tagged("post_install", "-at_install")
class TestWatermarkLines(BiteCase):
    def test_lines_carry_name_login_time_and_request(self):
        request = self.approved_request()
        material = self.long_material.with_user(self.requester)
        lines = material._watermark_lines(request)
        self.assertEqual(len(lines), 3)
        self.assertIn("王查阅", lines[0])
        self.assertIn(self.requester.login, lines[0])
        self.assertRegex(lines[1], r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")
        self.assertEqual(lines[2], request.name)
        # archive staff are named as such instead of a request
        staff = self.long_material.with_user(self.officer_b)._watermark_lines(None)
        self.assertIn(self.officer_b.login, staff[0])
        self.assertNotEqual(staff[2], request.name)

    def test_served_page_draws_every_line(self):
        request = self.approved_request()
        material = self.long_material.with_user(self.requester)
        served = material._render_watermarked_page(self.long_scan, 2)
        lines = material._watermark_lines(request)
        # the page as served equals the page drawn with these very lines...
        expected = watermark.render_page(
            self.long_scan.raw, 2, lines, image_format=watermark.VIEWER_IMAGE_FORMAT
        )
        self.assertFalse(_difference(served, expected))
        # ...and not with the name, the login or the request left out
        for index, changed in (
            (0, f"({self.requester.login})"),
            (0, "王查阅"),
            (2, "CY-OTHER"),
        ):
            with self.subTest(line=index, changed=changed):
                other = list(lines)
                other[index] = changed
                self.assertTrue(
                    _difference(
                        served,
                        watermark.render_page(
                            self.long_scan.raw,
                            2,
                            other,
                            image_format=watermark.VIEWER_IMAGE_FORMAT,
                        ),
                    )
                )


def _difference(image_a, image_b):
    a = Image.open(io.BytesIO(image_a)).convert("L")
    b = Image.open(io.BytesIO(image_b)).convert("L")
    if a.size != b.size:
        return True
    return ImageChops.difference(a, b).getbbox() is not None


@tagged("post_install", "-at_install")
class TestJobsKeepChannelAndIdentity(BiteCase):
    def test_every_job_where_it_is_queued(self):
        draft = self.create_material(self.dossier_b, self.cat_cv, "履历表（草稿）")
        with trap_jobs() as trap:
            scan = self.env["ir.attachment"].create(
                {
                    "name": "1-9.tif",
                    "res_model": "cadre.archive.material",
                    "res_id": draft.id,
                    "raw": multi_page_tiff(["一", "二"]),
                }
            )
        page_jobs = trap.enqueued_jobs
        self.assertEqual(len(page_jobs), 2)
        for job in page_jobs:
            self.assertEqual(job.channel, OCR_CHANNEL)
            self.assertEqual(job.method_name, "_run_ocr")
            self.assertTrue(job.identity_key)
        self.assertEqual(len({job.identity_key for job in page_jobs}), 2)
        # queuing the same pages again gives the same identities
        with trap_jobs() as again:
            draft.action_run_ocr()
        self.assertEqual(
            {job.identity_key for job in again.enqueued_jobs},
            {job.identity_key for job in page_jobs},
        )
        # a page done queues a gathering job of its own, once: another page
        # done gets another (a shared job may have read the texts already)
        page, other = scan.archive_page_ids[:2]
        with trap_jobs() as gather:
            page._workflow_write({"ocr_state": "done", "ocr_text": "一"})
            draft._queue_compose_ocr_text(page)
            draft._queue_compose_ocr_text(page)
        gather.assert_jobs_count(1, only=draft._compose_ocr_text)
        with trap_jobs() as second:
            draft._queue_compose_ocr_text(other)
        second.assert_jobs_count(1, only=draft._compose_ocr_text)
        self.assertNotEqual(
            second.enqueued_jobs[0].identity_key, gather.enqueued_jobs[0].identity_key
        )
        job = gather.enqueued_jobs[0]
        self.assertEqual(job.channel, OCR_CHANNEL)
        self.assertEqual(job.identity_key, identity_exact(job))


@tagged("post_install", "-at_install")
class TestFilingChecksTheScans(BiteCase):
    def test_a_scan_changed_on_disk_stops_the_filing(self):
        draft = self.create_material(self.dossier_b, self.cat_cv, "履历表（待归档）")
        with trap_jobs():
            scan = self.env["ir.attachment"].create(
                {
                    "name": "1-8.jpg",
                    "res_model": "cadre.archive.material",
                    "res_id": draft.id,
                    "raw": pages.render_text_page(["履历表"], dpi=200),
                }
            )
        path = scan._full_path(scan.store_fname)
        with open(path, "rb") as handle:
            original = handle.read()
        with open(path, "r+b") as handle:
            handle.seek(-8, 2)
            handle.write(b"\0" * 8)
        with self.assertRaisesRegex(UserError, "changed"):
            self.file_materials(draft, user=self.officer_b)
        self.assertEqual(draft.state, "draft")
        # once the file is right again, filing goes through
        with open(path, "wb") as handle:
            handle.write(original)
        self.file_materials(draft, user=self.officer_b)
        self.assertEqual(draft.state, "filed")
