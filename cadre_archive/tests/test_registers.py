# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import datetime
import io
import shutil
import subprocess

import openpyxl

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from ..lib.annual_return import ITEMS
from .test_request_form import compact
from .test_transfer import TransferCase

CATALOG = "cadre_archive.catalog_register_xlsx"
UNITS = "cadre_archive.unit_statistics_xlsx"
LENDINGS = "cadre_archive.lending_register_xlsx"
ACCESS_LOG = "cadre_archive.access_log_register_xlsx"
TRANSFERS = "cadre_archive.transfer_register_xlsx"
ANNUAL_XLSX = "cadre_archive.annual_return_xlsx"
ANNUAL_PDF = "cadre_archive.report_annual_return"


class RegisterCase(TransferCase):
    def render(self, report, user, ids=None, data=None):
        content, kind = (
            self.env["ir.actions.report"]
            .with_user(user)
            ._render(report, ids, data=data)
        )
        self.assertEqual(kind, "xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        return sheet, [
            list(row) for row in sheet.iter_rows(min_row=3, values_only=True)
        ]

    def export(self, user, **vals):
        wizard = self.env["cadre.archive.register.export"].with_user(user).create(vals)
        action = wizard.action_export()
        return self.render(
            action["report_name"],
            user,
            action["context"].get("active_ids"),
            action["data"],
        )


@tagged("post_install", "-at_install")
class TestRegistersXlsx(RegisterCase):
    def test_catalog_register_cells_total_and_the_officer_s_units(self):
        dossiers = self.dossier_a | self.dossier_a1 | self.dossier_b
        sheet, rows = self.render(CATALOG, self.manager, dossiers.ids)
        self.assertEqual(sheet["A1"].value, "Catalog Register of Personnel Dossiers")
        headers = [cell.value for cell in sheet[2]]
        self.assertEqual(
            headers[:4], ["Archive Number", "Cadre", "Unit", "Category-Sequence No."]
        )
        self.assertEqual(sheet.freeze_panes, "A3")
        self.assertTrue(sheet.auto_filter.ref.startswith("A2:K"))
        *lines, total = rows
        materials = self.env["cadre.archive.material"].search(
            [("dossier_id", "in", dossiers.ids)]
        )
        self.assertEqual(len(lines), len(materials))
        by_title = {row[5]: row for row in lines}
        degree = by_title["学位证书"]
        self.assertEqual(degree[0], self.dossier_a1.name)
        self.assertEqual(degree[1], "Cadre A1")
        self.assertEqual(degree[2], "Unit A / Unit A1")
        self.assertEqual(degree[3], self.material_a1.code)
        # a real date cell
        cell = sheet.cell(row=3 + lines.index(degree), column=7)
        self.assertTrue(cell.is_date)
        self.assertEqual(cell.value.date(), datetime.date(1990, 7, 1))
        self.assertEqual(degree[8], "Filed")
        # the scan of material B: one page, not yet recognised
        self.assertEqual(by_title["任免审批表"][9], 1)
        self.assertEqual(total[0], "Total")
        self.assertEqual(total[7], sum(materials.mapped("page_count")))
        self.assertEqual(total[9], 1)

        # the officer of unit A: only the materials of A and A1, whatever
        # the ids asked for
        __, rows = self.render(CATALOG, self.officer_a, dossiers.ids)
        numbers = {row[0] for row in rows[:-1]}
        self.assertEqual(numbers, {self.dossier_a.name, self.dossier_a1.name})
        self.assertNotIn("任免审批表", [row[5] for row in rows])

    def test_catalog_through_the_export_by_unit(self):
        __, rows = self.export(
            self.officer_a,
            register="catalog",
            department_ids=[(6, 0, self.unit_a1.ids)],
        )
        self.assertEqual({row[0] for row in rows[:-1]}, {self.dossier_a1.name})
        # unit B is not the officer's: nothing to export
        with self.assertRaises(UserError):
            self.export(
                self.officer_a,
                register="catalog",
                department_ids=[(6, 0, self.unit_b.ids)],
            )

    def test_people_without_archive_rights_get_nothing(self):
        with self.assertRaises(AccessError):
            self.render(CATALOG, self.employee_user, self.dossier_a.ids)
        with self.assertRaises(AccessError):
            self.env["cadre.archive.register.export"].with_user(self.requester).create(
                {"register": "catalog"}
            )

    def test_unit_statistics(self):
        dossiers = self.dossier_a | self.dossier_a1 | self.dossier_b
        due = self.env["cadre.archive.due"].create(
            {
                "dossier_id": self.dossier_b.id,
                "category_id": self.cat_cv.id,
                "name": "年度考核登记表",
                "deadline": "2020-01-01",
            }
        )
        sheet, rows = self.render(UNITS, self.manager, dossiers.ids)
        headers = [cell.value for cell in sheet[2]]
        self.assertEqual(headers[0], "Unit")
        by_unit = {row[0]: row for row in rows}
        unit_b = by_unit["Unit B"]
        materials_b = self.env["cadre.archive.material"].search_count(
            [("dossier_id", "=", self.dossier_b.id)]
        )
        self.assertEqual(unit_b[1], 1)
        self.assertEqual(unit_b[2], materials_b)
        self.assertEqual(unit_b[3], self.dossier_b.page_count)
        self.assertEqual(unit_b[4], 1)  # material B is scanned
        self.assertAlmostEqual(unit_b[5], 1 / materials_b)
        self.assertEqual(unit_b[9], 1 if due.is_overdue else 0)
        total = by_unit["Total"]
        self.assertEqual(total[1], 3)
        self.assertEqual(
            total[2],
            self.env["cadre.archive.material"].search_count(
                [("dossier_id", "in", dossiers.ids)]
            ),
        )
        self.assertEqual(sheet.cell(row=3, column=6).number_format, "0.0%")
        __, rows = self.render(UNITS, self.officer_b, dossiers.ids)
        self.assertEqual([row[0] for row in rows], ["Unit B", "Total"])

    def test_lending_register(self):
        request = self.approved_request(request_type="lend")
        request.with_user(self.officer_b).action_hand_out()
        lending = request.sudo().lending_ids
        sheet, rows = self.export(self.officer_b, register="lendings")
        self.assertEqual(len(rows), 2)
        row = rows[0]
        self.assertEqual(row[0], request.name)
        self.assertEqual(row[2], self.dossier_b.name)
        self.assertEqual(sheet.cell(row=3, column=6).value.date(), lending.date_out)
        self.assertEqual(row[12], "Lent")
        self.assertEqual(rows[1][9], lending.page_count_out)
        # the officer of unit A sees no lending of unit B
        with self.assertRaises(UserError):
            self.export(self.officer_a, register="lendings")
        __, rows = self.render(LENDINGS, self.officer_a, lending.ids)
        self.assertEqual(rows, [["Total", *[None] * 7, 0, 0, 0, None, None]])

    def test_access_log_register(self):
        line = (
            self.env["cadre.archive.access.log"]
            .with_user(self.requester)
            ._log(self.material_b, "view", attachment=self.scan_b, page=1)
        )
        sheet, rows = self.render(ACCESS_LOG, self.officer_b, line.ids)
        self.assertEqual(sheet["A2"].value, "Date and Time")
        self.assertIsInstance(rows[0][0], datetime.datetime)
        self.assertEqual(
            rows[0][1:4], [self.requester.name, "View", self.dossier_b.name]
        )
        self.assertEqual(rows[0][8], 1)
        __, rows = self.render(ACCESS_LOG, self.officer_a, line.ids)
        self.assertEqual(rows, [])

    def test_transfer_register(self):
        transfer = self.new_transfer()
        transfer.with_user(self.officer_a).action_send()
        __, rows = self.export(self.officer_a, register="transfers")
        line, total = rows
        self.assertEqual(line[0], transfer.name)
        self.assertEqual(line[6], self.dossier_a.name)
        self.assertEqual(line[7], "Cadre A")
        self.assertEqual(line[9:11], [2, 5])
        self.assertEqual(total[0], "Total")
        self.assertEqual(total[9:11], [2, 5])

    def test_period_of_the_export(self):
        request = self.approved_request(request_type="lend")
        request.with_user(self.officer_b).action_hand_out()
        day = request.lending_ids.date_out
        with self.assertRaises(UserError):
            self.export(
                self.officer_b,
                register="lendings",
                date_from=day + datetime.timedelta(days=1),
            )
        __, rows = self.export(
            self.officer_b, register="lendings", date_from=day, date_to=day
        )
        self.assertEqual(len(rows), 2)


class AnnualCase(RegisterCase):
    def annual(self, user, year=None, **vals):
        return (
            self.env["cadre.archive.annual.return"]
            .with_user(user)
            .create({"year": year or self.today.year, **vals})
        )


@tagged("post_install", "-at_install")
class TestAnnualReturn(AnnualCase):
    def test_totals_equal_the_records(self):
        """Units A and B hold only this test's records (the demo data is in
        other units): each officer's return is checked against them, the
        manager's rows of units A and B equal the officers' returns."""
        year = self.today.year
        lend = self.approved_request(request_type="lend")
        lend.with_user(self.officer_b).action_hand_out()
        consult = self.approved_request(dossiers=self.dossier_a | self.dossier_b)
        transfer = self.new_transfer(dossiers=self.dossier_a1)
        transfer.with_user(self.officer_a).action_send()

        for officer, unit in (
            (self.officer_a, self.unit_a),
            (self.officer_b, self.unit_b),
        ):
            result = self.annual(officer)._annual_return()
            total = result.total
            dossiers = self.env["cadre.archive.dossier"].search(
                [("department_id", "child_of", unit.ids)]
            )
            kept = dossiers.filtered(lambda d: d.state != "transferred")
            self.assertEqual(
                total["held_original"] + total["held_duplicate"], len(kept)
            )
            self.assertEqual(total["opened"], len(dossiers))
            lendings = self.env["cadre.archive.lending"].search(
                [("dossier_id", "in", dossiers.ids)]
            )
            self.assertEqual(total["lendings"], len(lendings))
            self.assertEqual(
                total["held_lent"],
                len(lendings.filtered(lambda x: not x.date_returned)),
            )
            self.assertEqual(
                total["consultations"], len(consult.sudo().dossier_ids & dossiers)
            )
            filed = self.env["cadre.archive.material"].search(
                [
                    ("dossier_id", "in", dossiers.ids),
                    ("state", "=", "filed"),
                    ("filed_date", ">=", f"{year}-01-01"),
                ]
            )
            self.assertEqual(total["materials_filed"], len(filed))
            self.assertEqual(total["pages_filed"], sum(filed.mapped("page_count")))
            pages = self.env["cadre.archive.page"].search(
                [("material_id.dossier_id", "in", dossiers.ids)]
            )
            self.assertEqual(total["pages_digitized"], len(pages))
            for item in ITEMS:
                self.assertEqual(total[item], sum(c[item] for __, c in result.units))

        officer_a = self.annual(self.officer_a)._annual_return()
        units = dict(officer_a.units)
        self.assertNotIn("Unit B", units)
        self.assertEqual(units["Unit A / Unit A1"]["transferred_out"], 1)
        self.assertEqual(units["Unit A / Unit A1"]["held_original"], 0)
        self.assertEqual(units["Unit A"]["held_original"], 1)
        self.assertEqual(officer_a.total["lendings"], 0)
        self.assertEqual(officer_a.total["consultations"], 1)
        officer_b = self.annual(self.officer_b)._annual_return()
        self.assertEqual(officer_b.total["held_lent"], 1)
        self.assertEqual(officer_b.total["pages_digitized"], 1)

        manager = dict(self.annual(self.manager)._annual_return().units)
        self.assertEqual(manager["Unit B"], dict(officer_b.units)["Unit B"])
        self.assertEqual(manager["Unit A"], units["Unit A"])
        # the year before, units A and B did nothing and held nothing yet
        before = self.annual(self.officer_a, year - 1)._annual_return()
        self.assertEqual(sum(before.total.values()), 0)

    def test_collection_counted_in_the_handing_over_unit(self):
        batch = (
            self.env["cadre.archive.collection"]
            .with_user(self.officer_a)
            .create(
                {
                    "department_id": self.unit_a.id,
                    "handed_by": "张干事",
                    "date_received": self.today,
                }
            )
        )
        material = self.create_material(
            self.dossier_a,
            self.cat_cv,
            "补充材料",
            collection_id=batch.id,
            page_count=4,
        )
        self.assertEqual(batch.material_count, 1)
        batch.with_user(self.officer_a).action_accept()
        total = self.annual(self.officer_a)._annual_return().total
        self.assertEqual(total["batches"], 1)
        self.assertEqual(total["materials_collected"], 1)
        self.assertEqual(total["pages_collected"], material.page_count)

    def test_xlsx_rows_and_total(self):
        wizard = self.annual(self.manager)
        action = wizard.action_export_xlsx()
        self.assertEqual(action["report_name"], ANNUAL_XLSX)
        sheet, rows = self.render(ANNUAL_XLSX, self.manager, wizard.ids)
        self.assertIn(str(self.today.year), sheet["A1"].value)
        self.assertEqual(sheet["B2"].value, "Held: Originals (正本)")
        result = wizard._annual_return()
        self.assertEqual(rows[-1][0], "Total")
        self.assertEqual(rows[-1][1:], [result.total[item] for item in ITEMS])
        self.assertEqual(len(rows), len(result.units) + 1)

    def test_bad_year_refused(self):
        with self.assertRaises(UserError):
            self.annual(self.manager, 1800).action_print_pdf()


@tagged("post_install", "-at_install")
class TestAnnualReturnPdf(HttpCase, AnnualCase):
    def test_pdf(self):
        if not shutil.which("pdftotext"):
            self.skipTest("pdftotext (poppler-utils) is not installed")
        wizard = self.annual(self.manager)
        self.assertEqual(wizard.action_print_pdf()["report_name"], ANNUAL_PDF)
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_user(self.manager)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(ANNUAL_PDF, wizard.ids)
        )
        self.assertEqual(kind, "pdf")
        text = compact(
            subprocess.run(
                ["pdftotext", "-layout", "-", "-"],
                input=pdf,
                capture_output=True,
                check=True,
            ).stdout.decode()
        )
        self.assertIn(compact("Annual Statistics of Personnel Archives"), text)
        self.assertIn("UnitB", text)
        self.assertIn("Total", text)
