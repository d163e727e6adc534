# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from lxml import html as lxml_html
from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import CadreArchiveCase, JsonRpcMixin


@tagged("post_install", "-at_install")
class TestDossier(CadreArchiveCase):
    def test_one_dossier_per_employee(self):
        with self.assertRaisesRegex(ValidationError, "already has a dossier"):
            self.env["cadre.archive.dossier"].create({"employee_id": self.cadre_a.id})
        cadre = self.env["hr.employee"].create({"name": "Twice"})
        with self.assertRaisesRegex(ValidationError, "already has a dossier"):
            self.env["cadre.archive.dossier"].create(
                [{"employee_id": cadre.id}, {"employee_id": cadre.id}]
            )

    @mute_logger("odoo.sql_db")
    def test_one_dossier_per_employee_in_database(self):
        """The database refuses a duplicate even if the check is skipped."""
        cadre = self.env["hr.employee"].create({"name": "Raced"})
        dossier = self.env["cadre.archive.dossier"].create({"employee_id": cadre.id})
        with self.assertRaises(IntegrityError) as caught, self.cr.savepoint():
            self.cr.execute(
                "INSERT INTO cadre_archive_dossier (name, employee_id, company_id, "
                "state, copy_type) SELECT 'X', employee_id, company_id, state, "
                "copy_type FROM cadre_archive_dossier WHERE id = %s",
                [dossier.id],
            )
        message = self.env["cadre.archive.dossier"]._sql_error_to_message(
            caught.exception
        )
        self.assertIn("already has a dossier", message)

    def test_archive_numbers_per_company(self):
        other_company = self.env["res.company"].create({"name": "Other Agency"})
        sequence = self.env["cadre.archive.dossier"]._get_archive_sequence(self.company)
        numbers = self.env["cadre.archive.dossier"].search([]).mapped("name")
        self.assertTrue(all(n.startswith(sequence.prefix) for n in numbers))
        self.assertEqual(len(set(numbers)), len(numbers))
        first, second = self.env["hr.employee"].create(
            [
                {"name": "Other 1", "company_id": other_company.id},
                {"name": "Other 2", "company_id": other_company.id},
            ]
        )
        dossier_1 = self.env["cadre.archive.dossier"].create({"employee_id": first.id})
        dossier_2 = self.env["cadre.archive.dossier"].create({"employee_id": second.id})
        self.assertEqual(dossier_1.company_id, other_company)
        self.assertEqual((dossier_1.name, dossier_2.name), ("DA000001", "DA000002"))
        other_sequence = self.env["cadre.archive.dossier"]._get_archive_sequence(
            other_company
        )
        self.assertNotEqual(other_sequence, sequence)
        # configurable: a new prefix applies to the next dossier of that company
        other_sequence.prefix = "HQ-"
        third = self.env["hr.employee"].create(
            {"name": "Other 3", "company_id": other_company.id}
        )
        dossier_3 = self.env["cadre.archive.dossier"].create({"employee_id": third.id})
        self.assertEqual(dossier_3.name, "HQ-000003")
        # the first company's numbering went on undisturbed
        next_here = self.env["cadre.archive.dossier"].create(
            {"employee_id": self.env["hr.employee"].create({"name": "Here"}).id}
        )
        self.assertTrue(next_here.name.startswith(sequence.prefix))
        self.assertNotIn(next_here.name, numbers)

    def test_counts_and_location(self):
        self.create_material(self.dossier_a, self.cat_degree, "毕业证书", page_count=3)
        self.assertEqual(self.dossier_a.material_count, 2)
        self.assertEqual(self.dossier_a.page_count, 5)
        self.dossier_a.write(
            {"location_room": "1", "location_cabinet": "A3", "location_cell": "12"}
        )
        self.assertEqual(self.dossier_a.location, "1-A3-12")

    def test_department_follows_employee_at_creation(self):
        self.assertEqual(self.dossier_a.department_id, self.unit_a)
        self.assertEqual(self.dossier_a1.department_id, self.unit_a1)

    def test_dossier_with_filed_material_cannot_be_deleted(self):
        self.file_materials(self.material_b)
        with self.assertRaisesRegex(Exception, "filed materials"):
            self.dossier_b.unlink()
        self.assertTrue(self.dossier_b.exists())

    def test_catalog_sections(self):
        self.material_a.date_input = "1985.03"
        self.file_materials(self.material_a)
        self.create_material(self.dossier_a, self.cat_cv, "未归档的草稿")
        # a draft carrying the number written on its paper (zip import) is
        # not in the catalog either, until it is filed
        scanned = self.create_material(self.dossier_a, self.cat_cv, "已扫描的草稿")
        scanned._workflow_write({"sequence_number": 5})
        sections = self.dossier_a._get_catalog_sections()
        codes = [section.code for section in sections]
        self.assertEqual(codes[:5], ["1", "2", "3", "4-1", "4-2"])
        self.assertEqual(codes[-1], "10")
        self.assertEqual(len(codes), 16)
        row = sections[0].rows[0]
        self.assertEqual(
            (row.number, row.title, row.year, row.month, row.day, row.page_count),
            (1, "干部履历表", "1985", "03", "", 2),
        )
        self.assertEqual(len(sections[0].rows), 1, "drafts are not in the catalog")
        self.assertEqual(self.dossier_a.catalog_material_ids, self.material_a)

    def test_catalog_report_renders(self):
        self.material_a.remarks = "复印件"
        self.file_materials(self.material_a)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "cadre_archive.report_dossier_catalog", self.dossier_a.ids
            )[0]
            .decode()
        )
        self.assertIn("干部履历表", html)
        self.assertIn("复印件", html)
        self.assertIn(self.dossier_a.name, html)

    def catalog_tree(self, dossier):
        html = self.env["ir.actions.report"]._render_qweb_html(
            "cadre_archive.report_dossier_catalog", dossier.ids
        )[0]
        return lxml_html.fromstring(html)

    def test_catalog_empty_category_takes_one_line(self):
        """A category without material is one line, "2 <name> — None", not an
        empty table; the categories with materials keep their table."""
        self.file_materials(self.material_a)
        tree = self.catalog_tree(self.dossier_a)
        tables = tree.xpath("//div[hasclass('o_cadre_archive_catalog_section')]")
        empties = tree.xpath("//div[hasclass('o_cadre_archive_catalog_empty')]")
        self.assertEqual(len(tables), 1, "only category 1 has a material")
        self.assertEqual(len(empties), 15)
        self.assertEqual(
            len(tree.xpath("//table[hasclass('o_cadre_archive_catalog_table')]")), 1
        )
        line = " ".join(empties[0].text_content().split())
        category_2 = self.env.ref("cadre_archive.category_2")
        self.assertEqual(line, f"2 {category_2.name} — None")
        self.assertFalse(empties[0].xpath(".//table"))
        nested = " ".join(empties[2].text_content().split())
        self.assertTrue(nested.startswith("4 "), nested)
        self.assertIn("/ 4-1 ", nested)

    def test_catalog_sections_keep_their_header_with_their_rows(self):
        """Printing never leaves a category's title and column header alone at
        the bottom of a page: the section avoids page breaks inside, its header
        (with the category title) repeats on each page, rows never split."""
        self.file_materials(self.material_a)
        tree = self.catalog_tree(self.dossier_a)
        (section,) = tree.xpath("//div[hasclass('o_cadre_archive_catalog_section')]")
        self.assertIn("page-break-inside: avoid", section.get("style"))
        self.assertIn("break-inside: avoid", section.get("style"))
        (thead,) = section.xpath(".//thead")
        self.assertIn("display: table-header-group", thead.get("style"))
        self.assertIn(self.cat_cv.name, thead.text_content())
        for row in section.xpath(".//tbody/tr"):
            self.assertIn("page-break-inside: avoid", row.get("style"))
        for empty in tree.xpath("//div[hasclass('o_cadre_archive_catalog_empty')]"):
            self.assertIn("page-break-inside: avoid", empty.get("style"))


@tagged("post_install", "-at_install")
class TestCatalogPdf(HttpCase, JsonRpcMixin, CadreArchiveCase):
    """wkhtmltopdf fetches the report's assets from the server: HttpCase lets the
    server share the test transaction."""

    def test_catalog_pdf_has_the_chinese_text(self):
        """Render the real PDF with wkhtmltopdf and read its text back."""
        import shutil
        import subprocess
        import tempfile
        import unicodedata

        if not shutil.which("pdftotext"):
            self.skipTest("pdftotext (poppler-utils) is not installed")
        self.material_a.remarks = "复印件"
        later = self.create_material(
            self.dossier_a, self.cat_cv, "干部任免审批表", date="1995-05-01"
        )
        self.file_materials(self.material_a | later)
        self.create_material(self.dossier_a, self.cat_cv, "尚未鉴别的草稿材料")
        report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        pdf, report_format = report._render_qweb_pdf(
            "cadre_archive.report_dossier_catalog", self.dossier_a.ids
        )
        self.assertEqual(report_format, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF-"))
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(pdf)
            handle.flush()
            text = subprocess.run(
                ["pdftotext", "-layout", handle.name, "-"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        # CJK fonts map some ideographs to their Kangxi radical code points
        text = unicodedata.normalize("NFKC", text)
        self.assertIn("干部履历表", text)
        self.assertIn("复印件", text)

    def test_catalog_opens_in_the_browser_pdf_viewer(self):
        """The URL the catalog's print button opens (report_open_inline.js)
        answers the PDF inline, for the browser's PDF viewer; another unit's
        officer gets no catalog."""
        self.set_passwords()
        self.file_materials(self.material_a)
        url = f"/report/pdf/cadre_archive.report_dossier_catalog/{self.dossier_a.id}"
        self.login(self.officer_a)
        response = self.url_open(url, timeout=120)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        # (tests render the report's HTML instead of calling wkhtmltopdf)
        self.assertIn(self.dossier_a.name, response.text)
        self.assertNotIn("attachment", response.headers.get("Content-Disposition", ""))
        self.login(self.officer_b)
        response = self.url_open(url, timeout=120)
        self.assertNotEqual(response.status_code, 200)
        self.assertNotIn(self.dossier_a.name, response.text)
