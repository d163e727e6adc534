# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import io
from unittest.mock import patch

import openpyxl
import xlsxwriter

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from ..lib import catalog_import as ci
from ..models import cadre_archive_catalog_import as catalog_module
from .common import CadreArchiveCase, JsonRpcMixin


def material(number, title, category="1", date="1985.03", pages=2, **values):
    return {
        "category_code": category,
        "number": number,
        "title": title,
        "date": date,
        "page_count": pages,
        **values,
    }


def workbook(materials=(), dossiers=None):
    """An XLSX catalog written by xlsxwriter, every cell as text."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheets = [(ci.SHEET_MATERIALS, ci.MATERIAL_COLUMNS, materials)]
    if dossiers is not None:
        sheets.append((ci.SHEET_DOSSIERS, ci.DOSSIER_COLUMNS, dossiers))
    for name, columns, rows in sheets:
        sheet = book.add_worksheet(name)
        sheet.write_row(0, 0, [column.header for column in columns])
        for number, values in enumerate(rows, start=1):
            for col, column in enumerate(columns):
                sheet.write_string(number, col, str(values.get(column.field, "")))
    book.close()
    return buffer.getvalue()


class CatalogImportCase(CadreArchiveCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Import = cls.env["cadre.archive.catalog.import"]

    def rows_of(self, dossier, *materials):
        """Material rows of ``dossier`` (its number and its cadre's name)."""
        return [
            {
                "archive_number": dossier.name,
                "cadre_name": dossier.employee_id.name,
                **values,
            }
            for values in materials
        ]

    def new_import(self, data, user=None, name="catalog.xlsx", **vals):
        user = user or self.officer_a
        return self.Import.with_user(user).create(
            {"file": base64.b64encode(data), "file_name": name, **vals}
        )

    def run_import(self, record):
        with trap_jobs() as trap:
            record.action_import()
            trap.perform_enqueued_jobs()
        return trap

    def totals(self):
        return (
            self.env["cadre.archive.material"].sudo().search_count([]),
            self.env["cadre.archive.dossier"].sudo().search_count([]),
            self.env["hr.employee"]
            .sudo()
            .with_context(active_test=False)
            .search_count([]),
        )

    def problems(self, record):
        return {(line.sheet, line.row, line.column): line for line in record.line_ids}


@tagged("post_install", "-at_install")
class TestCatalogImport(CatalogImportCase):
    def test_template_round_trip(self):
        data = self.Import._template_bytes()
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
        self.assertEqual(
            book.sheetnames,
            [ci.SHEET_MATERIALS, ci.SHEET_DOSSIERS, ci.SHEET_INSTRUCTIONS],
        )
        notes = list(book[ci.SHEET_INSTRUCTIONS].iter_rows(values_only=True))
        self.assertIn("形成时间", [heading for heading, __ in notes])
        book.close()
        catalog = self.Import._read_catalog(data)
        self.assertEqual(catalog.issues, [])
        self.assertEqual(
            [
                (r.archive_number, r.category_code, r.number, r.title)
                for r in catalog.material_rows
            ],
            [
                (e["archive_number"], e["category_code"], e["number"], e["title"])
                for e in ci.EXAMPLE_MATERIAL_ROWS
            ],
        )
        self.assertEqual(len(catalog.dossier_rows), len(ci.EXAMPLE_DOSSIER_ROWS))

    def test_dry_run_reports_each_error_on_its_row_and_writes_nothing(self):
        self.file_materials(self.material_a)  # 1-1 干部履历表
        before = self.totals()
        data = workbook(
            self.rows_of(
                self.dossier_a,
                material(2, "干部履历表（二）"),  # row 2: fine
                material(3, "自传", category="11"),  # row 3: unknown category
                material(4, "学历材料", category="4"),  # row 4: not a leaf
                material(1, "另一份履历"),  # row 5: number 1-1 taken in the dossier
                material(5, "考核表", date="1985.13"),  # row 6: bad date
                material(2, "重复的材料"),  # row 7: 1-2 twice in the file
            )
            + [
                {
                    "archive_number": "DA999999",
                    "cadre_name": "无名氏",
                    **material(1, "干部履历表"),
                },  # row 8: unknown cadre
            ]
        )
        record = self.new_import(data)
        record.action_dry_run()
        self.assertEqual(record.state, "checked")
        found = self.problems(record)
        sheet = ci.SHEET_MATERIALS
        expected = {
            (sheet, 3, "类号"): "11",
            (sheet, 4, "类号"): "sub-categories",
            (sheet, 5, "顺序号"): "Duplicate number",
            (sheet, 6, "形成时间"): "1985.13",
            (sheet, 7, "顺序号"): "twice",
            (sheet, 8, "姓名"): "Unknown cadre",
        }
        self.assertEqual(set(found), set(expected))
        for key, words in expected.items():
            with self.subTest(key=key):
                self.assertIn(words, found[key].message)
                self.assertEqual(found[key].severity, "error")
        self.assertEqual(
            (
                record.row_count,
                record.dossier_count,
                record.dossier_error_count,
                record.error_count,
                record.material_new_count,
            ),
            (7, 2, 2, 6, 0),
        )
        self.assertEqual(self.totals(), before)
        with self.assertRaises(UserError):
            record.action_import()

    def test_import_files_paper_materials_and_a_rerun_adds_nothing(self):
        self.dossier_a.location_room = "一号库"
        data = workbook(
            self.rows_of(
                self.dossier_a,
                material(
                    7, "干部履历表（续）", date="19850312", pages=3, remarks="手写"
                ),
                material(
                    1,
                    "学位证书",
                    category="4-1",
                    date="2007年6月",
                    original_kind="复印件",
                    copy_date="2010.05.20",
                    copy_unit="某某大学档案馆",
                ),
            )
            + self.rows_of(
                self.dossier_a1, material(2, "任免审批表", category="9-2", date="2015")
            ),
            dossiers=[
                {
                    "archive_number": self.dossier_a.name,
                    "cadre_name": "Cadre A",
                    "location_room": "二号库",
                    "location_cabinet": "3",
                    "location_cell": "2",
                }
            ],
        )
        record = self.new_import(data).with_context(tracking_disable=False)
        record.action_dry_run()
        self.assertEqual(
            (record.dossier_count, record.material_new_count, record.error_count),
            (2, 3, 0),
        )
        self.assertEqual(record.warning_count, 1)  # 二号库 vs 一号库
        warning = record.line_ids
        self.assertEqual((warning.severity, warning.column), ("warning", "库房"))
        with patch.object(catalog_module, "DOSSIERS_PER_JOB", 1), trap_jobs() as trap:
            record.action_import()
            self.assertEqual(record.state, "running")
            # two chunks of one dossier, then the job closing the import
            self.assertEqual(len(trap.enqueued_jobs), 3)
            self.assertEqual(
                {job.channel for job in trap.enqueued_jobs},
                {"root.cadre_archive_import"},
            )
            trap.perform_enqueued_jobs()
        self.assertEqual(record.state, "done")
        self.assertEqual((record.dossier_done_count, record.progress), (2, 100.0))
        self.assertEqual(record.imported_material_count, 3)

        imported = self.env["cadre.archive.material"].search(
            [("dossier_id", "=", self.dossier_a.id), ("sequence_number", "=", 7)]
        )
        self.assertEqual(
            (
                imported.code,
                imported.state,
                imported.check_method,
                imported.date_input,
                imported.page_count,
                imported.remarks,
                imported.filed_uid,
                imported.scan_count,
            ),
            ("1-7", "filed", "paper", "1985.03.12", 3, "手写", self.officer_a, 0),
        )
        self.assertFalse(imported.message_ids)  # no chatter entry per material
        copy = self.dossier_a.material_ids.filtered(lambda m: m.code == "4-1-1")
        self.assertEqual(
            (
                copy.original_kind,
                str(copy.copy_date),
                copy.copy_unit,
                copy.date_precision,
            ),
            ("copy", "2010-05-20", "某某大学档案馆", "month"),
        )
        self.assertEqual(
            self.dossier_a1.material_ids.filtered(
                lambda m: m.code == "9-2-2"
            ).date_input,
            "2015",
        )
        # the location is filled where empty, never overwritten
        self.assertEqual(
            (
                self.dossier_a.location_room,
                self.dossier_a.location_cabinet,
                self.dossier_a.location_cell,
            ),
            ("一号库", "3", "2"),
        )
        self.assertIn(
            "2 materials imported from catalog file catalog.xlsx.",
            self.dossier_a.message_ids.mapped("preview"),
        )

        before = self.totals()
        again = self.new_import(data)
        again.action_dry_run()
        self.assertEqual(
            (again.material_new_count, again.material_skip_count, again.error_count),
            (0, 3, 0),
        )
        self.run_import(again)
        self.assertEqual(again.state, "done")
        self.assertEqual(again.imported_material_count, 0)
        self.assertEqual(self.totals(), before)

    def test_a_dossier_with_a_bad_row_is_not_half_imported(self):
        data = workbook(
            self.rows_of(self.dossier_a, material(2, "干部履历表（二）"))
            + self.rows_of(
                self.dossier_a1,
                material(1, "干部履历表"),
                material(2, "自传", pages="两页"),
            )
        )
        record = self.new_import(data)
        record.action_dry_run()
        self.assertEqual(
            (record.dossier_error_count, record.material_new_count), (1, 1)
        )
        self.run_import(record)
        self.assertEqual(record.state, "done_errors")
        self.assertEqual(len(self.dossier_a.material_ids), 2)
        self.assertEqual(self.dossier_a1.material_ids, self.material_a1)
        line = record.line_ids
        self.assertEqual((line.row, line.column), (4, "页数"))

    def test_a_dossier_refused_at_import_time_is_rolled_back_whole(self):
        data = workbook(
            self.rows_of(self.dossier_a, material(2, "干部履历表（二）"))
            + self.rows_of(
                self.dossier_a1,
                material(1, "干部履历表"),
                material(5, "后来被占用的号", category="4-1"),
            ),
            dossiers=[
                {
                    "archive_number": self.dossier_a1.name,
                    "cadre_name": "Cadre A1",
                    "location_room": "三号库",
                }
            ],
        )
        record = self.new_import(data)
        record.action_dry_run()
        self.assertEqual(record.material_new_count, 3)
        # someone files 4-1-5 in dossier A1 between the dry run and the import
        self.env["cadre.archive.material"]._as_workflow().create(
            {
                "dossier_id": self.dossier_a1.id,
                "category_id": self.cat_degree.id,
                "name": "另一份材料",
                "sequence_number": 5,
                "date": "2001-01-01",
            }
        )
        self.run_import(record)
        self.assertEqual(record.state, "done_errors")
        failed = record.dossier_line_ids.filtered(lambda line: line.state == "failed")
        self.assertEqual(failed.archive_number, self.dossier_a1.name)
        self.assertIn("Duplicate number", failed.message)
        self.assertEqual(len(self.dossier_a1.material_ids), 2)  # nothing added
        self.assertFalse(self.dossier_a1.location_room)  # rolled back too
        self.assertEqual(len(self.dossier_a.material_ids), 2)

    def test_csv_in_gb18030(self):
        header = ",".join(c.header for c in ci.MATERIAL_COLUMNS[:9])
        line = ",".join(
            [
                self.dossier_a.name,
                "Cadre A",
                "",
                "",
                "1",
                "3",
                "干部履历表（补充）",
                "1985年3月",
                "2",
            ]
        )
        data = f"{header}\r\n{line}\r\n".encode("gb18030")
        record = self.new_import(data, name="目录.csv")
        record.action_dry_run()
        self.assertEqual((record.material_new_count, record.error_count), (1, 0))
        self.run_import(record)
        titles = self.dossier_a.material_ids.mapped("name")
        self.assertIn("干部履历表（补充）", titles)

    def test_name_in_the_file_must_be_the_cadres(self):
        rows = self.rows_of(self.dossier_a, material(2, "干部履历表（二）"))
        rows[0]["cadre_name"] = "王五"
        record = self.new_import(workbook(rows))
        record.action_dry_run()
        self.assertIn("belongs to Cadre A", record.line_ids.message)
        self.assertEqual(record.dossier_error_count, 1)

    def test_an_employee_without_dossier_gets_the_files_number(self):
        employee = self.env["hr.employee"].create(
            {
                "name": "新干部",
                "department_id": self.unit_a1.id,
                "identification_id": "110101199001011234",
            }
        )
        rows = [
            {
                "archive_number": "XJ-0042",
                "cadre_name": "新干部",
                "identifier": "110101199001011234",
                **material(1, "干部履历表"),
            }
        ]
        record = self.new_import(
            workbook(rows, dossiers=[rows[0] | {"copy_type": "副本"}])
        )
        record.action_dry_run()
        self.assertEqual(record.dossier_line_ids.action, "dossier")
        self.run_import(record)
        dossier = self.env["cadre.archive.dossier"].search(
            [("employee_id", "=", employee.id)]
        )
        self.assertEqual(
            (
                dossier.name,
                dossier.copy_type,
                dossier.department_id,
                len(dossier.material_ids),
            ),
            ("XJ-0042", "duplicate", self.unit_a1, 1),
        )

    def test_an_id_number_of_another_unit_tells_nothing(self):
        self.env["hr.employee"].create(
            {
                "name": "甲单位的人",
                "department_id": self.unit_a1.id,
                "identification_id": "110101199001015678",
            }
        )
        rows = [
            {
                "archive_number": "XJ-0099",
                "cadre_name": "试探",
                "identifier": "110101199001015678",
                **material(1, "干部履历表"),
            }
        ]
        record = self.new_import(workbook(rows), user=self.officer_b)
        record.action_dry_run()
        message = " ".join(record.line_ids.mapped("message"))
        self.assertIn("among the units you keep", message)
        for secret in ("甲单位的人", "Unit A1", "Unit A"):
            self.assertNotIn(secret, message)

    def test_officer_of_another_unit_is_refused(self):
        before = self.totals()
        data = workbook(self.rows_of(self.dossier_a, material(2, "干部履历表（二）")))
        record = self.new_import(data, user=self.officer_b)
        record.action_dry_run()
        self.assertIn("not among the dossiers you keep", record.line_ids.message)
        self.assertEqual(record.dossier_error_count, 1)
        with self.assertRaises(UserError):
            record.action_import()
        self.assertEqual(self.totals(), before)
        # nor does officer B see officer A's imports
        mine = self.new_import(data)
        self.assertFalse(
            self.Import.with_user(self.officer_b).search([("id", "=", mine.id)])
        )
        with self.assertRaises(AccessError):
            mine.with_user(self.officer_b).read(["file"])
        # the manager of the company does
        self.assertTrue(mine.with_user(self.manager).read(["file"]))

    def test_requester_has_no_access(self):
        data = workbook(self.rows_of(self.dossier_a, material(2, "干部履历表（二）")))
        with self.assertRaises(AccessError):
            self.new_import(data, user=self.requester)
        record = self.new_import(data)
        for user in (self.requester, self.employee_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                record.with_user(user).read(["file"])

    def test_create_missing_cadres_only_for_managers(self):
        rows = [
            {
                "archive_number": "XJ-0100",
                "cadre_name": "李新",
                "identifier": "110101199202021111",
                **material(1, "干部履历表"),
            }
        ]
        data = workbook(
            rows, dossiers=[rows[0] | {"state": "借出", "location_room": "五号库"}]
        )
        vals = {"create_missing_cadres": True, "department_id": self.unit_a.id}
        with self.assertRaises(AccessError):
            self.new_import(data, **vals)
        record = self.new_import(data)
        with self.assertRaises(AccessError):
            record.write({"create_missing_cadres": True})
        record.action_dry_run()
        self.assertIn("Unknown cadre", record.line_ids.message)

        before = self.totals()
        record = self.new_import(data, user=self.manager, **vals)
        record.action_dry_run()
        self.assertEqual(self.totals(), before)
        self.assertEqual((record.error_count, record.material_new_count), (0, 1))
        self.assertEqual(record.dossier_line_ids.action, "cadre")
        self.run_import(record)
        self.assertEqual(record.state, "done")
        dossier = self.env["cadre.archive.dossier"].search([("name", "=", "XJ-0100")])
        self.assertEqual(
            (
                dossier.employee_id.name,
                dossier.employee_id.identification_id,
                dossier.department_id,
                dossier.state,
                dossier.location_room,
                dossier.material_ids.code,
            ),
            ("李新", "110101199202021111", self.unit_a, "lent", "五号库", "1-1"),
        )

    def test_import_refused_when_the_file_changed_since_the_dry_run(self):
        data = workbook(self.rows_of(self.dossier_a, material(2, "干部履历表（二）")))
        record = self.new_import(data)
        with self.assertRaises(UserError):
            record.action_import()  # no dry run yet
        record.action_dry_run()
        other = workbook(self.rows_of(self.dossier_a, material(3, "另一个")))
        record.file = base64.b64encode(other)
        with self.assertRaises(UserError) as caught:
            record.action_import()
        self.assertIn("changed since the dry run", str(caught.exception))
        # options are those of the dry run
        with self.assertRaises(UserError):
            record.with_user(self.manager).department_id = self.unit_b
        record.action_dry_run()
        self.run_import(record)
        self.assertIn("另一个", self.dossier_a.material_ids.mapped("name"))

    def test_unreadable_file_is_a_clear_error(self):
        record = self.new_import(b"PK\x03\x04 not really a workbook")
        with self.assertRaises(UserError) as caught:
            record.action_dry_run()
        self.assertIn("cannot be read", str(caught.exception))
        record = self.new_import(b"a,b\r\n1,2\r\n", name="x.csv")
        with self.assertRaises(UserError) as caught:
            record.action_dry_run()
        self.assertIn("材料名称", str(caught.exception))

    def test_system_fields_are_protected(self):
        record = self.new_import(workbook([]))
        for vals in (
            {"state": "done"},
            {"file_checksum": "0" * 64},
            {"material_new_count": 5},
            {"line_ids": [(0, 0, {"message": "x"})]},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                record.write(vals)


@tagged("post_install", "-at_install")
class TestCatalogImportRpc(JsonRpcMixin, HttpCase, CatalogImportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.set_passwords()

    def test_system_fields_over_rpc(self):
        data = workbook(self.rows_of(self.dossier_a, material(2, "干部履历表（二）")))
        record = self.new_import(data)
        record.action_dry_run()
        self.login(self.officer_a)
        dossier_line = record.dossier_line_ids
        for model, ids, vals in (
            (record._name, record.ids, {"state": "checked"}),
            (record._name, record.ids, {"file_checksum": "0" * 64}),
            (record._name, record.ids, {"material_new_count": 99}),
            (record._name, record.ids, {"line_ids": [(5, 0, 0)]}),
            (dossier_line._name, dossier_line.ids, {"state": "ready"}),
            (dossier_line._name, dossier_line.ids, {"payload": {"materials": []}}),
            (dossier_line._name, dossier_line.ids, {"dossier_id": self.dossier_b.id}),
        ):
            with self.subTest(model=model, vals=vals):
                result, error = self.call(model, "write", ids, vals)
                self.assertTrue(error)
                self.assertFalse(result)
        result, error = self.call(
            record._name,
            "create",
            {"file_name": "x.xlsx", "state": "running", "material_new_count": 3},
        )
        self.assertTrue(error)
        self.assertEqual(record.state, "checked")
        self.assertEqual(record.material_new_count, 1)

    def test_file_and_template_routes(self):
        data = workbook(self.rows_of(self.dossier_a, material(2, "干部履历表（二）")))
        record = self.new_import(data)
        self.login(self.officer_b)
        result, error = self.call(record._name, "read", record.ids, ["file"])
        self.assertTrue(error)
        response = self.url_open(
            f"/web/content/{record._name}/{record.id}/file", allow_redirects=False
        )
        self.assertIn(response.status_code, (403, 404))
        self.assertNotIn(data[:64], response.content)
        response = self.url_open("/cadre_archive/catalog_template")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content[:2], b"PK")
        self.login(self.requester)
        response = self.url_open("/cadre_archive/catalog_template")
        self.assertEqual(response.status_code, 403)
        result, error = self.call(record._name, "search_read", [], ["name"])
        self.assertTrue(error)
