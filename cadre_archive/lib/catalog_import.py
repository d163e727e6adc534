"""The catalog import (目录导入): spreadsheets of an archive's paper catalogs.

Archives adopting the addon hold their catalogs (目录) in spreadsheets: one row
per material (sheet 「材料目录」) and, optionally, one row per dossier (sheet
「档案」) with its physical side (正本/副本, 库房-柜-格, status). A CSV file
holds material rows only.

This module reads such a file into plain rows, checks each cell and each row
(reporting the sheet, the row and the column of every problem as a coded
``Issue``), groups the rows by dossier and decides, against the materials a
dossier already holds, which rows are new and which were imported before. It
also writes the downloadable template. Nothing here knows Odoo: the Odoo layer
turns the codes into translated sentences.
"""

import csv
import datetime
import io
import re
import unicodedata
import zipfile
from collections.abc import Container, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

import openpyxl
import xlsxwriter

from . import numbering, partial_date
from .errors import ArchiveLibError

SHEET_MATERIALS = "材料目录"
SHEET_DOSSIERS = "档案"
SHEET_INSTRUCTIONS = "填写说明"

# A county archive of 3,000 dossiers has ~300,000 catalog rows: room for the
# largest archives, not for a file that would exhaust the server.
MAX_ROWS = 1_000_000
MAX_UNCOMPRESSED = 1024 * 1024 * 1024
HEADER_SEARCH_ROWS = 10
MAX_COLUMNS = 40

OFFICIAL_CATEGORY_CODES = (
    "1",
    "2",
    "3",
    "4",
    "4-1",
    "4-2",
    "4-3",
    "4-4",
    "5",
    "6",
    "7",
    "8",
    "9",
    "9-1",
    "9-2",
    "9-3",
    "9-4",
    "10",
)

ORIGINAL_KINDS = {
    "原件": "original",
    "原": "original",
    "original": "original",
    "复印件": "copy",
    "复印": "copy",
    "复制件": "copy",
    "copy": "copy",
}
COPY_TYPES = {
    "正本": "original",
    "original": "original",
    "副本": "duplicate",
    "duplicate": "duplicate",
}
DOSSIER_STATES = {
    "在库": "in_stock",
    "in stock": "in_stock",
    "in_stock": "in_stock",
    "借出": "lent",
    "lent": "lent",
    "转出": "transferred",
    "transferred": "transferred",
    "transferred out": "transferred",
}


class CatalogError(ArchiveLibError):
    """The catalog file, one of its cells or one of its rows is wrong."""


@dataclass(frozen=True)
class Column:
    """A column of a catalog sheet: its field, Chinese header and alternatives."""

    field: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    width: int = 12


MATERIAL_COLUMNS = (
    Column("archive_number", "档案号", ("档号", "archive number"), True, 12),
    Column("cadre_name", "姓名", ("name", "cadre", "cadre name"), True, 10),
    Column(
        "identifier",
        "身份证号/标识",
        ("身份证号", "身份证号码", "标识", "id number", "identifier"),
        False,
        20,
    ),
    Column("unit", "单位", ("unit",), False, 20),
    Column("category_code", "类号", ("类别号", "category", "category code"), True, 8),
    Column("number", "顺序号", ("序号", "份号", "number"), True, 8),
    Column("title", "材料名称", ("title", "material"), True, 30),
    Column("date", "形成时间", ("formation date", "date"), True, 12),
    Column("page_count", "页数", ("pages", "page count"), True, 6),
    Column("remarks", "备注", ("remarks", "note"), False, 16),
    Column(
        "original_kind",
        "原件/复印件",
        ("原件或复印件", "原件复印件", "original or copy"),
        False,
        10,
    ),
    Column("copy_date", "复印日期", ("copy date",), False, 12),
    Column("copy_unit", "复印单位", ("copying unit", "copy unit"), False, 16),
)

DOSSIER_COLUMNS = (
    Column("archive_number", "档案号", ("档号", "archive number"), True, 12),
    Column("cadre_name", "姓名", ("name", "cadre", "cadre name"), True, 10),
    Column(
        "identifier",
        "身份证号/标识",
        ("身份证号", "身份证号码", "标识", "id number", "identifier"),
        False,
        20,
    ),
    Column("unit", "单位", ("unit",), False, 20),
    Column("copy_type", "正本/副本", ("正本副本", "original or duplicate"), False, 10),
    Column("location_room", "库房", ("store room", "room"), False, 10),
    Column("location_cabinet", "柜", ("柜号", "cabinet"), False, 8),
    Column("location_cell", "格", ("格号", "cell"), False, 8),
    Column("state", "状态", ("status", "state"), False, 8),
)

SHEET_COLUMNS = {SHEET_MATERIALS: MATERIAL_COLUMNS, SHEET_DOSSIERS: DOSSIER_COLUMNS}
SHEET_ALIASES = {
    SHEET_MATERIALS: ("材料目录", "目录", "materials", "catalog"),
    SHEET_DOSSIERS: ("档案", "档案信息", "dossiers"),
}

EXAMPLE_MATERIAL_ROWS = (
    {
        "archive_number": "DA000001",
        "cadre_name": "张三",
        "identifier": "110101198503121234",
        "unit": "县委办公室",
        "category_code": "1",
        "number": 1,
        "title": "干部履历表",
        "date": "1985.03",
        "page_count": 4,
        "remarks": "",
        "original_kind": "原件",
    },
    {
        "archive_number": "DA000001",
        "cadre_name": "张三",
        "identifier": "110101198503121234",
        "unit": "县委办公室",
        "category_code": "4-1",
        "number": 1,
        "title": "大学本科毕业登记表",
        "date": "2007.06.30",
        "page_count": 2,
        "remarks": "",
        "original_kind": "复印件",
        "copy_date": "2010.05.20",
        "copy_unit": "某某大学档案馆",
    },
    {
        "archive_number": "DA000001",
        "cadre_name": "张三",
        "identifier": "110101198503121234",
        "unit": "县委办公室",
        "category_code": "9-2",
        "number": 1,
        "title": "干部任免审批表",
        "date": "2015",
        "page_count": 1,
        "remarks": "",
        "original_kind": "原件",
    },
)

EXAMPLE_DOSSIER_ROWS = (
    {
        "archive_number": "DA000001",
        "cadre_name": "张三",
        "identifier": "110101198503121234",
        "unit": "县委办公室",
        "copy_type": "正本",
        "location_room": "一号库房",
        "location_cabinet": "3",
        "location_cell": "2",
        "state": "在库",
    },
)


@dataclass(frozen=True)
class Issue:
    """One problem of the file, where it is and what it is (a coded error)."""

    sheet: str
    row: int
    column: str
    code: str
    params: dict = field(default_factory=dict)
    archive_number: str = ""
    severity: str = "error"


@dataclass(frozen=True, slots=True)
class MaterialRow:
    """One row of the material catalog, every cell checked."""

    sheet: str
    row: int
    archive_number: str
    cadre_name: str
    identifier: str
    unit: str
    category_code: str
    number: int
    title: str
    date: partial_date.PartialDate
    page_count: int
    remarks: str = ""
    original_kind: str = "original"
    copy_date: datetime.date | None = None
    copy_unit: str = ""

    @property
    def key(self) -> tuple[str, int]:
        return (self.category_code, self.number)


@dataclass(frozen=True, slots=True)
class DossierRow:
    """One row of the dossier sheet, every cell checked."""

    sheet: str
    row: int
    archive_number: str
    cadre_name: str
    identifier: str = ""
    unit: str = ""
    copy_type: str = ""
    location_room: str = ""
    location_cabinet: str = ""
    location_cell: str = ""
    state: str = ""


@dataclass
class Catalog:
    """What a catalog file holds: checked rows and the problems found."""

    material_rows: list[MaterialRow] = field(default_factory=list)
    dossier_rows: list[DossierRow] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    row_count: int = 0


@dataclass
class DossierGroup:
    """The rows of one dossier (one archive number) of the file."""

    archive_number: str
    cadre_name: str = ""
    identifier: str = ""
    unit: str = ""
    dossier_row: DossierRow | None = None
    materials: list[MaterialRow] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(issue.severity == "error" for issue in self.issues)


@dataclass(frozen=True)
class ExistingMaterial:
    """A material a dossier already holds: its title and whether it is filed."""

    title: str
    filed: bool


@dataclass
class MaterialPlan:
    """Which rows of a dossier are new, already imported or refused."""

    new: list[MaterialRow] = field(default_factory=list)
    already: list[MaterialRow] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)


# ----------------------------------------------------------------------
# Cells
# ----------------------------------------------------------------------
def _normalize_label(value) -> str:
    text = unicodedata.normalize("NFKC", str(value or ""))
    return re.sub(r"[\s　]+", "", text).lower()


def _text(value) -> str:
    """A cell as trimmed text ('' when empty); whole numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    return str(value).strip()


def _code_text(value) -> str:
    """A cell holding a code or a number: full-width digits and dashes folded."""
    return unicodedata.normalize("NFKC", _text(value)).strip()


def _positive_int(value, code: str) -> int:
    """A whole number of at least 1, from an int, a whole float or digits."""
    if isinstance(value, bool):
        raise CatalogError(code, value=value)
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        text = _code_text(value)
        if not text.isdigit() or not text.isascii():
            raise CatalogError(code, value=text)
        number = int(text)
    if number < 1:
        raise CatalogError(code, value=_text(value))
    return number


def parse_category_code(
    value, leaf_codes: Container[str], codes: Container[str]
) -> str:
    """Return a leaf category code from a cell ("4-1", 1, "1"); CatalogError else.

    A date cell is refused with its own code: spreadsheets turn 9-2 typed into
    a general cell into the 2nd of September.
    """
    if isinstance(value, datetime.date | datetime.datetime):
        raise CatalogError("category_is_date", value=_text(value))
    text = _code_text(value).replace("—", "-")
    try:
        numbering.category_sort_key(text)
    except ArchiveLibError:
        raise CatalogError("unknown_category", code=text) from None
    if text not in codes:
        raise CatalogError("unknown_category", code=text)
    if text not in leaf_codes:
        raise CatalogError("category_not_leaf", code=text)
    return text


def parse_number(value) -> int:
    """Return the 顺序号 written on the paper (a whole number of at least 1)."""
    return _positive_int(value, "bad_sequence_number")


def parse_page_count(value) -> int:
    """Return the page count (a whole number of at least 1)."""
    return _positive_int(value, "bad_page_count_cell")


def parse_date_cell(value) -> partial_date.PartialDate:
    """Return the formation date of a cell: text, a number or an Excel date.

    1985, 198503 and 19850312 typed as numbers are read as text; a number
    such as 1985.1 is refused: it may mean January or October.
    """
    if isinstance(value, datetime.datetime | datetime.date):
        day = value.date() if isinstance(value, datetime.datetime) else value
        return partial_date.PartialDate(day.year, day.month, day.day)
    if isinstance(value, float) and not value.is_integer():
        raise CatalogError("ambiguous_date", value=repr(value))
    try:
        return partial_date.parse(_text(value))
    except ArchiveLibError as error:
        raise CatalogError("bad_formation_date", text=_text(value)) from error


def parse_choice(value, choices: Mapping[str, str], code: str, default: str) -> str:
    """Return the value of ``choices`` named by the cell (``default`` if empty)."""
    text = _code_text(value)
    if not text:
        return default
    key = text.lower()
    if key not in choices:
        raise CatalogError(code, value=text)
    return choices[key]


def _parse_copy_date(value) -> datetime.date | None:
    if value in (None, ""):
        return None
    date = parse_date_cell(value)
    if date.precision != "day":
        raise CatalogError("copy_date_not_day", text=_text(value))
    return date.first_day()


# ----------------------------------------------------------------------
# Reading the file
# ----------------------------------------------------------------------
def is_xlsx(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def _check_xlsx_size(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise CatalogError("bad_catalog_file") from None
    if total > MAX_UNCOMPRESSED:
        raise CatalogError("catalog_too_large", size=total, max=MAX_UNCOMPRESSED)


def _sheet_kind(title: str) -> str | None:
    label = _normalize_label(title)
    for kind, aliases in SHEET_ALIASES.items():
        if label in {_normalize_label(alias) for alias in aliases}:
            return kind
    return None


def _xlsx_sheets(data: bytes) -> Iterator[tuple[str, str, Iterator[tuple]]]:
    """(kind, sheet title, rows) for each catalog sheet of a workbook."""
    _check_xlsx_size(data)
    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True
        )
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise CatalogError("bad_catalog_file") from error
    try:
        found = False
        for worksheet in workbook.worksheets:
            kind = _sheet_kind(worksheet.title)
            if kind is None:
                continue
            found = True
            rows = worksheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
            yield kind, worksheet.title, rows
        if not found:
            raise CatalogError("no_catalog_sheet", sheet=SHEET_MATERIALS)
    finally:
        workbook.close()


def decode_csv(data: bytes) -> str:
    """Return the text of a CSV file: UTF-8 (with or without BOM), else GB18030."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CatalogError("bad_encoding")


def _csv_rows(data: bytes) -> Iterator[tuple]:
    text = decode_csv(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max(",\t;", key=first_line.count) if first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row in reader:
            yield tuple(row[:MAX_COLUMNS])
    except csv.Error as error:
        # a cell above csv's field size limit (128 KiB): no catalog, a damaged file
        raise CatalogError("bad_catalog_file", line=reader.line_num) from error


def _header_map(values: tuple, columns: tuple[Column, ...]) -> dict[str, int]:
    """field -> column index, from a header row."""
    by_label = {}
    for column in columns:
        for label in (column.header, *column.aliases, column.field):
            by_label[_normalize_label(label)] = column.field
    found = {}
    for index, value in enumerate(values):
        name = by_label.get(_normalize_label(value))
        if name and name not in found:
            found[name] = index
    return found


def _find_header(rows: Iterator[tuple], columns, sheet):
    """Return (header map, header row number) from the first rows of a sheet."""
    required = {column.field for column in columns if column.required}
    best = {}
    for number, values in enumerate(rows, start=1):
        header = _header_map(values or (), columns)
        if required <= set(header):
            return header, number
        if len(header) > len(best):
            best = header
        if number >= HEADER_SEARCH_ROWS:
            break
    missing = [c.header for c in columns if c.required and c.field not in best]
    raise CatalogError("missing_columns", sheet=sheet, columns="、".join(missing))


def _is_empty(values: tuple) -> bool:
    return all(value is None or _text(value) == "" for value in values)


def read_catalog(
    data: bytes,
    leaf_codes: Iterable[str],
    codes: Iterable[str] | None = None,
    max_rows: int = MAX_ROWS,
    today: datetime.date | None = None,
) -> Catalog:
    """Read a catalog file (XLSX or CSV) into checked rows and issues.

    ``leaf_codes`` are the categories materials are filed in, ``codes`` every
    known category code (leaves and parents); formation dates after ``today``
    (when given) are refused. Raises ``CatalogError`` only
    when the file as a whole cannot be read; every problem of a row is an
    ``Issue`` of the returned catalog.
    """
    if not data:
        raise CatalogError("catalog_empty")
    leaf_codes = frozenset(leaf_codes)
    codes = frozenset(codes) if codes is not None else leaf_codes
    catalog = Catalog()
    reader = _RowReader(catalog, leaf_codes, codes, max_rows, today)
    if is_xlsx(data):
        for kind, title, rows in _xlsx_sheets(data):
            reader.read_sheet(kind, title, rows)
    else:
        reader.read_sheet(SHEET_MATERIALS, SHEET_MATERIALS, _csv_rows(data))
    _check_duplicate_numbers(catalog)
    return catalog


class _RowReader:
    """Turns the rows of the sheets into checked rows, collecting issues."""

    def __init__(self, catalog, leaf_codes, codes, max_rows, today=None):
        self.catalog = catalog
        self.today = today
        self.leaf_codes = leaf_codes
        self.codes = codes
        self.max_rows = max_rows
        self._strings = {}
        self._parsers = {
            SHEET_MATERIALS: {
                "category_code": self._category_code,
                "number": parse_number,
                "date": self._formation_date,
                "page_count": parse_page_count,
                "original_kind": lambda v: parse_choice(
                    v, ORIGINAL_KINDS, "bad_original_kind", "original"
                ),
                "copy_date": _parse_copy_date,
            },
            SHEET_DOSSIERS: {
                "copy_type": lambda v: parse_choice(v, COPY_TYPES, "bad_copy_type", ""),
                "state": lambda v: parse_choice(
                    v, DOSSIER_STATES, "bad_dossier_state", ""
                ),
            },
        }

    def _shared(self, text: str) -> str:
        """The same string object for equal cells (archive numbers, names)."""
        return self._strings.setdefault(text, text)

    def read_sheet(self, kind, title, rows):
        columns = SHEET_COLUMNS[kind]
        header, header_row = _find_header(rows, columns, title)
        parse = self._material_row if kind == SHEET_MATERIALS else self._dossier_row
        target = (
            self.catalog.material_rows
            if kind == SHEET_MATERIALS
            else self.catalog.dossier_rows
        )
        for number, values in enumerate(rows, start=header_row + 1):
            if _is_empty(values):
                continue
            self.catalog.row_count += 1
            if self.catalog.row_count > self.max_rows:
                raise CatalogError("too_many_rows", max=self.max_rows)
            cells = {
                name: values[index] if index < len(values) else None
                for name, index in header.items()
            }
            row = parse(title, number, cells, columns)
            if row is not None:
                target.append(row)

    def _checked_cells(self, sheet, number, cells, columns, parsers):
        """Parse each cell; return (values, issues)."""
        archive_number = self._shared(_text(cells.get("archive_number")))
        values, issues = {}, []
        for column in columns:
            raw = cells.get(column.field)
            if column.required and _text(raw) == "":
                issues.append(
                    Issue(
                        sheet,
                        number,
                        column.header,
                        "missing_cell",
                        {"column": column.header},
                        archive_number,
                    )
                )
                continue
            parser = parsers.get(column.field)
            try:
                values[column.field] = (
                    parser(raw) if parser else self._shared(_text(raw))
                )
            except CatalogError as error:
                issues.append(
                    Issue(
                        sheet,
                        number,
                        column.header,
                        error.code,
                        error.params,
                        archive_number,
                    )
                )
        return values, issues

    def _material_row(self, sheet, number, cells, columns):
        parsers = self._parsers[SHEET_MATERIALS]
        values, issues = self._checked_cells(sheet, number, cells, columns, parsers)
        self.catalog.issues.extend(issues)
        if issues:
            return None
        return MaterialRow(sheet=sheet, row=number, **values)

    def _category_code(self, value):
        return parse_category_code(value, self.leaf_codes, self.codes)

    def _formation_date(self, value):
        date = parse_date_cell(value)
        if self.today and date.is_future(self.today):
            raise CatalogError("future_date", text=date.format())
        return date

    def _dossier_row(self, sheet, number, cells, columns):
        parsers = self._parsers[SHEET_DOSSIERS]
        values, issues = self._checked_cells(sheet, number, cells, columns, parsers)
        self.catalog.issues.extend(issues)
        if issues:
            return None
        return DossierRow(sheet=sheet, row=number, **values)


def _check_duplicate_numbers(catalog: Catalog) -> None:
    """The same 类号 and 顺序号 twice for one archive number: both rows refused."""
    seen = {}
    kept = []
    duplicates = set()
    for row in catalog.material_rows:
        key = (row.archive_number, row.category_code, row.number)
        first = seen.setdefault(key, row)
        if first is not row:
            duplicates.add(key)
            catalog.issues.append(
                Issue(
                    row.sheet,
                    row.row,
                    "顺序号",
                    "duplicate_sequence_number",
                    {
                        "code": f"{row.category_code}-{row.number}",
                        "first_row": first.row,
                    },
                    row.archive_number,
                )
            )
    for row in catalog.material_rows:
        if (row.archive_number, row.category_code, row.number) not in duplicates:
            kept.append(row)
    catalog.material_rows = kept


# ----------------------------------------------------------------------
# Grouping by dossier
# ----------------------------------------------------------------------
def group_by_dossier(catalog: Catalog) -> dict[str, DossierGroup]:
    """Group the rows and issues of a catalog by archive number, in file order.

    A dossier whose rows disagree on the cadre (name or ID number) gets an
    issue: its rows cannot all be right. Issues of rows without an archive
    number belong to no dossier (key "").
    """
    groups: dict[str, DossierGroup] = {}

    def group_of(archive_number):
        return groups.setdefault(archive_number, DossierGroup(archive_number))

    for row in catalog.dossier_rows:
        group = group_of(row.archive_number)
        if group.dossier_row is not None:
            group.issues.append(
                Issue(
                    row.sheet,
                    row.row,
                    "档案号",
                    "duplicate_dossier_row",
                    {"first_row": group.dossier_row.row},
                    row.archive_number,
                )
            )
            continue
        group.dossier_row = row
        _take_cadre(group, row)
    for row in catalog.material_rows:
        group = group_of(row.archive_number)
        group.materials.append(row)
        _take_cadre(group, row)
    for issue in catalog.issues:
        group_of(issue.archive_number).issues.append(issue)
    return groups


def _take_cadre(group: DossierGroup, row) -> None:
    """Record the cadre of the dossier, or an issue if the row names another."""
    if not group.cadre_name:
        group.cadre_name = row.cadre_name
        group.identifier = row.identifier
        group.unit = row.unit
        return
    if row.cadre_name != group.cadre_name or (
        row.identifier and group.identifier and row.identifier != group.identifier
    ):
        group.issues.append(
            Issue(
                row.sheet,
                row.row,
                "姓名",
                "inconsistent_cadre",
                {"number": group.archive_number, "name": group.cadre_name},
                group.archive_number,
            )
        )
    group.identifier = group.identifier or row.identifier
    group.unit = group.unit or row.unit


# ----------------------------------------------------------------------
# Against what the dossier already holds
# ----------------------------------------------------------------------
def plan_materials(
    rows: Iterable[MaterialRow],
    existing: Mapping[tuple[str, int], ExistingMaterial],
) -> MaterialPlan:
    """Split a dossier's rows into new ones and ones imported before.

    ``existing`` maps (类号, 顺序号) to the material already in the dossier. A
    row naming the same number and title as a filed material was imported
    before; a number taken by another material is refused.
    """
    plan = MaterialPlan()
    for row in rows:
        current = existing.get(row.key)
        if current is None:
            plan.new.append(row)
        elif current.filed and _same_title(current.title, row.title):
            plan.already.append(row)
        else:
            plan.issues.append(
                Issue(
                    row.sheet,
                    row.row,
                    "顺序号",
                    "number_taken",
                    {
                        "code": f"{row.category_code}-{row.number}",
                        "title": current.title,
                    },
                    row.archive_number,
                )
            )
    return plan


def _same_title(left: str, right: str) -> bool:
    return _normalize_label(left) == _normalize_label(right)


# ----------------------------------------------------------------------
# Rows as plain data (kept between the dry run and the import)
# ----------------------------------------------------------------------
def material_to_dict(row: MaterialRow) -> dict:
    return {
        "sheet": row.sheet,
        "row": row.row,
        "archive_number": row.archive_number,
        "cadre_name": row.cadre_name,
        "identifier": row.identifier,
        "unit": row.unit,
        "category_code": row.category_code,
        "number": row.number,
        "title": row.title,
        "date": row.date.format(),
        "page_count": row.page_count,
        "remarks": row.remarks,
        "original_kind": row.original_kind,
        "copy_date": row.copy_date.isoformat() if row.copy_date else None,
        "copy_unit": row.copy_unit,
    }


def material_from_dict(values: Mapping) -> MaterialRow:
    copy_date = values.get("copy_date")
    return MaterialRow(
        **{
            **values,
            "date": partial_date.parse(values["date"]),
            "copy_date": datetime.date.fromisoformat(copy_date) if copy_date else None,
        }
    )


def dossier_to_dict(row: DossierRow) -> dict:
    return {name: getattr(row, name) for name in DossierRow.__slots__}


def dossier_from_dict(values: Mapping) -> DossierRow:
    return DossierRow(**values)


# ----------------------------------------------------------------------
# The template
# ----------------------------------------------------------------------
def _template_value(column: Column, row: Mapping):
    return row.get(column.field, "")


def write_template(
    instructions: Iterable[tuple[str, str]],
    examples: bool = True,
) -> bytes:
    """Return the XLSX template: the two catalog sheets and the instructions.

    ``instructions`` are (heading, text) pairs written on 「填写说明」 (the
    caller translates them). Every column is formatted as text, so that 9-2
    stays a category code and 19850312 a date as written.
    """
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    header = workbook.add_format(
        {"bold": True, "border": 1, "bg_color": "#D9E1F2", "align": "center"}
    )
    text = workbook.add_format({"num_format": "@"})
    sheets = (
        (SHEET_MATERIALS, MATERIAL_COLUMNS, EXAMPLE_MATERIAL_ROWS),
        (SHEET_DOSSIERS, DOSSIER_COLUMNS, EXAMPLE_DOSSIER_ROWS),
    )
    for title, columns, rows in sheets:
        sheet = workbook.add_worksheet(title)
        for index, column in enumerate(columns):
            sheet.set_column(index, index, column.width, text)
            sheet.write_string(0, index, column.header, header)
        sheet.freeze_panes(1, 0)
        for number, row in enumerate(rows if examples else (), start=1):
            for index, column in enumerate(columns):
                sheet.write_string(number, index, str(_template_value(column, row)))
    notes = workbook.add_worksheet(SHEET_INSTRUCTIONS)
    notes.set_column(0, 0, 18)
    notes.set_column(1, 1, 90)
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    for number, (heading, body) in enumerate(instructions):
        notes.write_string(number, 0, heading, header if number == 0 else wrap)
        notes.write_string(number, 1, body, header if number == 0 else wrap)
    workbook.close()
    return buffer.getvalue()
