"""One sheet of a register (登记簿) in an XLSX workbook, written row by row.

The registers of the archive (catalog, unit statistics, lendings, access log,
transfers, collection, the annual return) are tables: a title, one header row
of translated labels, one row per record, and sometimes a totals row. This
module lays such a table out on an ``xlsxwriter`` worksheet: the header row
frozen and filtered, dates as real date cells, numbers as numbers, text as
text (never a formula), the column widths fitted to what was written.

It writes each row once, in order, and keeps nothing of it but the running
totals and the widest value per column, so that it works in xlsxwriter's
``constant_memory`` mode (each row flushed to disk when the next begins): a
register of a million rows is written in the memory of one row. The caller
gives the workbook (``WORKBOOK_OPTIONS`` turns that mode on), the columns with
their labels already translated, and an iterable of dicts (a generator reading
the records in batches keeps the reading bounded too).
"""

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from numbers import Real

from .errors import ArchiveLibError

# the options of ``xlsxwriter.Workbook`` for a register: each row goes to a
# temporary file as soon as the next one begins
WORKBOOK_OPTIONS = {"constant_memory": True}

KINDS = ("text", "date", "datetime", "int", "number", "percent")
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
PERCENT_FORMAT = "0.0%"
HEADER_BACKGROUND = "#D9E1F2"
TOTAL_BACKGROUND = "#F2F2F2"
A4_PAPER = 9
# widths in characters: a column is never narrower than MIN_WIDTH nor wider
# than MAX_WIDTH (longer text wraps); dates and times take a fixed width
MIN_WIDTH = 6
MAX_WIDTH = 50
PADDING = 2
FIXED_WIDTHS = {"date": 11, "datetime": 16, "percent": 8}
# the widths of at most this many distinct texts are remembered per column
KNOWN_TEXTS = 1000


class XlsxRegisterError(ArchiveLibError):
    """The register cannot be written as asked."""


@dataclass(frozen=True)
class Column:
    """A column of a register.

    ``key``: the key of the row dicts; ``header``: its label (translated);
    ``kind``: one of KINDS (``percent`` takes a fraction, 0.25 for 25%);
    ``width``: the least width in characters (the widest value written widens
    it, up to MAX_WIDTH); ``total``: None for no total, ``"sum"`` for the sum
    of the column, or a function given the dict of the column sums (by key)
    that returns the total cell (a share of two sums, say).
    """

    key: str
    header: str
    kind: str = "text"
    width: float = 0
    total: str | Callable[[dict], object] | None = None


def display_width(text: str) -> int:
    """The width of ``text`` in characters of a fixed-width font: a Chinese
    character (East Asian wide or full-width) takes two; the widest line of a
    multi-line text counts."""
    return max(
        (
            sum(
                2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
                for char in line
            )
            for line in str(text).splitlines() or [""]
        ),
        default=0,
    )


def check_columns(columns: Iterable[Column]) -> list[Column]:
    """The columns as a list; XlsxRegisterError('missing_header', key=) for a
    column without a label, ('bad_kind', kind=) for an unknown kind and
    ('duplicate_column', key=) for a key given twice."""
    columns = list(columns)
    seen = set()
    for column in columns:
        if column.kind not in KINDS:
            raise XlsxRegisterError("bad_kind", kind=column.kind)
        if not column.header:
            raise XlsxRegisterError("missing_header", key=column.key)
        if column.key in seen:
            raise XlsxRegisterError("duplicate_column", key=column.key)
        seen.add(column.key)
    return columns


def _formats(workbook) -> dict:
    cell = {"border": 1, "valign": "top"}
    total = {"bold": True, "bg_color": TOTAL_BACKGROUND}
    numbers = {
        "text": {"text_wrap": True},
        "int": {"num_format": "0"},
        "number": {"num_format": "General"},
        "percent": {"num_format": PERCENT_FORMAT},
        "date": {"num_format": DATE_FORMAT},
        "datetime": {"num_format": DATETIME_FORMAT},
    }
    formats = {
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
    }
    for kind, spec in numbers.items():
        formats[kind] = workbook.add_format({**cell, **spec})
        formats[f"total_{kind}"] = workbook.add_format({**cell, **spec, **total})
    return formats


def _cell_width(column: Column, value) -> int:
    if column.kind in FIXED_WIDTHS:
        return FIXED_WIDTHS[column.kind]
    if isinstance(value, float):
        return len(f"{value:g}")
    return display_width(value)


class _SheetWriter:
    """Writes the rows of one sheet in order, keeping the sums and widths."""

    def __init__(self, workbook, worksheet, columns, formats):
        self.worksheet = worksheet
        self.columns = columns
        self.formats = formats
        self.widths = [
            max(column.width, display_width(column.header) + PADDING, MIN_WIDTH)
            for column in columns
        ]
        self.sums = {c.key: 0 for c in columns if c.total is not None}
        # per column, the widths of the texts measured (see _widen)
        self._known = [{} for __ in columns]
        # (col, column, its kind, its format) in the order of the row
        self._plan = [
            (col, column, column.kind, formats[column.kind])
            for col, column in enumerate(columns)
        ]

    def write_cell(self, row, col, value, prefix=""):
        column = self.columns[col]
        kind = column.kind
        fmt = self.formats[f"{prefix}{kind}"]
        if value is None or value is False or value == "":
            self.worksheet.write_blank(row, col, None, fmt)
            return
        if kind in ("date", "datetime"):
            self._write_moment(row, col, value, prefix)
        elif kind in ("int", "number", "percent"):
            if not isinstance(value, Real) or isinstance(value, bool):
                raise XlsxRegisterError("not_a_number", key=column.key, value=value)
            self.worksheet.write_number(row, col, value, fmt)
        else:
            self.worksheet.write_string(row, col, str(value), fmt)
        self._widen(col, column, value)

    def _widen(self, col, column, value):
        """Widen the column to ``value`` (up to MAX_WIDTH). Measuring each
        character of each cell is the slow part of a long register, so a
        text is measured only when it could widen the column (its width is
        at most twice its length), an ASCII line is its length, and the
        widths of the texts already measured are remembered (a register
        repeats its dossiers, units and categories on many rows)."""
        current = self.widths[col]
        if isinstance(value, str):
            if 2 * len(value) + PADDING <= current:
                return
            if value.isascii() and "\n" not in value:
                width = len(value)
            else:
                known = self._known[col]
                width = known.get(value)
                if width is None:
                    if len(known) >= KNOWN_TEXTS:
                        known.clear()
                    width = known[value] = _cell_width(column, value)
        elif isinstance(value, int) and column.kind not in FIXED_WIDTHS:
            width = len(str(value))
        else:
            width = _cell_width(column, value)
        width = min(width + PADDING, MAX_WIDTH)
        if width > current:
            self.widths[col] = width

    def _write_moment(self, row, col, value, prefix):
        column = self.columns[col]
        if isinstance(value, datetime):
            if value.tzinfo is not None:
                raise XlsxRegisterError("aware_datetime", key=column.key)
            kind = column.kind
        elif isinstance(value, date):
            kind = "date"
        else:
            raise XlsxRegisterError("bad_date", field=column.key, value=value)
        self.worksheet.write_datetime(row, col, value, self.formats[f"{prefix}{kind}"])

    def write_row(self, row, values):
        """One data row. Text and whole-number cells, most of a register,
        take the short way (written and widened here); the others go
        through ``write_cell``."""
        sums = self.sums
        worksheet = self.worksheet
        widths = self.widths
        for col, column, kind, fmt in self._plan:
            value = values.get(column.key)
            if kind == "text" and value and isinstance(value, str):
                worksheet.write_string(row, col, value, fmt)
                if 2 * len(value) + PADDING > widths[col]:
                    self._widen(col, column, value)
                continue
            if kind == "int" and value and type(value) is int:
                worksheet.write_number(row, col, value, fmt)
                if len(str(value)) + PADDING > widths[col]:
                    self._widen(col, column, value)
            else:
                self.write_cell(row, col, value)
            if value and column.key in sums:
                sums[column.key] += value

    def write_totals(self, row, label):
        for col, column in enumerate(self.columns):
            if column.total is None:
                value = str(label) if col == 0 else None
                fmt = self.formats["total_text"]
                if value:
                    self.worksheet.write_string(row, col, value, fmt)
                else:
                    self.worksheet.write_blank(row, col, None, fmt)
                continue
            value = (
                self.sums[column.key]
                if column.total == "sum"
                else column.total(self.sums)
            )
            self.write_cell(row, col, value, prefix="total_")

    def set_widths(self):
        for col, width in enumerate(self.widths):
            self.worksheet.set_column(col, col, width)


@dataclass(frozen=True)
class SheetResult:
    """What ``write_sheet`` wrote: the worksheet, the number of data rows
    and the sums of the totalled columns (by key)."""

    worksheet: object
    row_count: int
    sums: dict


def write_sheet(
    workbook,
    sheet_name: str,
    columns: Iterable[Column],
    rows: Iterable[dict],
    title: str | None = None,
    total_label: str | None = None,
    landscape: bool = True,
) -> SheetResult:
    """Add the sheet ``sheet_name`` to an ``xlsxwriter.Workbook`` and write
    the register on it, strictly row after row.

    Row 1 holds ``title`` merged over the table (no title row without one),
    then the header row, then one row per dict of ``rows`` (a missing key
    gives an empty cell), then, when ``total_label`` is given, the totals row:
    the label in the first column and the total of each column that has one.
    The header row is frozen and filtered; widths fit the values written
    (set last, which xlsxwriter allows in constant-memory mode); the sheet is
    printed on A4, landscape unless said otherwise, one page wide, the
    header repeated on each page.

    Raise XlsxRegisterError: ('missing_header', key=), ('bad_kind', kind=),
    ('duplicate_column', key=) for bad columns; ('not_a_number', key=,
    value=) for text in a number column; ('bad_date', field=, value=) for a
    date column holding something else; ('aware_datetime', key=) for a
    datetime with a time zone (convert it to the reader's local time first).
    """
    columns = check_columns(columns)
    if not columns:
        raise XlsxRegisterError("missing_header", key="")
    formats = _formats(workbook)
    worksheet = workbook.add_worksheet(sheet_name)
    writer = _SheetWriter(workbook, worksheet, columns, formats)
    last_col = len(columns) - 1
    header_row = 0
    if title:
        if last_col:
            worksheet.merge_range(0, 0, 0, last_col, "", formats["title"])
        worksheet.write_string(0, 0, str(title), formats["title"])
        worksheet.set_row(0, 28)
        header_row = 1
    worksheet.set_row(header_row, 32)
    for col, column in enumerate(columns):
        worksheet.write_string(header_row, col, str(column.header), formats["header"])
    row = header_row
    for row, values in enumerate(rows, start=header_row + 1):
        writer.write_row(row, values)
    row_count = row - header_row
    if total_label is not None:
        writer.write_totals(row + 1, total_label)
    writer.set_widths()
    worksheet.freeze_panes(header_row + 1, 0)
    worksheet.autofilter(header_row, 0, max(row, header_row), last_col)
    if landscape:
        worksheet.set_landscape()
    worksheet.set_paper(A4_PAPER)
    worksheet.fit_to_pages(1, 0)
    worksheet.repeat_rows(0, header_row)
    return SheetResult(worksheet, row_count, dict(writer.sums))


def share(part_key: str, whole_key: str) -> Callable[[dict], float | None]:
    """A total for a percent column: the sum of ``part_key`` over the sum of
    ``whole_key`` (None when the whole is 0)."""

    def total(sums: dict):
        whole = sums.get(whole_key) or 0
        return (sums.get(part_key) or 0) / whole if whole else None

    return total


def ratio(part, whole) -> float | None:
    """``part`` / ``whole`` as a fraction for a percent cell; None when the
    whole is 0 (an empty cell rather than a division by zero)."""
    return part / whole if whole else None
