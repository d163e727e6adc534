# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The access log as an auditor reads it.

A log line says what a person actually saw or took: a page of the viewer is a
view of that scan and page; an officer opening the material form (its
fields, its chatter and the thumbnails of its scans) downloads nothing; the
original file is a download only when asked for as one.
"""

from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from .common import JsonRpcMixin
from .test_request import RequestCase
from .test_rules_bite import multi_page_tiff

LOG_MODEL = "cadre.archive.access.log"
# what the chatter of a form asks for (mail/static/src/core/web/thread_model)
CHATTER_REQUESTS = [
    "activities",
    "attachments",
    "followers",
    "scheduledMessages",
    "suggestedRecipients",
]


class ViewerCase(JsonRpcMixin, HttpCase, RequestCase):
    """A filed material of dossier B (officer B's unit) with one two-page scan."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.set_passwords()
        cls.two_pages = cls.create_material(
            cls.dossier_b, cls.cat_appointment, "任免审批表（两页）"
        )
        with trap_jobs():
            cls.two_page_scan = cls.env["ir.attachment"].create(
                {
                    "name": "9-2-2.tif",
                    "res_model": "cadre.archive.material",
                    "res_id": cls.two_pages.id,
                    "raw": multi_page_tiff(["第一页", "第二页"]),
                }
            )
        cls.file_materials(cls.two_pages)

    def get(self, url):
        response = self.url_open(url, allow_redirects=False)
        return response.status_code, response.content

    def logs(self, user):
        return self.env[LOG_MODEL].search([("user_id", "=", user.id)], order="id")

    @staticmethod
    def web_client_spec(record):
        """The fields the web client reads to show ``record``'s form: the
        fields of the form, and of a one2many the fields of its list."""
        view = record.get_views([(False, "form")])["views"]["form"]
        fields = record.fields_get(attributes=["type"])
        spec = {}
        for node in etree.fromstring(view["arch"]).xpath(
            "//field[not(ancestor::field)]"
        ):
            name = node.get("name")
            kind = fields[name]["type"]
            if kind == "many2one":
                spec[name] = {"fields": {"display_name": {}}}
            elif kind in ("one2many", "many2many"):
                columns = node.xpath("./list//field[not(ancestor::field[2])]/@name")
                spec[name] = {"fields": {column: {} for column in columns}}
            else:
                spec[name] = {}
        return spec

    def web_read(self, record):
        """Read ``record`` as the web client does (binary fields as sizes)."""
        result, error = self.call(
            record._name,
            "web_read",
            record.ids,
            specification=self.web_client_spec(record),
            context={"bin_size": True},
        )
        self.assertFalse(error)
        return result

    def open_form_as_the_web_client(self, material):
        """What the web client asks for when the material form opens: the
        form's fields, the chatter's data, and the thumbnails of the images
        among its attachments."""
        self.web_read(material)
        response = self.url_open(
            "/mail/data",
            json={
                "id": 0,
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "fetch_params": [
                        [
                            "mail.thread",
                            {
                                "thread_model": material._name,
                                "thread_id": material.id,
                                "request_list": CHATTER_REQUESTS,
                            },
                        ]
                    ],
                    "context": {},
                },
            },
        )
        store = response.json()["result"]
        attachments = store.get("ir.attachment", [])
        self.assertIn(self.two_page_scan.id, [a["id"] for a in attachments])
        for attachment in attachments:
            if attachment["mimetype"].startswith("image/"):
                status, __ = self.get(
                    f"/web/image/{attachment['id']}"
                    f"?filename={attachment['name']}&unique={attachment['checksum']}"
                )
                self.assertEqual(status, 200)


@tagged("post_install", "-at_install")
class TestAuditLog(ViewerCase):
    def test_opening_the_form_downloads_nothing(self):
        self.login(self.officer_b)
        self.open_form_as_the_web_client(self.two_pages.with_user(self.officer_b))
        logs = self.logs(self.officer_b)
        self.assertNotIn("download", logs.mapped("action"))
        # the thumbnail the officer saw is archive work on that scan
        self.assertRecordValues(
            logs,
            [
                {
                    "action": "work",
                    "material_id": self.two_pages.id,
                    "attachment_id": self.two_page_scan.id,
                    "request_id": False,
                }
            ],
        )

    def test_opening_a_scan_row_downloads_nothing(self):
        """A row of the Scans tab opens the attachment's own form: its file
        field shows the file's size, its indexed text is archive work."""
        self.login(self.officer_b)
        values = self.web_read(self.two_page_scan.with_user(self.officer_b))
        self.assertIn("datas", values[0])
        self.assertNotEqual(values[0]["datas"], self.two_page_scan.datas.decode())
        self.assertNotIn("download", self.logs(self.officer_b).mapped("action"))

    def test_two_pages_viewed_are_two_view_lines(self):
        self.login(self.officer_b)
        viewer = f"/cadre_archive/material/{self.two_pages.id}/view"
        for url in (
            viewer,
            f"/cadre_archive/scan/{self.two_page_scan.id}/page/1",
            f"{viewer}?page=2",
            f"/cadre_archive/scan/{self.two_page_scan.id}/page/2",
        ):
            status, __ = self.get(url)
            self.assertEqual(status, 200, url)
        self.assertRecordValues(
            self.logs(self.officer_b),
            [
                {
                    "action": "view",
                    "material_id": self.two_pages.id,
                    "dossier_id": self.dossier_b.id,
                    "attachment_id": self.two_page_scan.id,
                    "page": page,
                    "request_id": False,
                }
                for page in (1, 2)
            ],
        )

    def test_explicit_download_is_a_download(self):
        self.login(self.officer_b)
        scan = self.two_page_scan
        for url in (
            f"/web/content/{scan.id}?download=true",
            f"/web/image/{scan.id}?download=true",
            f"/cadre_archive/scan/{scan.id}/download",
        ):
            status, body = self.get(url)
            self.assertEqual((status, body), (200, scan.raw), url)
        logs = self.logs(self.officer_b)
        self.assertEqual(logs.mapped("action"), ["download"] * 3)
        self.assertEqual(logs.attachment_id, scan)

    def test_a_field_read_as_size_takes_nothing(self):
        scan = self.two_page_scan.with_user(self.officer_b)
        scan.with_context(bin_size=True).read(["datas", "raw", "url"])
        self.assertFalse(self.logs(self.officer_b))
        scan.read(["index_content"])
        scan.read(["datas"])
        self.assertEqual(
            self.logs(self.officer_b).mapped("action"), ["work", "download"]
        )
        # a requester gets neither without the download permission
        self.approved_request()
        for fname in ("index_content", "datas"):
            with self.assertRaises(AccessError):
                self.two_page_scan.with_user(self.requester).read([fname])

    def test_auditor_filters_and_groups(self):
        request = self.approved_request()
        self.two_pages.with_user(self.requester)._render_watermarked_page(
            self.two_page_scan, 2
        )
        self.two_pages.with_user(self.officer_b)._render_watermarked_page(
            self.two_page_scan, 1
        )
        view = self.env[LOG_MODEL].get_views([(False, "search")])["views"]["search"]
        for name in (
            'name="consultation"',
            'name="work"',
            'name="group_user"',
            'name="group_dossier"',
            'name="group_day"',
        ):
            self.assertIn(name, view["arch"])
        log = self.env[LOG_MODEL].with_user(self.manager)
        consultations = log.search([("request_id", "!=", False)])
        self.assertEqual(
            (consultations.user_id, consultations.request_id, consultations.page),
            (self.requester, request, 2),
        )
        days = log._read_group([], ["create_date:day"], ["__count"])
        self.assertEqual(sum(count for __, count in days), 2)
