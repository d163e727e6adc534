import datetime
import io
import re
import zipfile

import openpyxl
import pytest
import xlsxwriter
from cadre_archive_lib.errors import ArchiveLibError
from cadre_archive_lib.registry_xlsx import (
    REGISTRY_COLUMNS,
    RegistryError,
    write_registry,
)

D = datetime.date
DT = datetime.datetime

HEADERS = {
    "reference": "编号",
    "requester": "查阅人",
    "unit": "单位",
    "cadres": "被查阅干部",
    "purpose": "查阅事由",
    "kind": "方式",
    "scope": "查阅范围",
    "date_start": "开始日期",
    "date_end": "结束日期",
    "state": "状态",
    "approver": "审批人",
    "approved_on": "审批时间",
    "views": "查看次数",
}
TITLE = "干部档案查借阅登记簿"
ROWS = [
    {
        "reference": "CY2026-0007",
        "requester": "张三",
        "unit": "市委组织部干部一处",
        "cadres": "李四、王五",
        "purpose": "干部考察",
        "kind": "查阅",
        "scope": "第一类、第四类",
        "date_start": D(2026, 11, 25),
        "date_end": D(2026, 11, 30),
        "state": "已批准",
        "approver": "赵六",
        "approved_on": DT(2026, 11, 24, 16, 30),
        "views": 12,
    },
    {
        "reference": "CY2026-0008",
        "requester": "钱七",
        "unit": False,  # an empty Odoo field
        "cadres": "孙八",
        "purpose": '=HYPERLINK("http://example.com")',
        "date_start": D(2026, 12, 1),
        "date_end": D(2026, 12, 1),
        "state": "待审批",
        "approver": None,
        "views": 0,
    },
]
LAST_COL = "M"


def write(rows=ROWS, headers=HEADERS, title=TITLE, sheet_name="登记簿"):
    """Write the registry to an in-memory workbook; return (worksheet, bytes)."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    worksheet = write_registry(workbook, sheet_name, headers, rows, title)
    workbook.close()
    return worksheet, buffer.getvalue()


def read(data, sheet_name="登记簿"):
    return openpyxl.load_workbook(io.BytesIO(data))[sheet_name]


@pytest.fixture
def sheet():
    # Function scope: each test writes its own workbook, so that every test
    # exercises the writer (and mutation testing maps the writer to it).
    _worksheet, data = write()
    return read(data)


def row_values(sheet, row):
    return {
        key: sheet.cell(row=row, column=col).value
        for col, (key, _width) in enumerate(REGISTRY_COLUMNS, start=1)
    }


# ---------------------------------------------------------------- columns


def test_registry_columns():
    keys = [key for key, _width in REGISTRY_COLUMNS]
    assert keys == list(HEADERS)
    assert all(isinstance(width, int) and width > 0 for _key, width in REGISTRY_COLUMNS)


def test_write_registry_returns_the_worksheet():
    worksheet, _data = write()
    assert worksheet.get_name() == "登记簿"


# ------------------------------------------------------------ layout


def test_title_is_merged_and_bold(sheet):
    assert sheet["A1"].value == TITLE
    assert sheet["A1"].font.b
    assert f"A1:{LAST_COL}1" in {str(cells) for cells in sheet.merged_cells.ranges}


def test_header_row_in_chinese(sheet):
    labels = [sheet.cell(row=2, column=col).value for col in range(1, 14)]
    assert labels == list(HEADERS.values())
    header = sheet["A2"]
    assert header.font.b
    assert header.alignment.wrap_text
    assert header.border.left.style == "thin"
    assert header.fill.fgColor.rgb.endswith("D9E1F2")


def test_freeze_panes_and_autofilter(sheet):
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == f"A2:{LAST_COL}4"


def test_column_widths(sheet):
    for col, (_key, width) in enumerate(REGISTRY_COLUMNS):
        letter = openpyxl.utils.get_column_letter(col + 1)
        assert sheet.column_dimensions[letter].width == pytest.approx(width, abs=1)


def test_print_setup(sheet):
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.print_title_rows == "$1:$2"


# -------------------------------------------------------------- values


def test_row_values(sheet):
    first = row_values(sheet, 3)
    assert first["reference"] == "CY2026-0007"
    assert first["requester"] == "张三"
    assert first["cadres"] == "李四、王五"
    assert first["date_start"] == DT(2026, 11, 25)
    assert first["date_end"] == DT(2026, 11, 30)
    assert first["approved_on"] == DT(2026, 11, 24, 16, 30)
    assert first["views"] == 12
    assert isinstance(first["views"], int)


def test_date_cells_are_real_dates(sheet):
    assert sheet["H3"].is_date
    assert sheet["H3"].number_format == "yyyy-mm-dd"
    assert sheet["L3"].is_date
    assert sheet["L3"].number_format == "yyyy-mm-dd hh:mm"
    assert sheet["M3"].data_type == "n"


def test_empty_and_missing_values_are_empty_cells(sheet):
    second = row_values(sheet, 4)
    assert second["unit"] is None  # False
    assert second["approver"] is None  # None
    assert second["kind"] is None  # missing key
    assert second["approved_on"] is None
    assert second["views"] == 0
    assert sheet["C4"].border.left.style == "thin"  # still inside the table


def test_text_is_never_a_formula(sheet):
    cell = sheet["E4"]
    assert cell.data_type == "s"
    assert cell.value == ROWS[1]["purpose"]


def test_other_values():
    row = {"reference": 7.5, "unit": True, "cadres": ["李四"], "scope": D(2026, 1, 2)}
    _worksheet, data = write(rows=[row])
    sheet = read(data)
    assert (sheet["A3"].data_type, sheet["A3"].value) == ("n", 7.5)  # a float
    assert (sheet["C3"].data_type, sheet["C3"].value) == ("s", "True")  # not 1
    assert sheet["D3"].value == "['李四']"  # the caller joins lists
    assert sheet["G3"].value == DT(2026, 1, 2)  # a date is a date in any column
    assert sheet["B3"].value is None


def test_rows_may_be_a_generator():
    rows = (dict(ROWS[0], reference=f"CY2026-{n:04d}") for n in range(1, 51))
    _worksheet, data = write(rows=rows)
    sheet = read(data)
    assert sheet.max_row == 52
    assert sheet["A52"].value == "CY2026-0050"
    assert sheet.auto_filter.ref == f"A2:{LAST_COL}52"


def test_no_rows():
    _worksheet, data = write(rows=[])
    sheet = read(data)
    assert sheet.auto_filter.ref == f"A2:{LAST_COL}2"
    assert sheet.freeze_panes == "A3"
    assert sheet["A2"].value == "编号"


def test_english_headers():
    headers = {key: key.replace("_", " ").title() for key in HEADERS}
    _worksheet, data = write(headers=headers, title="Request registry")
    sheet = read(data)
    assert sheet["A1"].value == "Request registry"
    assert sheet["H2"].value == "Date Start"


# -------------------------------------------------------------- errors


def test_missing_header():
    headers = dict(HEADERS)
    del headers["views"]
    with pytest.raises(RegistryError) as info:
        write(headers=headers)
    assert info.value.code == "missing_header"
    assert info.value.params == {"key": "views"}
    assert isinstance(info.value, ArchiveLibError)


def test_aware_datetime_is_refused():
    aware = DT(2026, 11, 24, 16, 30, tzinfo=datetime.timezone.utc)
    with pytest.raises(RegistryError) as info:
        write(rows=[{"approved_on": aware}])
    assert info.value.code == "aware_datetime"
    assert info.value.params == {"key": "approved_on"}


# ------------------------------------------------------- formats in detail


def sheet_xml(data):
    """Return the XML of the (only) worksheet of an XLSX file."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


def cell_style(xml, ref):
    match = re.search(rf'<c r="{ref}" s="([0-9]+)"', xml)
    return match and match.group(1)


def test_title_format_is_large_and_centred():
    sheet = read(write()[1])
    title = sheet["A1"]
    assert title.font.sz == 14
    assert (title.alignment.horizontal, title.alignment.vertical) == (
        "center",
        "center",
    )
    assert sheet.row_dimensions[1].height == 28


def test_title_format_covers_the_whole_merged_row():
    xml = sheet_xml(write()[1])
    style = cell_style(xml, "A1")
    assert style is not None
    assert cell_style(xml, "B1") == style
    assert cell_style(xml, f"{LAST_COL}1") == style


def test_header_format_is_centred_and_taller():
    sheet = read(write()[1])
    for ref in ("A2", f"{LAST_COL}2"):
        header = sheet[ref]
        assert header.font.b
        assert (header.alignment.horizontal, header.alignment.vertical) == (
            "center",
            "center",
        )
        assert header.border.left.style == "thin"
    assert sheet.row_dimensions[2].height == 32


@pytest.mark.parametrize("ref", ["A3", "C4", "H3", "L3", "M3"])
def test_data_cells_have_thin_borders_and_top_alignment(ref):
    # A3 text, C4 empty, H3 date, L3 datetime, M3 number.
    cell = read(write()[1])[ref]
    assert cell.border.left.style == "thin"
    assert cell.border.right.style == "thin"
    assert cell.alignment.vertical == "top"


def test_text_cells_wrap():
    sheet = read(write()[1])
    assert sheet["A3"].alignment.wrap_text
    assert sheet["E4"].alignment.wrap_text


def test_number_cells_do_not_wrap():
    sheet = read(write()[1])
    assert not sheet["M3"].alignment.wrap_text


def test_printed_on_a4_one_page_wide():
    sheet = read(write()[1])
    assert int(sheet.page_setup.paperSize) == 9
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToWidth in (None, 1)  # 1 is the default
    assert int(sheet.page_setup.fitToHeight) == 0  # as many pages as needed
