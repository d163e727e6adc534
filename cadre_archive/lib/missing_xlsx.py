"""The missing and expected materials of a unit's dossiers as an XLSX sheet.

One row per expected material of a dossier, or one row saying the dossier
lacks nothing; the labels come from the Odoo layer (translated).
"""

from datetime import date
from numbers import Real

from .errors import ArchiveLibError

# (key, width) of each column, in order
MISSING_COLUMNS = (
    ("unit", 20),
    ("number", 14),
    ("cadre", 12),
    ("category", 9),
    ("expected", 40),
    ("origin", 14),
    ("event_date", 12),
    ("deadline", 12),
    ("overdue", 9),
    ("responsible", 14),
)
DATE_FORMAT = "yyyy-mm-dd"
TITLE_ROW, HEADER_ROW, FIRST_DATA_ROW = 0, 1, 2


class MissingSheetError(ArchiveLibError):
    """The sheet cannot be written as asked (a header label is missing)."""


def _formats(workbook):
    cell = {"border": 1, "valign": "top"}
    return {
        "title": workbook.add_format(
            {"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"}
        ),
        "header": workbook.add_format(
            {"bold": True, "border": 1, "text_wrap": True, "align": "center"}
        ),
        "text": workbook.add_format({**cell, "text_wrap": True}),
        "number": workbook.add_format(cell),
        "date": workbook.add_format({**cell, "num_format": DATE_FORMAT}),
    }


def _write_cell(worksheet, row, col, value, formats):
    """A date as an Excel date, a number as a number, text as text (never a
    formula); None or False as an empty cell."""
    if value is None or value is False:
        worksheet.write_blank(row, col, None, formats["text"])
    elif isinstance(value, date):
        worksheet.write_datetime(row, col, value, formats["date"])
    elif isinstance(value, Real) and not isinstance(value, bool):
        worksheet.write_number(row, col, value, formats["number"])
    else:
        worksheet.write_string(row, col, str(value), formats["text"])


def write_missing_sheet(workbook, sheet_name, title, headers, rows):
    """Add the sheet ``sheet_name`` to an ``xlsxwriter.Workbook``: ``title`` in
    row 1, the ``headers`` label of each key of MISSING_COLUMNS in row 2, then
    one row per dict of ``rows``.  Return the worksheet.  Raise
    MissingSheetError('missing_header', key=) when a label is missing."""
    for key, _width in MISSING_COLUMNS:
        if key not in headers:
            raise MissingSheetError("missing_header", key=key)
    formats = _formats(workbook)
    worksheet = workbook.add_worksheet(sheet_name)
    last_col = len(MISSING_COLUMNS) - 1
    worksheet.merge_range(TITLE_ROW, 0, TITLE_ROW, last_col, "", formats["title"])
    worksheet.write_string(TITLE_ROW, 0, str(title), formats["title"])
    for col, (key, width) in enumerate(MISSING_COLUMNS):
        worksheet.write_string(HEADER_ROW, col, str(headers[key]), formats["header"])
        worksheet.set_column(col, col, width)
    row = HEADER_ROW
    for row, values in enumerate(rows, start=FIRST_DATA_ROW):
        for col, (key, _width) in enumerate(MISSING_COLUMNS):
            _write_cell(worksheet, row, col, values.get(key), formats)
    worksheet.freeze_panes(FIRST_DATA_ROW, 0)
    worksheet.autofilter(HEADER_ROW, 0, row, last_col)
    worksheet.set_landscape()
    worksheet.fit_to_pages(1, 0)
    return worksheet
