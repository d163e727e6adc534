# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import HttpCase, tagged

from .common import CadreArchiveCase, JsonRpcMixin


@tagged("post_install", "-at_install")
class TestWebContent(HttpCase, CadreArchiveCase):
    """The download routes give a scan's bytes only to whom the rules allow."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.scan_a = cls.attach_scan(cls.material_a, "secret page A")
        cls.scan_b = cls.attach_scan(cls.material_b, "secret page B")
        for user in (
            cls.employee_user,
            cls.cadre_user,
            cls.requester,
            cls.officer_a,
            cls.officer_b,
            cls.manager,
        ):
            user.password = f"{user.login}-pw-123"

    def fetch(self, url):
        response = self.url_open(url, allow_redirects=False)
        return response.status_code, response.content

    def assert_gets(self, user, scan, allowed):
        self.authenticate(user.login, f"{user.login}-pw-123")
        urls = [
            f"/web/content/{scan.id}?download=true",
            f"/web/content/ir.attachment/{scan.id}/datas",
            f"/web/image/{scan.id}",
            f"/web/content/{scan.id}/{scan.name}",
        ]
        for url in urls:
            status, content = self.fetch(url)
            with self.subTest(user=user.login, url=url):
                if allowed:
                    self.assertEqual(status, 200)
                    if "/web/image/" not in url:
                        self.assertEqual(content, scan.raw)
                elif "/web/image/" in url:
                    # /web/image answers a placeholder picture, never the scan
                    self.assertNotEqual(content, scan.raw)
                    self.assertFalse(content.startswith(b"\xff\xd8"))
                else:
                    self.assertIn(status, (403, 404))
                    self.assertNotIn(scan.raw[:64], content)

    def test_scan_download_matrix(self):
        cases = {
            self.employee_user: (False, False),
            self.cadre_user: (False, False),
            self.requester: (False, False),
            self.officer_a: (True, False),
            self.officer_b: (False, True),
            self.manager: (True, True),
        }
        for user, (may_a, may_b) in cases.items():
            self.assert_gets(user, self.scan_a, may_a)
            self.assert_gets(user, self.scan_b, may_b)

    def test_anonymous_gets_nothing(self):
        status, content = self.fetch(f"/web/content/{self.scan_a.id}?download=true")
        self.assertIn(status, (303, 403, 404))
        self.assertNotIn(self.scan_a.raw[:64], content)

    def test_catalog_report_route_respects_rules(self):
        report = "/report/html/cadre_archive.report_dossier_catalog"
        self.file_materials(self.material_a | self.material_b)
        self.authenticate(self.officer_b.login, "ca_officer_b-pw-123")
        status, content = self.fetch(f"{report}/{self.dossier_a.id}")
        self.assertNotEqual(status, 200)
        self.assertNotIn("干部履历表".encode(), content)
        status, content = self.fetch(f"{report}/{self.dossier_b.id}")
        self.assertEqual(status, 200)
        self.assertIn("任免审批表".encode(), content)
        self.authenticate(self.requester.login, "ca_requester-pw-123")
        status, content = self.fetch(f"{report}/{self.dossier_b.id}")
        self.assertNotEqual(status, 200)
        self.assertNotIn("任免审批表".encode(), content)


@tagged("post_install", "-at_install")
class TestRpcLock(JsonRpcMixin, HttpCase, CadreArchiveCase):
    """Over RPC, filed materials and their scans are just as locked."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.scan = cls.attach_scan(cls.material_a, "filed page")
        cls.file_materials(cls.material_a)
        cls.officer_a.password = "ca_officer_a-pw-123"

    def test_rpc_cannot_change_filed_material(self):
        self.authenticate("ca_officer_a", "ca_officer_a-pw-123")
        material = "cadre.archive.material"
        attempts = [
            (material, "write", [self.material_a.id], {"name": "涂改"}),
            (material, "write", [self.material_a.id], {"state": "draft"}),
            (material, "unlink", [self.material_a.id]),
            ("ir.attachment", "write", [self.scan.id], {"raw": "forged"}),
            ("ir.attachment", "unlink", [self.scan.id]),
        ]
        for model, method, *args in attempts:
            with self.subTest(model=model, method=method):
                result, error = self.call(model, method, *args)
                self.assertFalse(result)
                self.assertRegex(error or "", "(?i)filed|set by the archive itself")
        self.material_a.invalidate_recordset()
        self.assertEqual(
            (self.material_a.name, self.material_a.state), ("干部履历表", "filed")
        )
        self.assertEqual(self.material_a.attachment_ids, self.scan)
        result, error = self.call(
            material, "read", [self.material_a.id], ["name", "code", "state"]
        )
        self.assertFalse(error)
        self.assertEqual(result[0]["code"], "1-1")
