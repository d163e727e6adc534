# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import io
import shutil

from PIL import Image, ImageChops

from odoo.tests import HttpCase, tagged

from ..lib import pages
from .test_request import RequestCase

PASSWORD = "ca_requester-pw-123"


@tagged("post_install", "-at_install")
class TestRequestHttp(HttpCase, RequestCase):
    """What a requester gets over HTTP, inside and outside an approved request."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.requester.password = PASSWORD
        # a real page with text, at 150 dpi, as the scan of material B
        cls.scan_page = pages.render_text_page(["任免审批表", "第一页"], dpi=150)
        cls.material_b_text = cls.create_material(
            cls.dossier_b, cls.cat_appointment, "任免审批表（正式）"
        )
        cls.text_scan = cls.env["ir.attachment"].create(
            {
                "name": "9-2-3-1.jpg",
                "res_model": "cadre.archive.material",
                "res_id": cls.material_b_text.id,
                "raw": cls.scan_page,
            }
        )
        cls.file_materials(cls.material_b_text)

    def get(self, url):
        response = self.url_open(url, allow_redirects=False)
        return response.status_code, response.content

    def logs(self, request=None, **domain):
        query = [(key, "=", value) for key, value in domain.items()]
        if request:
            query.append(("request_id", "=", request.id))
        return self.env["cadre.archive.access.log"].search(query)

    def test_served_page_carries_the_watermark(self):
        request = self.approved_request()
        self.authenticate(self.requester.login, PASSWORD)
        status, body = self.get(f"/cadre_archive/scan/{self.text_scan.id}/page/1")
        self.assertEqual(status, 200)
        served = Image.open(io.BytesIO(body)).convert("L")
        original = Image.open(io.BytesIO(self.scan_page)).convert("L")
        # the page itself is on top, the legible band below it
        page = served.crop(
            (0, 0, served.width, round(original.height * served.width / original.width))
        )
        original = original.resize(page.size)
        diff = ImageChops.difference(page, original).point(
            lambda v: 255 if v > 24 else 0
        )
        changed = sum(diff.histogram()[255:])
        self.assertGreater(changed / (page.width * page.height), 0.01)
        self.assertGreater(served.height, page.height)
        if shutil.which("tesseract"):
            import pytesseract  # noqa: PLC0415 - only where tesseract exists

            band = served.crop((0, page.height, served.width, served.height))
            text = "".join(
                pytesseract.image_to_string(band, lang="chi_sim+eng").split()
            )
            self.assertIn(self.requester.login, text)
            self.assertIn(request.name, text)
        log = self.logs(request, action="view")
        self.assertEqual(
            (log.user_id, log.material_id, log.page),
            (self.requester, self.material_b_text, 1),
        )

    def test_viewer_page_lists_pages(self):
        self.approved_request()
        self.authenticate(self.requester.login, PASSWORD)
        status, body = self.get(
            f"/cadre_archive/material/{self.material_b_text.id}/view"
        )
        self.assertEqual(status, 200)
        self.assertIn(f"/cadre_archive/scan/{self.text_scan.id}/page/1".encode(), body)
        self.assertNotIn(b"/download", body)

    def test_nothing_outside_a_valid_request(self):
        self.authenticate(self.requester.login, PASSWORD)
        urls = [
            f"/cadre_archive/scan/{self.text_scan.id}/page/1",
            f"/cadre_archive/material/{self.material_b_text.id}/view",
            f"/cadre_archive/scan/{self.text_scan.id}/download",
            f"/cadre_archive/material/{self.material_b_text.id}/print",
            f"/web/content/{self.text_scan.id}?download=true",
            f"/web/content/ir.attachment/{self.text_scan.id}/datas",
        ]
        request = self.approved_request()
        # ended, refused or out of period: nothing
        request.with_user(self.requester).action_done()
        for url in urls:
            status, body = self.get(url)
            with self.subTest(url=url):
                self.assertIn(status, (403, 404))
                self.assertNotIn(self.scan_page[:64], body)
        status, body = self.get(f"/web/image/{self.text_scan.id}")
        self.assertNotEqual(body, self.scan_page)
        report = (
            f"/report/html/cadre_archive.report_dossier_catalog/{self.dossier_b.id}"
        )
        status, body = self.get(report)
        self.assertNotEqual(status, 200)
        self.assertNotIn("任免审批表".encode(), body)
        self.assertFalse(self.logs(request))

    def test_period_over_closes_every_route(self):
        request = self.approved_request(allow_download=True)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE cadre_archive_request SET access_end = now() at time zone 'utc'"
            " - interval '1 minute' WHERE id = %s",
            [request.id],
        )
        request.invalidate_recordset()
        self.authenticate(self.requester.login, PASSWORD)
        for url in (
            f"/cadre_archive/scan/{self.text_scan.id}/page/1",
            f"/web/content/{self.text_scan.id}?download=true",
        ):
            status, body = self.get(url)
            self.assertIn(status, (403, 404))
            self.assertNotIn(self.scan_page[:64], body)
        self.assertFalse(self.logs(request))

    def test_raw_file_needs_the_download_permission(self):
        view_only = self.approved_request()
        self.authenticate(self.requester.login, PASSWORD)
        for url in (
            f"/web/content/{self.text_scan.id}?download=true",
            f"/cadre_archive/scan/{self.text_scan.id}/download",
        ):
            status, body = self.get(url)
            self.assertIn(status, (403, 404), url)
            self.assertNotIn(self.scan_page[:64], body)
        status, __ = self.get(
            f"/cadre_archive/material/{self.material_b_text.id}/print"
        )
        self.assertIn(status, (403, 404))
        self.assertFalse(self.logs(view_only))

        view_only.with_user(self.requester).action_done()
        full = self.approved_request(allow_download=True, allow_print=True)
        status, body = self.get(f"/web/content/{self.text_scan.id}?download=true")
        self.assertEqual(status, 200)
        self.assertEqual(body, self.scan_page)
        status, body = self.get(f"/cadre_archive/scan/{self.text_scan.id}/download")
        self.assertEqual((status, body), (200, self.scan_page))
        status, body = self.get(
            f"/cadre_archive/material/{self.material_b_text.id}/print"
        )
        self.assertEqual(status, 200)
        self.assertTrue(body.startswith(b"%PDF"))
        self.assertEqual(
            sorted(self.logs(full).mapped("action")), ["download", "download", "print"]
        )

    def test_catalog_report_shows_only_the_scope(self):
        self.approved_request(category_ids=[(6, 0, self.cat_cv.ids)])
        self.authenticate(self.requester.login, PASSWORD)
        report = (
            f"/report/html/cadre_archive.report_dossier_catalog/{self.dossier_b.id}"
        )
        status, body = self.get(report)
        self.assertEqual(status, 200)
        self.assertIn("履历表".encode(), body)
        self.assertNotIn("任免审批表".encode(), body)
