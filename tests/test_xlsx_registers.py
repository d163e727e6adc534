import datetime
import io

import openpyxl
import pytest
import xlsxwriter
from cadre_archive_lib.errors import ArchiveLibError
from cadre_archive_lib.xlsx_registers import (
    MAX_WIDTH,
    WORKBOOK_OPTIONS,
    Column,
    XlsxRegisterError,
    display_width,
    ratio,
    share,
    write_sheet,
)

D = datetime.date
DT = datetime.datetime

COLUMNS = [
    Column("number", "档案号"),
    Column("title", "材料名称", width=10),
    Column("date", "形成时间", kind="date"),
    Column("pages", "页数", kind="int", total="sum"),
    Column("scanned", "已扫描页数", kind="int", total="sum"),
    Column("share", "数字化比例", kind="percent", total=share("scanned", "pages")),
    Column("seen", "查看时间", kind="datetime"),
]


def rows(count):
    for index in range(count):
        yield {
            "number": f"A{index:05d}",
            "title": "干部履历表" if index % 2 else "Appointment form",
            "date": D(1990, 7, 1) + datetime.timedelta(days=index),
            "pages": 4,
            "scanned": 2 if index % 2 else 0,
            "share": ratio(2 if index % 2 else 0, 4),
            "seen": DT(2026, 3, 2, 9, 30),
        }


def write(columns=COLUMNS, data=None, **kwargs):
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS)
    result = write_sheet(
        workbook, "登记簿", columns, rows(3) if data is None else data, **kwargs
    )
    workbook.close()
    return result, openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active


def test_headers_rows_and_totals_in_constant_memory():
    result, sheet = write(title="干部档案目录登记簿", total_label="合计")
    assert result.row_count == 3
    assert result.sums["pages"] == 12
    assert sheet["A1"].value == "干部档案目录登记簿"
    assert [cell.value for cell in sheet[2]] == [c.header for c in COLUMNS]
    first = [cell.value for cell in sheet[3]]
    assert first[:2] == ["A00000", "Appointment form"]
    # a real date cell, not text
    assert sheet["C3"].is_date
    assert sheet["C3"].value.date() == D(1990, 7, 1)
    assert sheet["C3"].number_format == "yyyy-mm-dd"
    assert sheet["G3"].value == DT(2026, 3, 2, 9, 30)
    assert sheet["F4"].value == 0.5
    assert sheet["F4"].number_format == "0.0%"
    total = [cell.value for cell in sheet[6]]
    assert total[0] == "合计"
    assert total[3:5] == [12, 2]
    assert total[5] == pytest.approx(2 / 12)
    assert total[1] is None and total[2] is None
    assert sheet.max_row == 6


def test_frozen_header_and_filter_over_the_data():
    __, sheet = write(title="T", total_label="合计")
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == "A2:G5"
    __, sheet = write()
    assert sheet["A1"].value == "档案号"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:G4"


def test_widths_fit_the_widest_value_chinese_counting_double():
    data = [{"number": "1", "title": "中" * 12}, {"number": "1", "title": "x" * 300}]
    __, sheet = write(data=data)
    assert sheet.column_dimensions["B"].width == pytest.approx(MAX_WIDTH, abs=1)
    __, sheet = write(data=data[:1])
    # 12 wide characters plus the padding
    assert sheet.column_dimensions["B"].width == pytest.approx(26, abs=1)
    # the header sets the least width: 页数 is 4 wide, but never below 6
    assert sheet.column_dimensions["D"].width >= 6


def test_display_width():
    assert display_width("abc") == 3
    assert display_width("干部abc") == 7
    assert display_width("ＡＢ") == 4
    assert display_width("ab\n中文中文") == 8
    assert display_width("") == 0


def test_empty_values_give_empty_cells_and_text_is_never_a_formula():
    data = [{"number": "=1+1", "title": False, "date": None, "pages": None}]
    result, sheet = write(data=data, total_label="合计")
    assert sheet["A2"].value == "=1+1"
    assert sheet["A2"].data_type == "s"
    assert sheet["B2"].value is None and sheet["C2"].value is None
    assert result.sums["pages"] == 0
    # a total share of nothing is empty
    assert sheet["F3"].value is None


def test_no_rows_still_gives_headers_and_filter():
    result, sheet = write(data=[], title="T")
    assert result.row_count == 0
    assert sheet.auto_filter.ref == "A2:G2"
    assert sheet.max_row == 2


def test_a_generator_is_read_once_in_order():
    seen = []

    def generate():
        for index in range(5):
            seen.append(index)
            yield {"number": str(index)}

    __, sheet = write(data=generate())
    assert seen == [0, 1, 2, 3, 4]
    assert [sheet.cell(row=r, column=1).value for r in range(2, 7)] == list("01234")


@pytest.mark.parametrize(
    ("columns", "data", "code"),
    [
        ([Column("a", "")], [], "missing_header"),
        ([Column("a", "A", kind="money")], [], "bad_kind"),
        ([Column("a", "A"), Column("a", "B")], [], "duplicate_column"),
        ([], [], "missing_header"),
        ([Column("a", "A", kind="int")], [{"a": "3"}], "not_a_number"),
        ([Column("a", "A", kind="int")], [{"a": True}], "not_a_number"),
        ([Column("a", "A", kind="date")], [{"a": "2026-01-01"}], "bad_date"),
        (
            [Column("a", "A", kind="datetime")],
            [{"a": DT(2026, 1, 1, tzinfo=datetime.UTC)}],
            "aware_datetime",
        ),
    ],
)
def test_refusals(columns, data, code):
    with pytest.raises(XlsxRegisterError) as caught:
        write(columns=columns, data=data)
    assert caught.value.code == code
    assert isinstance(caught.value, ArchiveLibError)


def test_date_column_takes_a_datetime_as_is():
    __, sheet = write(
        columns=[Column("a", "A", kind="date")], data=[{"a": DT(2026, 1, 2, 3, 4)}]
    )
    assert sheet["A2"].value == DT(2026, 1, 2, 3, 4)


def test_ratio_and_share():
    assert ratio(1, 4) == 0.25
    assert ratio(1, 0) is None
    assert share("a", "b")({"a": 1, "b": 2}) == 0.5
    assert share("a", "b")({"a": 1, "b": 0}) is None


def test_many_rows_in_constant_memory_keep_their_order():
    __, sheet = write(data=rows(2000), total_label="合计")
    assert sheet.max_row == 2002
    assert sheet["A2001"].value == "A01999"
    assert sheet["D2002"].value == 8000
