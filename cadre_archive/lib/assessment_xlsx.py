"""Assessments of the archive staff as an XLSX workbook (two sheets).

"Assessments": one row per assessment, then a total row (how many, mean
score). "Metrics": one row per metric line, and per assessment a total row
whose weighted score is the assessment's score. Labels come translated from
the Odoo layer; this module only lays the sheets out, in xlsxwriter's
constant-memory mode when the workbook was opened so (rows in order).
"""

from collections.abc import Iterable
from datetime import date, datetime
from numbers import Real

from .errors import ArchiveLibError

SUMMARY_COLUMNS = (
    ("officer", 16),
    ("period_kind", 10),
    ("period", 10),
    ("date_start", 12),
    ("date_end", 12),
    ("score", 9),
    ("grade", 10),
    ("training_hours", 10),
    ("state", 12),
    ("approver", 16),
    ("approved_on", 17),
    ("remark", 40),
)
LINE_COLUMNS = (
    ("officer", 16),
    ("period", 10),
    ("metric", 30),
    ("raw", 12),
    ("score", 10),
    ("weight", 9),
    ("weighted", 12),
)
TITLE_ROW, HEADER_ROW, FIRST_DATA_ROW = 0, 1, 2
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


class AssessmentSheetError(ArchiveLibError):
    """The workbook cannot be written as asked (a header label is missing)."""


def _formats(workbook) -> dict:
    cell = {"border": 1, "valign": "top"}
    return {
        "title": workbook.add_format({"bold": True, "font_size": 14}),
        "header": workbook.add_format(
            {
                "bold": True,
                "border": 1,
                "text_wrap": True,
                "align": "center",
                "bg_color": "#D9E1F2",
            }
        ),
        "text": workbook.add_format({**cell, "text_wrap": True}),
        "number": workbook.add_format({**cell, "num_format": "0.00"}),
        "date": workbook.add_format({**cell, "num_format": DATE_FORMAT}),
        "datetime": workbook.add_format({**cell, "num_format": DATETIME_FORMAT}),
        "total": workbook.add_format({**cell, "bold": True, "num_format": "0.00"}),
    }


def _write_cell(worksheet, row, col, value, formats, total=False) -> None:
    """A date as an Excel date, a number as a number, text as text (never a
    formula); None or False as an empty cell."""
    if value is None or value is False:
        worksheet.write_blank(row, col, None, formats["text"])
    elif isinstance(value, datetime):
        if value.tzinfo is not None:
            raise AssessmentSheetError("aware_datetime", value=value)
        worksheet.write_datetime(row, col, value, formats["datetime"])
    elif isinstance(value, date):
        worksheet.write_datetime(row, col, value, formats["date"])
    elif isinstance(value, Real) and not isinstance(value, bool):
        worksheet.write_number(row, col, value, formats["total" if total else "number"])
    else:
        worksheet.write_string(row, col, str(value), formats["text"])


def _sheet(workbook, name, title, columns, headers, formats):
    worksheet = workbook.add_worksheet(name)
    worksheet.write_string(TITLE_ROW, 0, str(title), formats["title"])
    for col, (key, width) in enumerate(columns):
        if key not in headers:
            raise AssessmentSheetError("missing_header", key=key)
        worksheet.set_column(col, col, width)
        worksheet.write_string(HEADER_ROW, col, str(headers[key]), formats["header"])
    worksheet.freeze_panes(FIRST_DATA_ROW, 0)
    return worksheet


def _write_rows(worksheet, columns, rows, formats, first_row=FIRST_DATA_ROW):
    row = first_row - 1
    for row, values in enumerate(rows, start=first_row):
        total = bool(values.get("_total"))
        for col, (key, _width) in enumerate(columns):
            _write_cell(worksheet, row, col, values.get(key), formats, total)
    return row


def summary_total(rows: list[dict], label: str) -> dict:
    """The total row of the summary: the count of assessments in the first
    column's label and the mean score."""
    scores = [row["score"] for row in rows if isinstance(row.get("score"), Real)]
    mean = round(sum(scores) / len(scores), 2) if scores else None
    return {"officer": label, "period": len(rows), "score": mean, "_total": True}


def with_line_totals(groups: Iterable[tuple], label: str):
    """Yield the line rows of each assessment then its total row: the sum of
    the weights and of the weighted scores (the assessment's score).
    ``groups`` are (officer, period, [line dicts])."""
    for officer, period, lines in groups:
        weight = weighted = 0.0
        for line in lines:
            yield {"officer": officer, "period": period, **line}
            if line.get("weighted") is not None:
                weight += line.get("weight") or 0.0
                weighted += line["weighted"]
        yield {
            "officer": officer,
            "period": period,
            "metric": label,
            "weight": round(weight, 2),
            "weighted": round(weighted, 2),
            "_total": True,
        }


def write_assessments(workbook, texts: dict, summary_rows, line_groups) -> tuple:
    """Add the two sheets to an ``xlsxwriter.Workbook``.

    ``texts`` holds the sheet names ('summary_sheet', 'lines_sheet'), the
    titles ('summary_title', 'lines_title'), the total labels ('total') and
    the headers ('summary_headers', 'line_headers': label per column key).
    Return the two worksheets and the last row written on each.
    """
    formats = _formats(workbook)
    summary_rows = list(summary_rows)
    summary = _sheet(
        workbook,
        texts["summary_sheet"],
        texts["summary_title"],
        SUMMARY_COLUMNS,
        texts["summary_headers"],
        formats,
    )
    last = _write_rows(
        summary,
        SUMMARY_COLUMNS,
        [*summary_rows, summary_total(summary_rows, texts["total"])],
        formats,
    )
    summary.autofilter(HEADER_ROW, 0, last - 1, len(SUMMARY_COLUMNS) - 1)
    lines = _sheet(
        workbook,
        texts["lines_sheet"],
        texts["lines_title"],
        LINE_COLUMNS,
        texts["line_headers"],
        formats,
    )
    last_line = _write_rows(
        lines, LINE_COLUMNS, with_line_totals(line_groups, texts["total"]), formats
    )
    lines.autofilter(HEADER_ROW, 0, max(last_line, HEADER_ROW), len(LINE_COLUMNS) - 1)
    return summary, last, lines, last_line
