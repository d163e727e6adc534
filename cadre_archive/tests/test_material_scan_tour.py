# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestMaterialScanTour(HttpCase):
    """An archive officer adds a material from a dossier's Drafts tab, uploads
    its two scans in one go from the material's dialog, sees its two pages in
    order without a reload and files it through its check, in the browser
    (tour ``cadre_archive_material_scans``)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.unit = cls.env["hr.department"].create({"name": "Scan Unit"})
        cls.officer = new_test_user(
            cls.env,
            login="scan_officer",
            password="scan_officer",
            name="Scan Officer",
            groups="cadre_archive.group_officer",
            archive_department_ids=[(6, 0, cls.unit.ids)],
        )
        cls.employee = cls.env["hr.employee"].create(
            {"name": "Scan Cadre", "department_id": cls.unit.id}
        )
        cls.dossier = cls.env["cadre.archive.dossier"].create(
            {"employee_id": cls.employee.id}
        )

    def test_add_scan_and_file_a_material_from_the_dossier(self):
        self.start_tour(
            f"/odoo/action-cadre_archive.action_cadre_archive_dossier/{self.dossier.id}",
            "cadre_archive_material_scans",
            login="scan_officer",
        )
        material = self.dossier.material_ids
        self.assertEqual(len(material), 1, "the tour creates exactly one material")
        self.assertRecordValues(
            material,
            [
                {
                    "name": "2020年度考核登记表",
                    "category_id": self.env.ref("cadre_archive.category_3").id,
                    "code": "3-1",
                    "state": "filed",
                    "date_input": "2020.12",
                    "page_count": 2,
                    "filed_uid": self.officer.id,
                    "check_method": "checklist",
                }
            ],
        )
        scans = material.attachment_ids.sorted("id")
        self.assertEqual(scans.mapped("name"), ["考核-1.jpg", "考核-2.jpg"])
        self.assertEqual(scans.mapped("create_uid"), self.officer)
        self.assertEqual(
            [(p.material_page_number, p.attachment_id) for p in material.page_ids],
            [(1, scans[0]), (2, scans[1])],
        )
        self.assertEqual(material.check_ids.user_id, self.officer)
        self.assertEqual(
            material.check_ids.item_id,
            self.env.ref("cadre_archive.check_item_assessment_seen"),
        )

    def test_filed_materials_offer_no_delete(self):
        categories = self.env["cadre.archive.category"]
        draft, filed = self.env["cadre.archive.material"].create(
            [
                {
                    "dossier_id": self.dossier.id,
                    "category_id": categories.search([("code", "=", "1")]).id,
                    "name": name,
                    "date_input": date,
                    "page_count": 1,
                }
                for name, date in (
                    ("待归档登记表", "2021.03"),
                    ("已归档履历表", "2020.05"),
                )
            ]
        )
        filed = filed.with_user(self.officer)
        items = filed._filing_check_items()
        if items:
            filed._record_filing_checks(items)
        filed.action_file()
        self.assertEqual(filed.state, "filed")
        self.start_tour(
            "/odoo/action-cadre_archive.action_cadre_archive_material",
            "cadre_archive_filed_material_no_delete",
            login="scan_officer",
        )
        self.assertTrue(draft.exists() and filed.exists())
