"""The annual statistics return (年度统计) of a personnel archive.

Each year the archive reports, per unit and in total, what it holds at the
end of the year and what it did during it: dossiers held by kind (正本,
副本) and of them lent out, dossiers opened, received by transfer and
transferred out, materials collected (batches of the collection register)
and filed, consultations and lendings (counted per dossier: 卷次), pages
digitized. The Odoo layer reads the records as the user and hands the facts
over as (unit, item, count); this module decides which facts count for the
year and adds them up.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from .errors import ArchiveLibError

# the items of the return, in the order of its columns
ITEMS = (
    "held_original",
    "held_duplicate",
    "held_lent",
    "opened",
    "received_in",
    "transferred_out",
    "batches",
    "materials_collected",
    "pages_collected",
    "materials_filed",
    "pages_filed",
    "consultations",
    "lendings",
    "pages_digitized",
)
FIRST_YEAR = 1949
LAST_YEAR = 9998


class AnnualReturnError(ArchiveLibError):
    """The return cannot be made as asked."""


def year_bounds(year) -> tuple[date, date]:
    """The first and last day of ``year``; AnnualReturnError('bad_year',
    year=) for anything but a whole year from 1949."""
    if (
        isinstance(year, bool)
        or not isinstance(year, int)
        or not FIRST_YEAR <= year <= LAST_YEAR
    ):
        raise AnnualReturnError("bad_year", year=year)
    return date(year, 1, 1), date(year, 12, 31)


def in_year(day: date | None, year: int) -> bool:
    """Whether ``day`` falls in ``year`` (no day, None or False: no)."""
    first, last = year_bounds(year)
    return bool(day) and first <= day <= last


def held_at(day: date, opened: date | None, left: date | None) -> bool:
    """Whether a dossier opened on ``opened`` and gone on ``left`` (sent out:
    None while it stays) is held at the end of ``day``. A dossier without an
    opening day is not counted: the return only counts what it can date.
    No day is None or False (an empty date of Odoo)."""
    if not opened or opened > day:
        return False
    return not left or left > day


def out_at(day: date, date_out: date | None, date_returned: date | None) -> bool:
    """Whether a paper file handed out on ``date_out`` and back on
    ``date_returned`` (None or False while out) is out at the end of ``day``."""
    if not date_out or date_out > day:
        return False
    return not date_returned or date_returned > day


@dataclass
class AnnualReturn:
    """The return: ``units`` as (unit, counts by item) sorted by unit, and
    ``total``, the counts of every unit added up."""

    year: int
    units: list = field(default_factory=list)
    total: dict = field(default_factory=dict)


def tabulate(year: int, facts: Iterable[tuple[str, str, int]]) -> AnnualReturn:
    """Add up ``facts``, each (unit, item, count), per unit and in total.

    Every item of ITEMS appears in each unit's counts and in the total (0
    when nothing was counted). A unit with facts only of count 0 still gets
    its row. Raise AnnualReturnError('unknown_item', item=) for an item not
    in ITEMS and ('bad_count', item=, count=) for a negative or non-whole
    count; ('bad_year') as year_bounds does.
    """
    year_bounds(year)
    by_unit: dict[str, dict[str, int]] = {}
    total = dict.fromkeys(ITEMS, 0)
    for unit, item, count in facts:
        if item not in total:
            raise AnnualReturnError("unknown_item", item=item)
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise AnnualReturnError("bad_count", item=item, count=count)
        counts = by_unit.setdefault(unit, dict.fromkeys(ITEMS, 0))
        counts[item] += count
        total[item] += count
    return AnnualReturn(year, sorted(by_unit.items()), total)


def held_facts(
    day: date, dossiers: Iterable[tuple[str, str, date | None, date | None]]
) -> list[tuple[str, str, int]]:
    """The facts of the dossiers held at the end of ``day``: for each dossier
    (unit, kind, opened, left), kind ``original`` or ``duplicate``, one fact
    ``held_original`` or ``held_duplicate`` when it is held."""
    facts = []
    for unit, kind, opened, left in dossiers:
        if held_at(day, opened, left):
            item = "held_duplicate" if kind == "duplicate" else "held_original"
            facts.append((unit, item, 1))
    return facts
