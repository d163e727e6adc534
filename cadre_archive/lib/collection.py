"""The collection register (收集登记): batches of materials received.

Each batch a unit hands over is registered with the counts its sender
declares and the counts of the materials the archive entered from it; the
check accepts it or returns it for correction with a reason. This module
holds the plain computations of the register: the discrepancies between the
declared and the entered counts, the choice of the batches of a period, the
totals, and the register sheet of an XLSX workbook (the caller gives the
workbook, the translated labels and one dict per batch).
"""

from collections.abc import Iterable
from datetime import date, datetime
from numbers import Real

from .errors import ArchiveLibError

# (key of the row dicts, column width in characters), in column order.
COLLECTION_COLUMNS = (
    ("number", 14),
    ("unit", 22),
    ("handed_by", 12),
    ("date_received", 12),
    ("officer", 12),
    ("declared_materials", 10),
    ("declared_pages", 10),
    ("materials", 10),
    ("pages", 10),
    ("result", 12),
    ("reason", 30),
)
# The columns summed in the totals row.
SUMMED = ("declared_materials", "declared_pages", "materials", "pages")

TITLE_ROW = 0
HEADER_ROW = 1
FIRST_DATA_ROW = 2
DATE_FORMAT = "yyyy-mm-dd"
HEADER_BACKGROUND = "#D9E1F2"
TOTAL_BACKGROUND = "#F2F2F2"
A4_PAPER = 9


class CollectionError(ArchiveLibError):
    """The register cannot be computed or written as asked."""


def discrepancies(
    declared_materials: int, declared_pages: int, materials: int, pages: int
) -> dict[str, tuple[int, int]]:
    """What the sender declared and the archive entered disagree on.

    Returns ``{"materials": (declared, entered), "pages": (declared,
    entered)}`` for each count that differs; a count the sender did not
    declare (0) is not compared. Empty when everything agrees.
    """
    found = {}
    if declared_materials and declared_materials != materials:
        found["materials"] = (declared_materials, materials)
    if declared_pages and declared_pages != pages:
        found["pages"] = (declared_pages, pages)
    return found


def _check_day(value, name: str) -> None:
    if value is not None and (
        isinstance(value, datetime) or not isinstance(value, date)
    ):
        raise CollectionError("bad_date", field=name, value=value)


def check_period(date_from: date | None, date_to: date | None) -> None:
    """Raise CollectionError('end_before_start') for an inverted period and
    ('bad_date') for a bound that is not a date; None leaves a side open."""
    _check_day(date_from, "date_from")
    _check_day(date_to, "date_to")
    if date_from and date_to and date_to < date_from:
        raise CollectionError(
            "end_before_start", date_start=date_from, date_end=date_to
        )


def in_period(day: date | None, date_from: date | None, date_to: date | None) -> bool:
    """Whether ``day`` lies in the period, both bounds included.

    A bound of None leaves that side open; a batch without a date belongs to
    no closed period (and to the open one only).
    """
    check_period(date_from, date_to)
    if day is None:
        return date_from is None and date_to is None
    _check_day(day, "day")
    if date_from and day < date_from:
        return False
    return not (date_to and day > date_to)


def select_period(
    rows: Iterable[dict],
    date_from: date | None,
    date_to: date | None,
    key: str = "date_received",
) -> list[dict]:
    """The rows whose ``key`` date lies in the period, sorted by that date
    (rows of one day keep their order)."""
    chosen = [row for row in rows if in_period(row.get(key), date_from, date_to)]
    return sorted(chosen, key=lambda row: row.get(key) or date.min)


def totals(rows: Iterable[dict]) -> dict:
    """The totals row: the sum of each counted column, and ``batches``, the
    number of rows. A missing or empty count counts as 0."""
    result = dict.fromkeys(SUMMED, 0)
    result["batches"] = 0
    for row in rows:
        result["batches"] += 1
        for key in SUMMED:
            result[key] += row.get(key) or 0
    return result


def _formats(workbook) -> dict:
    cell = {"border": 1, "valign": "top"}
    total = {**cell, "bold": True, "bg_color": TOTAL_BACKGROUND}
    return {
        "title": workbook.add_format(
            {"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"}
        ),
        "header": workbook.add_format(
            {
                "bold": True,
                "border": 1,
                "text_wrap": True,
                "align": "center",
                "valign": "vcenter",
                "bg_color": HEADER_BACKGROUND,
            }
        ),
        "text": workbook.add_format({**cell, "text_wrap": True}),
        "number": workbook.add_format(cell),
        "date": workbook.add_format({**cell, "num_format": DATE_FORMAT}),
        "total_text": workbook.add_format(total),
        "total_number": workbook.add_format(total),
    }


def _header_labels(headers: dict[str, str]) -> list[str]:
    labels = []
    for key, _width in COLLECTION_COLUMNS:
        if key not in headers:
            raise CollectionError("missing_header", key=key)
        labels.append(str(headers[key]))
    return labels


def _write_cell(worksheet, row: int, col: int, value, formats: dict) -> None:
    """A date as an Excel date, a number as a number, else text (never a
    formula); None and False give an empty cell."""
    if value is None or value is False:
        worksheet.write_blank(row, col, None, formats["text"])
    elif isinstance(value, datetime):
        raise CollectionError("bad_date", field=COLLECTION_COLUMNS[col][0], value=value)
    elif isinstance(value, date):
        worksheet.write_datetime(row, col, value, formats["date"])
    elif isinstance(value, Real) and not isinstance(value, bool):
        worksheet.write_number(row, col, value, formats["number"])
    else:
        worksheet.write_string(row, col, str(value), formats["text"])


def _write_totals(worksheet, row: int, label: str, sums: dict, formats: dict) -> None:
    for col, (key, _width) in enumerate(COLLECTION_COLUMNS):
        if col == 0:
            worksheet.write_string(row, col, str(label), formats["total_text"])
        elif key in SUMMED:
            worksheet.write_number(row, col, sums[key], formats["total_number"])
        else:
            worksheet.write_blank(row, col, None, formats["total_text"])


def _set_layout(worksheet, last_data_row: int) -> None:
    last_col = len(COLLECTION_COLUMNS) - 1
    for col, (_key, width) in enumerate(COLLECTION_COLUMNS):
        worksheet.set_column(col, col, width)
    worksheet.freeze_panes(FIRST_DATA_ROW, 0)
    worksheet.autofilter(HEADER_ROW, 0, last_data_row, last_col)
    worksheet.set_landscape()
    worksheet.set_paper(A4_PAPER)
    worksheet.fit_to_pages(1, 0)
    worksheet.repeat_rows(TITLE_ROW, HEADER_ROW)


def write_register(
    workbook,
    sheet_name: str,
    headers: dict[str, str],
    rows: Iterable[dict],
    title: str,
    total_label: str,
):
    """Add the register sheet ``sheet_name`` to an ``xlsxwriter.Workbook``.

    Row 1 holds ``title`` merged over the table, row 2 the ``headers`` label
    of each key of COLLECTION_COLUMNS, then one row per dict of ``rows`` in
    the order given (a missing key gives an empty cell), then the totals row:
    ``total_label`` in the first column and the sum of each SUMMED column.
    Return the worksheet. Raise CollectionError('missing_header', key=) when
    a label is missing and ('bad_date') for a datetime (the register holds
    days).
    """
    labels = _header_labels(headers)
    rows = list(rows)
    sums = totals(rows)
    formats = _formats(workbook)
    worksheet = workbook.add_worksheet(sheet_name)
    last_col = len(COLLECTION_COLUMNS) - 1
    worksheet.merge_range(TITLE_ROW, 0, TITLE_ROW, last_col, "", formats["title"])
    worksheet.write_string(TITLE_ROW, 0, str(title), formats["title"])
    worksheet.set_row(TITLE_ROW, 28)
    worksheet.set_row(HEADER_ROW, 32)
    for col, label in enumerate(labels):
        worksheet.write_string(HEADER_ROW, col, label, formats["header"])
    row = HEADER_ROW
    for row, values in enumerate(rows, start=FIRST_DATA_ROW):
        for col, (key, _width) in enumerate(COLLECTION_COLUMNS):
            _write_cell(worksheet, row, col, values.get(key), formats)
    _write_totals(worksheet, row + 1, total_label, sums, formats)
    _set_layout(worksheet, row)
    return worksheet
