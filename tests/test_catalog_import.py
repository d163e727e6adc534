"""The catalog import: reading spreadsheets of paper catalogs (目录导入)."""

import ast
import datetime
import io
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from cadre_archive_lib import catalog_import as ci
from cadre_archive_lib.partial_date import PartialDate

CODES = ci.OFFICIAL_CATEGORY_CODES
LEAVES = tuple(code for code in CODES if code not in ("4", "9"))
MATERIAL_HEADER = [column.header for column in ci.MATERIAL_COLUMNS]
DOSSIER_HEADER = [column.header for column in ci.DOSSIER_COLUMNS]


def row(**values):
    base = {
        "archive_number": "DA000001",
        "cadre_name": "张三",
        "identifier": "110101198503121234",
        "unit": "县委办公室",
        "category_code": "1",
        "number": 1,
        "title": "干部履历表",
        "date": "1985.03",
        "page_count": 4,
    }
    base.update(values)
    return [base.get(column.field, "") for column in ci.MATERIAL_COLUMNS]


def xlsx(materials=(), dossiers=None, raw_cells=False, title_row=None):
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheets = [(ci.SHEET_MATERIALS, MATERIAL_HEADER, materials)]
    if dossiers is not None:
        sheets.append((ci.SHEET_DOSSIERS, DOSSIER_HEADER, dossiers))
    for name, header, rows in sheets:
        sheet = workbook.add_worksheet(name)
        offset = 0
        if title_row:
            sheet.write(0, 0, title_row)
            offset = 1
        sheet.write_row(offset, 0, header)
        for number, values in enumerate(rows, start=offset + 1):
            for col, value in enumerate(values):
                if isinstance(value, datetime.date):
                    fmt = workbook.add_format({"num_format": "yyyy-mm-dd"})
                    sheet.write_datetime(number, col, value, fmt)
                elif raw_cells or not isinstance(value, str):
                    sheet.write(number, col, value)
                else:
                    sheet.write_string(number, col, value)
    workbook.close()
    return buffer.getvalue()


def read(data):
    return ci.read_catalog(data, LEAVES, CODES)


def codes_by_row(catalog):
    return {(issue.row, issue.code) for issue in catalog.issues}


# ----------------------------------------------------------------------
# cells
# ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1985", (1985, None, None)),
        (1985, (1985, None, None)),
        ("1985.03", (1985, 3, None)),
        ("1985年3月", (1985, 3, None)),
        ("19850312", (1985, 3, 12)),
        (19850312, (1985, 3, 12)),
        ("198503", (1985, 3, None)),
        ("1985.03.12", (1985, 3, 12)),
        (datetime.datetime(1985, 3, 12), (1985, 3, 12)),
        (1985.0, (1985, None, None)),
    ],
)
def test_formation_dates_as_archives_write_them(value, expected):
    assert ci.parse_date_cell(value) == PartialDate(*expected)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("1985.13", "bad_formation_date"),
        ("19851301", "bad_formation_date"),
        ("三月", "bad_formation_date"),
        ("", "bad_formation_date"),
        (1985.1, "ambiguous_date"),
    ],
)
def test_bad_dates(value, code):
    with pytest.raises(ci.CatalogError) as caught:
        ci.parse_date_cell(value)
    assert caught.value.code == code


@pytest.mark.parametrize(
    ("value", "expected"),
    [("4-1", "4-1"), (1, "1"), ("10", "10"), (2.0, "2"), ("９－２", "9-2")],
)
def test_category_codes(value, expected):
    assert ci.parse_category_code(value, LEAVES, CODES) == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("4", "category_not_leaf"),
        ("9", "category_not_leaf"),
        ("11", "unknown_category"),
        ("4-5", "unknown_category"),
        ("A", "unknown_category"),
        (datetime.datetime(2026, 9, 2), "category_is_date"),
    ],
)
def test_bad_category_codes(value, code):
    with pytest.raises(ci.CatalogError) as caught:
        ci.parse_category_code(value, LEAVES, CODES)
    assert caught.value.code == code


@pytest.mark.parametrize("value", [3, 3.0, "3", "03", "３"])
def test_numbers(value):
    assert ci.parse_number(value) == 3


@pytest.mark.parametrize("value", [0, -1, 2.5, "3a", "", None, True, "三"])
def test_bad_numbers(value):
    with pytest.raises(ci.CatalogError) as caught:
        ci.parse_number(value)
    assert caught.value.code == "bad_sequence_number"
    with pytest.raises(ci.CatalogError) as caught:
        ci.parse_page_count(value)
    assert caught.value.code == "bad_page_count_cell"


def test_choices():
    kinds = ci.ORIGINAL_KINDS
    assert ci.parse_choice("复印件", kinds, "bad", "original") == "copy"
    assert ci.parse_choice(" 原件 ", kinds, "bad", "original") == "original"
    assert ci.parse_choice(None, kinds, "bad", "original") == "original"
    assert ci.parse_choice("Copy", kinds, "bad", "original") == "copy"
    with pytest.raises(ci.CatalogError):
        ci.parse_choice("扫描件", kinds, "bad", "original")


# ----------------------------------------------------------------------
# files
# ----------------------------------------------------------------------
def test_reads_a_workbook_of_both_sheets():
    data = xlsx(
        [
            row(),
            row(category_code="4-1", title="学位证书", date="20070630", page_count=2),
            row(
                number=2,
                title="干部履历表（续）",
                original_kind="复印件",
                copy_date="2010.05.20",
                copy_unit="某某大学",
            ),
        ],
        [
            [
                "DA000001",
                "张三",
                "110101198503121234",
                "县委办公室",
                "副本",
                "一号库",
                "3",
                "2",
                "借出",
            ]
        ],
    )
    catalog = read(data)
    assert catalog.issues == []
    assert [r.row for r in catalog.material_rows] == [2, 3, 4]
    first, degree, copy = catalog.material_rows
    assert (first.category_code, first.number, first.title) == ("1", 1, "干部履历表")
    assert first.date == PartialDate(1985, 3)
    assert first.sheet == ci.SHEET_MATERIALS
    assert degree.date == PartialDate(2007, 6, 30)
    assert (copy.original_kind, copy.copy_date, copy.copy_unit) == (
        "copy",
        datetime.date(2010, 5, 20),
        "某某大学",
    )
    (dossier,) = catalog.dossier_rows
    assert (dossier.copy_type, dossier.state, dossier.location_cabinet) == (
        "duplicate",
        "lent",
        "3",
    )


def test_numbers_typed_as_numbers_and_a_title_row():
    data = xlsx(
        [row(category_code=1, number=3, date=1985, page_count=2)],
        title_row="某某县干部人事档案目录",
        raw_cells=True,
    )
    catalog = read(data)
    assert catalog.issues == []
    (material,) = catalog.material_rows
    assert (material.category_code, material.number, material.row) == ("1", 3, 3)
    assert material.date == PartialDate(1985)


def test_english_headers():
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("Materials")
    sheet.write_row(
        0,
        0,
        [
            "Archive Number",
            "Name",
            "Category",
            "Number",
            "Title",
            "Date",
            "Pages",
        ],
    )
    sheet.write_row(1, 0, ["DA1", "Li", "9-2", "1", "任免审批表", "2001.5", "1"])
    workbook.close()
    (material,) = read(buffer.getvalue()).material_rows
    assert (material.category_code, material.date) == ("9-2", PartialDate(2001, 5))


def test_one_issue_per_bad_cell_with_sheet_row_and_column():
    data = xlsx(
        [
            row(),  # 2: good
            row(category_code="4"),  # 3: not a leaf
            row(number=2, category_code="12"),  # 4: unknown category
            row(number=3, date="1985.13"),  # 5: bad date
            row(number=4, page_count="两页"),  # 6: bad page count
            row(number=5, original_kind="扫描件"),  # 7: bad kind
            row(number=6, title=""),  # 8: missing title
            row(number="x"),  # 9: bad number
            row(),  # 10: duplicate of row 2
        ]
    )
    catalog = read(data)
    assert codes_by_row(catalog) == {
        (3, "category_not_leaf"),
        (4, "unknown_category"),
        (5, "bad_formation_date"),
        (6, "bad_page_count_cell"),
        (7, "bad_original_kind"),
        (8, "missing_cell"),
        (9, "bad_sequence_number"),
        (10, "duplicate_sequence_number"),
    }
    columns = {issue.row: issue.column for issue in catalog.issues}
    assert columns[3] == "类号"
    assert columns[5] == "形成时间"
    assert columns[8] == "材料名称"
    assert all(issue.sheet == ci.SHEET_MATERIALS for issue in catalog.issues)
    assert all(issue.archive_number == "DA000001" for issue in catalog.issues)
    duplicate = next(i for i in catalog.issues if i.row == 10)
    assert duplicate.params == {"code": "1-1", "first_row": 2}
    # both rows of the duplicate are out; nothing bad is kept
    assert catalog.material_rows == []


def test_future_dates_are_refused_when_today_is_given():
    data = xlsx([row(date="2031.01"), row(number=2, date="2030.12.31")])
    assert read(data).issues == []
    catalog = ci.read_catalog(data, LEAVES, CODES, today=datetime.date(2030, 12, 31))
    assert codes_by_row(catalog) == {(2, "future_date")}


def test_same_number_in_two_dossiers_is_fine():
    catalog = read(xlsx([row(), row(archive_number="DA000002", cadre_name="李四")]))
    assert catalog.issues == []
    assert len(catalog.material_rows) == 2


def test_missing_required_column_and_no_sheet():
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.add_worksheet(ci.SHEET_MATERIALS).write_row(0, 0, ["档案号", "姓名"])
    workbook.close()
    with pytest.raises(ci.CatalogError) as caught:
        read(buffer.getvalue())
    assert caught.value.code == "missing_columns"
    assert "材料名称" in caught.value.params["columns"]
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.add_worksheet("Sheet1").write_row(0, 0, MATERIAL_HEADER)
    workbook.close()
    with pytest.raises(ci.CatalogError) as caught:
        read(buffer.getvalue())
    assert caught.value.code == "no_catalog_sheet"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "catalog_empty"),
        (b"PK\x03\x04 broken", "bad_catalog_file"),
        (b"\xff\xfe\x00\x00\x81", "bad_encoding"),
    ],
)
def test_unreadable_files(data, code):
    with pytest.raises(ci.CatalogError) as caught:
        read(data)
    assert caught.value.code == code


def test_too_many_rows():
    with pytest.raises(ci.CatalogError) as caught:
        ci.read_catalog(
            xlsx([row(number=n) for n in range(1, 5)]), LEAVES, CODES, max_rows=3
        )
    assert caught.value.code == "too_many_rows"


def csv_text(rows, delimiter=","):
    lines = [delimiter.join(MATERIAL_HEADER)]
    lines += [delimiter.join(str(v) for v in values) for values in rows]
    return "\r\n".join(lines) + "\r\n"


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "gb18030"], ids=["utf8", "bom", "gb18030"]
)
def test_csv_in_each_encoding(encoding):
    data = csv_text([row(), row(number=2, title="干部履历表（二）")]).encode(encoding)
    catalog = read(data)
    assert catalog.issues == []
    assert [(r.row, r.title) for r in catalog.material_rows] == [
        (2, "干部履历表"),
        (3, "干部履历表（二）"),
    ]
    assert catalog.dossier_rows == []


def test_csv_with_tabs_and_a_bad_row():
    data = csv_text([row(), row(number=2, date="去年")], delimiter="\t").encode()
    catalog = read(data)
    assert codes_by_row(catalog) == {(3, "bad_formation_date")}


# ----------------------------------------------------------------------
# grouping and planning
# ----------------------------------------------------------------------
def test_grouping_by_dossier():
    data = xlsx(
        [
            row(),
            row(archive_number="DA000002", cadre_name="李四", identifier=""),
            row(number=2, date="坏"),
            row(archive_number="DA000002", cadre_name="王五", number=2),
        ],
        [["DA000003", "赵六", "", "", "正本", "", "", "", ""]],
    )
    groups = ci.group_by_dossier(read(data))
    assert list(groups) == ["DA000003", "DA000001", "DA000002"]
    first, second = groups["DA000001"], groups["DA000002"]
    assert first.has_errors  # row 4 is bad: the dossier is refused whole
    assert len(first.materials) == 1
    assert second.cadre_name == "李四"
    assert [(i.row, i.code) for i in second.issues] == [(5, "inconsistent_cadre")]
    assert groups["DA000003"].dossier_row.copy_type == "original"
    assert not groups["DA000003"].has_errors


def test_plan_splits_new_already_and_taken():
    catalog = read(
        xlsx(
            [
                row(),
                row(number=2, title="干部履历表（二）"),
                row(number=3, title="干部履历表（三）"),
                row(number=4, title="草稿"),
            ]
        )
    )
    existing = {
        ("1", 1): ci.ExistingMaterial("干部履历表", filed=True),
        ("1", 2): ci.ExistingMaterial("另一份材料", filed=True),
        ("1", 4): ci.ExistingMaterial("草稿", filed=False),
    }
    plan = ci.plan_materials(catalog.material_rows, existing)
    assert [r.number for r in plan.new] == [3]
    assert [r.number for r in plan.already] == [1]
    assert [(i.row, i.code) for i in plan.issues] == [
        (3, "number_taken"),
        (5, "number_taken"),
    ]
    assert plan.issues[0].params == {"code": "1-2", "title": "另一份材料"}


def test_rows_survive_plain_data():
    catalog = read(
        xlsx(
            [
                row(original_kind="复印件", copy_date="20100520", copy_unit="大学"),
            ],
            [["DA000001", "张三", "", "", "正本", "1", "2", "3", "在库"]],
        )
    )
    (material,) = catalog.material_rows
    assert ci.material_from_dict(ci.material_to_dict(material)) == material
    (dossier,) = catalog.dossier_rows
    assert ci.dossier_from_dict(ci.dossier_to_dict(dossier)) == dossier


# ----------------------------------------------------------------------
# the template
# ----------------------------------------------------------------------
def test_template_round_trip():
    data = ci.write_template([("说明", "内容"), ("档案号", "档案的编号")])
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    assert workbook.sheetnames == [
        ci.SHEET_MATERIALS,
        ci.SHEET_DOSSIERS,
        ci.SHEET_INSTRUCTIONS,
    ]
    notes = list(workbook[ci.SHEET_INSTRUCTIONS].iter_rows(values_only=True))
    assert notes[1] == ("档案号", "档案的编号")
    workbook.close()
    catalog = read(data)
    assert catalog.issues == []
    read_back = [
        {
            column.field: str(ci.material_to_dict(material)[column.field] or "")
            for column in ci.MATERIAL_COLUMNS
        }
        for material in catalog.material_rows
    ]
    expected = [
        {
            column.field: str(example.get(column.field, ""))
            for column in ci.MATERIAL_COLUMNS
        }
        for example in ci.EXAMPLE_MATERIAL_ROWS
    ]
    # the template speaks the file's words (原件, 2010.05.20); rows hold values
    for values in expected:
        values["original_kind"] = ci.ORIGINAL_KINDS[values["original_kind"]]
        if values["copy_date"]:
            values["copy_date"] = values["copy_date"].replace(".", "-")
    assert read_back == expected
    (dossier,) = catalog.dossier_rows
    example = ci.EXAMPLE_DOSSIER_ROWS[0]
    assert dossier.archive_number == example["archive_number"]
    assert dossier.location_room == example["location_room"]
    assert (dossier.copy_type, dossier.state) == ("original", "in_stock")


def test_empty_template_reads_as_no_rows():
    catalog = read(ci.write_template([], examples=False))
    assert (catalog.material_rows, catalog.dossier_rows, catalog.issues) == ([], [], [])


def test_every_issue_code_has_a_message():
    addon = Path(ci.__file__).resolve().parent.parent
    tree = ast.parse(Path(ci.__file__).read_text(encoding="utf-8"))
    issue_codes = {
        node.args[3].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", None) == "Issue"
        and len(node.args) > 3
        and isinstance(node.args[3], ast.Constant)
    }
    assert issue_codes >= {"missing_cell", "number_taken", "inconsistent_cadre"}
    messages = (addon / "tools" / "lib_messages.py").read_text(encoding="utf-8")
    assert [code for code in issue_codes if f'"{code}"' not in messages] == []
