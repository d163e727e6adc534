# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CadreArchiveCase, make_jpeg


@tagged("post_install", "-at_install")
class TestFiledLock(CadreArchiveCase):
    """A filed material's content, scans and existence are locked for all."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.scan = cls.attach_scan(cls.material_a, "original page")
        cls.original_bytes = cls.scan.raw
        cls.material_a.action_file()

    def assert_unchanged(self):
        self.material_a.invalidate_recordset()
        self.scan.invalidate_recordset()
        self.assertEqual(self.material_a.state, "filed")
        self.assertEqual(self.material_a.name, "干部履历表")
        self.assertEqual(self.material_a.category_id, self.cat_cv)
        self.assertEqual(self.material_a.dossier_id, self.dossier_a)
        self.assertEqual(self.material_a.attachment_ids, self.scan)
        self.assertEqual(self.scan.raw, self.original_bytes)

    def test_filing_records_who_and_when(self):
        self.assertEqual(self.material_a.filed_uid, self.env.user)
        self.assertTrue(self.material_a.filed_date)
        with self.assertRaises(UserError):
            self.material_a.action_file()

    def test_write_is_refused_for_every_user(self):
        changes = [
            {"name": "涂改"},
            {"page_count": 9},
            {"date_input": "2000"},
            {"remarks": "x"},
            {"category_id": self.cat_degree.id},
            {"dossier_id": self.dossier_a1.id},
            {"attachment_ids": [(3, self.scan.id)]},
        ]
        for env in (self.env, self.env(su=False), self.officer_a_env, self.manager_env):
            for vals in changes:
                with (
                    self.subTest(user=env.user.login, vals=vals),
                    self.assertRaises(UserError),
                ):
                    self.material_a.with_env(env).write(vals)
        self.assert_unchanged()

    def test_unlink_is_refused_for_every_user(self):
        for env in (self.env, self.officer_a_env, self.manager_env):
            with self.subTest(user=env.user.login), self.assertRaises(UserError):
                self.material_a.with_env(env).unlink()
        self.assert_unchanged()

    def test_scans_cannot_be_replaced_removed_or_moved(self):
        draft = self.create_material(self.dossier_a, self.cat_degree, "草稿")
        attempts = {
            "replace datas": {"datas": base64.b64encode(make_jpeg("forged"))},
            "replace raw": {"raw": make_jpeg("forged")},
            "move to draft": {"res_id": draft.id},
            "detach": {
                "res_model": "res.partner",
                "res_id": self.env.user.partner_id.id,
            },
            "publish": {"public": True},
            "rename": {"name": "other.jpg"},
        }
        for env in (self.env, self.officer_a_env, self.manager_env):
            for label, vals in attempts.items():
                with (
                    self.subTest(user=env.user.login, attempt=label),
                    self.assertRaises(UserError),
                ):
                    self.scan.with_env(env).write(vals)
            with (
                self.subTest(user=env.user.login, attempt="unlink"),
                self.assertRaises(UserError),
            ):
                self.scan.with_env(env).unlink()
        self.assert_unchanged()

    def test_no_scan_can_be_added_or_swapped_in(self):
        draft = self.create_material(self.dossier_a, self.cat_degree, "草稿")
        draft_scan = self.attach_scan(draft, "draft page")
        with self.assertRaises(UserError):
            self.attach_scan(self.material_a, "added later")
        with self.assertRaises(UserError):
            self.attach_scan(self.material_a, "added later", env=self.officer_a_env)
        with self.assertRaises(UserError):
            draft_scan.write({"res_id": self.material_a.id})
        with self.assertRaises(UserError):
            self.scan.copy({"res_id": self.material_a.id})
        self.assert_unchanged()

    def test_import_cannot_overwrite_a_filed_material(self):
        xml_id = self.material_a._export_rows([["id"]])[0][0]
        result = (
            self.env["cadre.archive.material"]
            .with_env(self.officer_a_env)
            .load(["id", "name", "page_count"], [[xml_id, "换掉的标题", "1"]])
        )
        self.assertFalse(result["ids"])
        self.assertTrue(
            any("filed" in message["message"] for message in result["messages"])
        )
        self.assert_unchanged()

    def test_derived_ocr_text_stays_writable(self):
        self.material_a.with_env(self.officer_a_env).ocr_text = "干部履历表 1990"
        self.assertEqual(self.material_a.ocr_text, "干部履历表 1990")
        self.assert_unchanged()

    def test_draft_material_and_scans_stay_editable(self):
        draft = self.create_material(self.dossier_a, self.cat_degree, "草稿")
        scan = self.attach_scan(draft, "draft", env=self.officer_a_env)
        scan.with_env(self.officer_a_env).write({"raw": make_jpeg("rescanned")})
        draft.with_env(self.officer_a_env).name = "学位证书"
        scan.with_env(self.officer_a_env).unlink()
        draft.with_env(self.officer_a_env).unlink()
        self.assertFalse(draft.exists())

    def test_scans_are_never_shared_by_token(self):
        draft = self.create_material(self.dossier_a, self.cat_degree, "草稿")
        scan = self.attach_scan(draft, "draft")
        with self.assertRaises(UserError):
            scan.write({"access_token": "guessable"})
        with self.assertRaises(UserError):
            scan.generate_access_token()

    @property
    def officer_a_env(self):
        return self.env(user=self.officer_a)

    @property
    def manager_env(self):
        return self.env(user=self.manager)
