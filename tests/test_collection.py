import datetime
import io

import openpyxl
import pytest
import xlsxwriter
from cadre_archive_lib.collection import (
    COLLECTION_COLUMNS,
    SUMMED,
    CollectionError,
    check_period,
    discrepancies,
    in_period,
    select_period,
    totals,
    write_register,
)
from cadre_archive_lib.errors import ArchiveLibError

D = datetime.date
DT = datetime.datetime

HEADERS = {
    "number": "登记号",
    "unit": "移交单位",
    "handed_by": "移交人",
    "date_received": "接收日期",
    "officer": "接收人",
    "declared_materials": "移交材料份数",
    "declared_pages": "移交页数",
    "materials": "登记材料份数",
    "pages": "登记页数",
    "result": "审核结果",
    "reason": "退回原因",
}
TITLE = "干部人事档案材料收集登记簿"
ROWS = [
    {
        "number": "SJ2026-0001",
        "unit": "市委组织部干部一处",
        "handed_by": "张三",
        "date_received": D(2026, 3, 2),
        "officer": "李四",
        "declared_materials": 3,
        "declared_pages": 12,
        "materials": 3,
        "pages": 12,
        "result": "已接收",
        "reason": False,
    },
    {
        "number": "SJ2026-0002",
        "unit": "县人社局",
        "handed_by": "王五",
        "date_received": D(2026, 3, 20),
        "officer": "李四",
        "declared_materials": 2,
        "declared_pages": 5,
        "materials": 0,
        "pages": 0,
        "result": "退回补正",
        "reason": '=HYPERLINK("http://example.com") 缺少盖章',
    },
]


def write(rows=ROWS, headers=HEADERS, title=TITLE):
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    worksheet = write_register(workbook, "收集登记", headers, rows, title, "合计")
    workbook.close()
    return worksheet, openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))["收集登记"]


def row_values(sheet, row):
    return {
        key: sheet.cell(row=row, column=col).value
        for col, (key, _width) in enumerate(COLLECTION_COLUMNS, start=1)
    }


# ------------------------------------------------------------ discrepancies


def test_no_discrepancy_when_counts_agree():
    assert discrepancies(3, 12, 3, 12) == {}


def test_discrepancy_of_materials_and_pages():
    assert discrepancies(3, 12, 2, 10) == {"materials": (3, 2), "pages": (12, 10)}
    assert discrepancies(3, 12, 3, 13) == {"pages": (12, 13)}
    assert discrepancies(3, 12, 4, 12) == {"materials": (3, 4)}


def test_undeclared_counts_are_not_compared():
    assert discrepancies(0, 0, 5, 20) == {}
    assert discrepancies(0, 12, 5, 11) == {"pages": (12, 11)}
    assert discrepancies(2, 0, 1, 7) == {"materials": (2, 1)}


# ------------------------------------------------------------------ period


def test_in_period_includes_both_bounds():
    assert in_period(D(2026, 3, 1), D(2026, 3, 1), D(2026, 3, 31))
    assert in_period(D(2026, 3, 31), D(2026, 3, 1), D(2026, 3, 31))
    assert not in_period(D(2026, 2, 28), D(2026, 3, 1), D(2026, 3, 31))
    assert not in_period(D(2026, 4, 1), D(2026, 3, 1), D(2026, 3, 31))


def test_in_period_open_sides():
    assert in_period(D(1990, 1, 1), None, D(2026, 3, 31))
    assert not in_period(D(2026, 4, 1), None, D(2026, 3, 31))
    assert in_period(D(2099, 1, 1), D(2026, 3, 1), None)
    assert not in_period(D(2026, 2, 1), D(2026, 3, 1), None)
    assert in_period(D(2026, 2, 1), None, None)


def test_a_batch_without_date_is_in_no_closed_period():
    assert not in_period(None, D(2026, 3, 1), None)
    assert not in_period(None, None, D(2026, 3, 1))
    assert in_period(None, None, None)


def test_inverted_period_is_refused():
    with pytest.raises(CollectionError) as info:
        check_period(D(2026, 4, 1), D(2026, 3, 1))
    assert info.value.code == "end_before_start"
    with pytest.raises(CollectionError):
        in_period(D(2026, 3, 15), D(2026, 4, 1), D(2026, 3, 1))
    check_period(D(2026, 3, 1), D(2026, 3, 1))  # one day is a period


def test_datetimes_are_not_days():
    with pytest.raises(CollectionError) as info:
        check_period(DT(2026, 3, 1, 8), None)
    assert info.value.code == "bad_date"
    assert isinstance(info.value, ArchiveLibError)
    with pytest.raises(CollectionError):
        in_period(DT(2026, 3, 1, 8), None, None)
    with pytest.raises(CollectionError):
        check_period(None, "2026-03-01")


def test_select_period_filters_and_sorts_by_date():
    rows = [
        {"number": "late", "date_received": D(2026, 3, 30)},
        {"number": "before", "date_received": D(2026, 2, 27)},
        {"number": "early", "date_received": D(2026, 3, 1)},
        {"number": "after", "date_received": D(2026, 4, 1)},
        {"number": "same day", "date_received": D(2026, 3, 30)},
    ]
    chosen = select_period(rows, D(2026, 3, 1), D(2026, 3, 31))
    assert [row["number"] for row in chosen] == ["early", "late", "same day"]
    everything = select_period(rows, None, None)
    assert [row["number"] for row in everything][0] == "before"
    assert len(everything) == 5


def test_select_period_by_another_key():
    rows = [{"day": D(2026, 1, 5)}, {"day": D(2025, 12, 31)}]
    assert select_period(rows, D(2026, 1, 1), None, key="day") == [rows[0]]


# ------------------------------------------------------------------ totals


def test_totals_sum_the_counts_and_count_the_batches():
    assert totals(ROWS) == {
        "declared_materials": 5,
        "declared_pages": 17,
        "materials": 3,
        "pages": 12,
        "batches": 2,
    }


def test_totals_of_nothing_and_of_empty_counts():
    assert totals([]) == {key: 0 for key in (*SUMMED, "batches")}
    assert totals([{"materials": None, "pages": False}, {"pages": 4}]) == {
        "declared_materials": 0,
        "declared_pages": 0,
        "materials": 0,
        "pages": 4,
        "batches": 2,
    }


# ------------------------------------------------------------------- sheet


def test_columns_match_the_headers():
    assert [key for key, _width in COLLECTION_COLUMNS] == list(HEADERS)
    assert set(SUMMED) <= set(HEADERS)


def test_sheet_title_header_rows_and_totals():
    worksheet, sheet = write()
    assert worksheet.get_name() == "收集登记"
    assert sheet["A1"].value == TITLE
    assert "A1:K1" in {str(cells) for cells in sheet.merged_cells.ranges}
    assert [cell.value for cell in sheet[2]] == list(HEADERS.values())
    first = row_values(sheet, 3)
    assert first["number"] == "SJ2026-0001"
    assert first["date_received"] == DT(2026, 3, 2)
    assert sheet["D3"].number_format == "yyyy-mm-dd"
    assert first["pages"] == 12
    assert sheet["I3"].data_type == "n"
    assert first["reason"] is None
    second = row_values(sheet, 4)
    assert second["materials"] == 0
    assert sheet["K4"].data_type == "s"  # never a formula
    assert second["reason"] == ROWS[1]["reason"]
    total = row_values(sheet, 5)
    assert total["number"] == "合计"
    assert (total["declared_materials"], total["declared_pages"]) == (5, 17)
    assert (total["materials"], total["pages"]) == (3, 12)
    assert total["unit"] is None and total["result"] is None
    assert sheet["A5"].font.b
    assert sheet.max_row == 5


def test_sheet_layout():
    _worksheet, sheet = write()
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == "A2:K4"  # the totals row is not filtered
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.print_title_rows == "$1:$2"
    assert sheet.column_dimensions["K"].width == pytest.approx(30, abs=1)


def test_empty_register_has_a_zero_totals_row():
    _worksheet, sheet = write(rows=[])
    assert sheet.max_row == 3
    assert row_values(sheet, 3)["number"] == "合计"
    assert row_values(sheet, 3)["pages"] == 0


def test_rows_may_be_a_generator():
    rows = (dict(ROWS[0], number=f"SJ2026-{n:04d}") for n in range(1, 21))
    _worksheet, sheet = write(rows=rows)
    assert sheet["A22"].value == "SJ2026-0020"
    assert sheet["H23"].value == 60  # 20 batches of 3 materials
    assert sheet["A23"].value == "合计"


def test_missing_header_is_refused():
    headers = dict(HEADERS)
    del headers["reason"]
    with pytest.raises(CollectionError) as info:
        write(headers=headers)
    assert info.value.code == "missing_header"
    assert info.value.params == {"key": "reason"}


def test_a_datetime_cell_is_refused():
    with pytest.raises(CollectionError) as info:
        write(rows=[dict(ROWS[0], date_received=DT(2026, 3, 2, 9))])
    assert info.value.code == "bad_date"
