# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from .test_rules_bite import multi_page_tiff


@tagged("post_install", "-at_install")
class TestOfficerViewerTour(HttpCase):
    """An archive officer reads a material in the page viewer, in the browser
    (tour ``cadre_archive_officer_viewer`` in ``cadre_archive_viewer_tour.js``):
    from the material form to page 2 and back. The log holds the two pages
    seen, and no download."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.unit = cls.env["hr.department"].create({"name": "Tour Unit"})
        cls.officer = new_test_user(
            cls.env,
            login="tour_officer",
            password="tour_officer",
            name="Tour Officer",
            groups="cadre_archive.group_officer",
            archive_department_ids=[(6, 0, cls.unit.ids)],
        )
        employee = cls.env["hr.employee"].create(
            {"name": "Tour Cadre", "department_id": cls.unit.id}
        )
        cls.dossier = cls.env["cadre.archive.dossier"].create(
            {"employee_id": employee.id}
        )
        cls.material = cls.env["cadre.archive.material"].create(
            {
                "dossier_id": cls.dossier.id,
                "category_id": cls.env.ref("cadre_archive.category_9_2").id,
                "name": "任免审批表",
                "date": "1990-07-01",
                "page_count": 2,
            }
        )
        with trap_jobs():
            cls.scan = cls.env["ir.attachment"].create(
                {
                    "name": "9-2-1.tif",
                    "res_model": "cadre.archive.material",
                    "res_id": cls.material.id,
                    "raw": multi_page_tiff(["第一页", "第二页"]),
                }
            )
        cls.material._record_filing_checks(cls.material._filing_check_items())
        cls.material.action_file()

    def test_officer_views_two_pages_and_goes_back(self):
        self.start_tour(
            f"/odoo/cadre.archive.material/{self.material.id}",
            "cadre_archive_officer_viewer",
            login="tour_officer",
        )
        logs = self.env["cadre.archive.access.log"].search(
            [("user_id", "=", self.officer.id)], order="id"
        )
        self.assertNotIn("download", logs.mapped("action"))
        views = logs.filtered(lambda log: log.action == "view")
        self.assertRecordValues(
            views,
            [
                {
                    "material_id": self.material.id,
                    "dossier_id": self.dossier.id,
                    "attachment_id": self.scan.id,
                    "page": page,
                    "request_id": False,
                }
                for page in (1, 2)
            ],
        )
        # anything else is the officer's own work on the form (thumbnails)
        self.assertEqual(set((logs - views).mapped("action")) - {"work"}, set())
