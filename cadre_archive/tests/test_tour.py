# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from unittest.mock import patch

from odoo.tests import HttpCase, new_test_user, tagged

REPORT_NAME = "cadre_archive.report_dossier_catalog"


@tagged("post_install", "-at_install")
class TestCadreArchiveTour(HttpCase):
    """An archive officer files a material from the employee form and opens
    the dossier catalog in the browser's PDF viewer, in the browser (tour
    ``cadre_archive_file_material``).
    """

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
        cls.employee = cls.env["hr.employee"].create(
            {"name": "Tour Cadre", "department_id": cls.unit.id}
        )
        cls.dossier = cls.env["cadre.archive.dossier"].create(
            {"employee_id": cls.employee.id}
        )
        cls.report = cls.env.ref("cadre_archive.action_report_dossier_catalog")

    def test_file_material_and_print_catalog(self):
        Report = self.registry["ir.actions.report"]
        render_qweb_pdf = Report._render_qweb_pdf
        rendered = []

        def spy_render_qweb_pdf(report_model, report_ref, res_ids=None, data=None):
            result = render_qweb_pdf(
                report_model, report_ref, res_ids=res_ids, data=data
            )
            rendered.append(
                (report_ref, list(res_ids or []), report_model.env.uid, result)
            )
            return result

        # The web client asks /report/check_wkhtmltopdf before opening the
        # catalog's PDF in a new tab; answer "ok" whatever the machine has, so
        # the client always takes that path. The server does not run
        # wkhtmltopdf in test mode anyway: /report/pdf answers the HTML
        # rendering, as application/pdf.
        with (
            patch.object(Report, "get_wkhtmltopdf_state", lambda self: "ok"),
            patch.object(Report, "_render_qweb_pdf", spy_render_qweb_pdf),
        ):
            self.start_tour(
                "/odoo", "cadre_archive_file_material", login="tour_officer"
            )

        material = self.dossier.material_ids
        self.assertEqual(len(material), 1, "the tour creates exactly one material")
        self.assertRecordValues(
            material,
            [
                {
                    "name": "学位证书",
                    "category_id": self.env.ref("cadre_archive.category_4_1").id,
                    "code": "4-1-1",
                    "state": "filed",
                    "date_precision": "month",
                    "date_input": "2001.07",
                    "page_count": 2,
                    "filed_uid": self.officer.id,
                }
            ],
        )
        self.assertEqual(str(material.date), "2001-07-01")
        self.assertTrue(material.filed_date)
        self.assertEqual(self.dossier.material_count, 1)
        self.assertEqual(self.dossier.page_count, 2)

        # The print menu entry is the catalog report bound to dossiers.
        self.assertEqual(self.report.report_type, "qweb-pdf")
        self.assertEqual(self.report.report_name, REPORT_NAME)
        self.assertEqual(self.report.binding_model_id.model, "cadre.archive.dossier")

        # The click on "Dossier Catalog" opened /report/pdf (shown inline, not
        # downloaded): it reached the server once, for this dossier, as the
        # officer, and the catalog it rendered lists the new material.
        self.assertEqual(
            [(ref, ids, uid) for ref, ids, uid, __ in rendered],
            [(REPORT_NAME, self.dossier.ids, self.officer.id)],
        )
        content, __ = rendered[0][3]
        self.assertIn("学位证书", content.decode())

        # The same catalog rendered here, as the officer.
        html, report_type = (
            self.env["ir.actions.report"]
            .with_user(self.officer)
            ._render_qweb_html(REPORT_NAME, self.dossier.ids)
        )
        self.assertEqual(report_type, "html")
        html = html.decode()
        self.assertIn("Dossier Catalog", html)
        self.assertIn(self.dossier.name, html)
        self.assertIn("学位证书", html)
        self.assertIn("Education and Degrees", html)
