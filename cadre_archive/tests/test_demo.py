# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import re
import unittest

from odoo.tests import TransactionCase, tagged

CJK = re.compile(r"[\u4e00-\u9fff]")


@tagged("post_install", "-at_install")
class TestDemoData(TransactionCase):
    """The demo data look like a Chinese organisation's archive: the county's
    people in the HR app instead of Odoo's English demo staff, and materials
    filed by the archive's officers, not by the system."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls.env.ref("cadre_archive.demo_user_manager", False)
        if not cls.manager:
            raise unittest.SkipTest("the database has no demo data")

    def test_hr_app_shows_the_county_people_only(self):
        employees = self.env["hr.employee"].search(
            [("company_id", "=", self.env.ref("base.main_company").id)]
        )
        foreign = employees.filtered(
            lambda employee: not employee.user_id and not CJK.search(employee.name)
        )
        self.assertFalse(foreign.mapped("name"), "English demo staff without a user")
        self.assertGreaterEqual(len(employees.filtered("cadre_dossier_id")), 20)
        units = self.env["hr.department"].search(
            [("company_id", "in", [False, self.env.ref("base.main_company").id])]
        )
        self.assertIn("县财政局", units.mapped("name"))
        for unit in units.filtered(lambda unit: not CJK.search(unit.name)):
            # Odoo's demo units stay only where a demo user still works
            staff = self.env["hr.employee"].search(
                [("department_id", "child_of", unit.id)]
            )
            self.assertTrue(staff.user_id, f"{unit.name} is left with no user")

    def test_materials_are_filed_by_the_archive_officers(self):
        filed = self.env["cadre.archive.material"].search([("state", "=", "filed")])
        self.assertTrue(filed)
        officers = (
            self.env.ref("cadre_archive.demo_user_officer_a")
            | self.env.ref("cadre_archive.demo_user_officer_b")
            | self.manager
        )
        self.assertLessEqual(filed.mapped("filed_uid"), officers)
        for material in filed:
            filer = material.filed_uid
            self.assertTrue(
                material.with_user(filer).has_access("read"),
                f"{material.display_name} filed by {filer.name}, who does not keep it",
            )
        unit_a = self.env.ref("cadre_archive.demo_unit_party_office")
        self.assertEqual(
            filed.filtered(lambda m: m.department_id == unit_a).filed_uid,
            self.env.ref("cadre_archive.demo_user_officer_a"),
        )

    def test_scanned_demo_materials_have_every_page(self):
        scanned = self.env["cadre.archive.material"].search(
            [("attachment_ids", "!=", False)]
        )
        self.assertTrue(scanned)
        for material in scanned:
            self.assertEqual(len(material.page_ids), material.page_count, material.name)
