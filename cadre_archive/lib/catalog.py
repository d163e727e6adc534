"""The dossier catalog (目录): per category 序号, 材料名称, 形成时间, 页数, 备注."""

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from .errors import NumberingError
from .numbering import category_sort_key, material_code
from .partial_date import PartialDate


@dataclass(frozen=True)
class CatalogCategory:
    """A (leaf) category of the catalog, e.g. 4-1 学历学位 under 4."""

    code: str
    name: str
    parent_code: str | None = None
    parent_name: str | None = None


@dataclass(frozen=True)
class CatalogMaterial:
    """A filed material as the catalog needs it."""

    category_code: str
    number: int
    title: str
    date: PartialDate | None
    page_count: int
    remarks: str = ""


@dataclass(frozen=True)
class CatalogRow:
    """One printed catalog line."""

    number: int
    code: str
    title: str
    year: str
    month: str
    day: str
    page_count: int
    remarks: str


@dataclass(frozen=True)
class CatalogSection:
    """The catalog lines of one category."""

    code: str
    name: str
    parent_code: str | None
    parent_name: str | None
    rows: tuple[CatalogRow, ...]

    @property
    def page_count(self) -> int:
        """Return the number of pages of all materials of the section."""
        return sum(row.page_count for row in self.rows)


def _index_categories(
    categories: Iterable[CatalogCategory],
) -> dict[str, CatalogCategory]:
    index = {}
    for category in categories:
        category_sort_key(category.code)
        if category.code in index:
            raise NumberingError("duplicate_category", code=category.code)
        index[category.code] = category
    return index


def _group_materials(
    index: dict[str, CatalogCategory], materials: Iterable[CatalogMaterial]
) -> dict[str, list[CatalogMaterial]]:
    grouped = {code: [] for code in index}
    for material in materials:
        if material.category_code not in grouped:
            raise NumberingError("unknown_category", code=material.category_code)
        grouped[material.category_code].append(material)
    return grouped


def _row(material: CatalogMaterial) -> CatalogRow:
    year, month, day = material.date.parts() if material.date else ("", "", "")
    return CatalogRow(
        number=material.number,
        code=material_code(material.category_code, material.number),
        title=material.title,
        year=year,
        month=month,
        day=day,
        page_count=material.page_count,
        remarks=material.remarks,
    )


def _rows(materials: list[CatalogMaterial]) -> tuple[CatalogRow, ...]:
    rows = tuple(sorted((_row(m) for m in materials), key=lambda row: row.number))
    for previous, row in pairwise(rows):
        if previous.number == row.number:
            raise NumberingError("duplicate_material", code=row.code)
    return rows


def build_catalog(
    categories: Iterable[CatalogCategory], materials: Iterable[CatalogMaterial]
) -> list[CatalogSection]:
    """Return one section per category in official order, rows sorted by number."""
    index = _index_categories(categories)
    grouped = _group_materials(index, materials)
    return [
        CatalogSection(
            code=code,
            name=index[code].name,
            parent_code=index[code].parent_code,
            parent_name=index[code].parent_name,
            rows=_rows(grouped[code]),
        )
        for code in sorted(index, key=category_sort_key)
    ]


def catalog_totals(sections: Iterable[CatalogSection]) -> tuple[int, int]:
    """Return (number of materials, number of pages) over all sections."""
    sections = list(sections)
    return (
        sum(len(section.rows) for section in sections),
        sum(section.page_count for section in sections),
    )
