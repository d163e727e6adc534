"""The request registry (查借阅登记簿) as a sheet of an XLSX workbook.

The caller (report_xlsx in the addon, a plain ``xlsxwriter.Workbook`` in the
tests) gives the workbook, the translated header labels and one dict per
request; this module only lays the sheet out.
"""

from collections.abc import Iterable
from datetime import date, datetime
from numbers import Real

from .errors import ArchiveLibError

# (key of the row dicts, column width in characters), in column order.
REGISTRY_COLUMNS = (
    ("reference", 14),
    ("requester", 14),
    ("unit", 22),
    ("cadres", 22),
    ("purpose", 30),
    ("kind", 12),
    ("scope", 24),
    ("date_start", 12),
    ("date_end", 12),
    ("state", 10),
    ("approver", 14),
    ("approved_on", 17),
    ("views", 8),
)

TITLE_ROW = 0
HEADER_ROW = 1
FIRST_DATA_ROW = 2
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
HEADER_BACKGROUND = "#D9E1F2"
A4_PAPER = 9


class RegistryError(ArchiveLibError):
    """The registry cannot be written as asked (a header label is missing)."""


def _formats(workbook) -> dict:
    """Add the cell formats of the registry to ``workbook``; return them by role."""
    cell = {"border": 1, "valign": "top"}
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
        "datetime": workbook.add_format({**cell, "num_format": DATETIME_FORMAT}),
    }


def _header_labels(headers: dict[str, str]) -> list[str]:
    """Return the labels in column order; RegistryError if one is missing."""
    labels = []
    for key, _width in REGISTRY_COLUMNS:
        if key not in headers:
            raise RegistryError("missing_header", key=key)
        labels.append(str(headers[key]))
    return labels


def _write_cell(worksheet, row: int, col: int, value, formats: dict) -> None:
    """Write one value: a date as an Excel date, a number as a number, else text.

    None and False (an empty Odoo field) give an empty cell; text is written
    with ``write_string`` so that it is never taken for a formula.
    """
    if value is None or value is False:
        worksheet.write_blank(row, col, None, formats["text"])
    elif isinstance(value, datetime):
        if value.tzinfo is not None:
            raise RegistryError("aware_datetime", key=REGISTRY_COLUMNS[col][0])
        worksheet.write_datetime(row, col, value, formats["datetime"])
    elif isinstance(value, date):
        worksheet.write_datetime(row, col, value, formats["date"])
    elif isinstance(value, Real) and not isinstance(value, bool):
        worksheet.write_number(row, col, value, formats["number"])
    else:
        worksheet.write_string(row, col, str(value), formats["text"])


def _set_layout(worksheet, last_row: int) -> None:
    """Set widths, frozen header, autofilter and print setup of the sheet."""
    last_col = len(REGISTRY_COLUMNS) - 1
    for col, (_key, width) in enumerate(REGISTRY_COLUMNS):
        worksheet.set_column(col, col, width)
    worksheet.freeze_panes(FIRST_DATA_ROW, 0)
    worksheet.autofilter(HEADER_ROW, 0, last_row, last_col)
    worksheet.set_landscape()
    worksheet.set_paper(A4_PAPER)
    worksheet.fit_to_pages(1, 0)
    worksheet.repeat_rows(TITLE_ROW, HEADER_ROW)


def write_registry(
    workbook,
    sheet_name: str,
    headers: dict[str, str],
    rows: Iterable[dict],
    title: str,
):
    """Add the registry sheet ``sheet_name`` to an ``xlsxwriter.Workbook``.

    Row 1 holds ``title`` merged over the table, row 2 the ``headers`` label
    of each key of REGISTRY_COLUMNS, then one row per dict of ``rows`` (a
    missing key gives an empty cell).  Return the worksheet.  Raise
    RegistryError('missing_header', key=) when a label is missing, and
    ('aware_datetime', key=) for a datetime with a time zone (convert
    it to the reader's local time first).
    """
    labels = _header_labels(headers)
    formats = _formats(workbook)
    worksheet = workbook.add_worksheet(sheet_name)
    last_col = len(REGISTRY_COLUMNS) - 1
    worksheet.merge_range(TITLE_ROW, 0, TITLE_ROW, last_col, "", formats["title"])
    worksheet.write_string(TITLE_ROW, 0, str(title), formats["title"])
    worksheet.set_row(TITLE_ROW, 28)
    worksheet.set_row(HEADER_ROW, 32)
    for col, label in enumerate(labels):
        worksheet.write_string(HEADER_ROW, col, label, formats["header"])
    row = HEADER_ROW
    for row, values in enumerate(rows, start=FIRST_DATA_ROW):
        for col, (key, _width) in enumerate(REGISTRY_COLUMNS):
            _write_cell(worksheet, row, col, values.get(key), formats)
    _set_layout(worksheet, row)
    return worksheet
