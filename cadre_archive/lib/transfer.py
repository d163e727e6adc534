# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Plain computations of a dossier transfer (转递).

- the counts printed on the transfer notice (转递通知单): materials and pages
  of the original (正本) and the duplicate (副本);
- the date the receipt (回执) is due: the date sent plus whole months;
- the check of a received dossier against the sender's notice: what was
  expected, received, missing or extra;
- whether the person carrying the dossier is one of the cadres sent (a dossier
  never travels with its cadre).
"""

import calendar
import datetime
import re
from dataclasses import dataclass

COPY_TYPES = ("original", "duplicate")
ITEM_KINDS = ("expected", "extra")
ITEM_STATES = ("pending", "received", "missing")


@dataclass(frozen=True)
class CopyCounts:
    """Materials and pages of the original (正本) and the duplicate (副本)."""

    original_count: int = 0
    original_pages: int = 0
    duplicate_count: int = 0
    duplicate_pages: int = 0

    def as_dict(self):
        return {
            "original_count": self.original_count,
            "original_pages": self.original_pages,
            "duplicate_count": self.duplicate_count,
            "duplicate_pages": self.duplicate_pages,
        }

    @property
    def total_count(self):
        return self.original_count + self.duplicate_count

    @property
    def total_pages(self):
        return self.original_pages + self.duplicate_pages


def copy_counts(copy_type, page_counts):
    """The notice's counts of one dossier: ``copy_type`` ("original" or
    "duplicate") says which column its materials go to; ``page_counts`` is
    the page count of each of its filed materials."""
    if copy_type not in COPY_TYPES:
        raise ValueError(f"unknown copy type {copy_type!r}")
    pages = [int(count or 0) for count in page_counts]
    if copy_type == "original":
        return CopyCounts(original_count=len(pages), original_pages=sum(pages))
    return CopyCounts(duplicate_count=len(pages), duplicate_pages=sum(pages))


def add_months(day, months):
    """``day`` plus ``months`` calendar months; a day the target month lacks
    becomes its last day (31 January + 1 month = 28 or 29 February)."""
    if months < 0:
        raise ValueError("months must not be negative")
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last))


def receipt_due(date_sent, months):
    """The date the receipt (回执) must be back: ``months`` after sending
    (at least one month: the regulations' one month is the default)."""
    return add_months(date_sent, max(int(months or 0), 1))


def is_overdue(due, today):
    """A receipt is overdue the day after its due date."""
    return bool(due) and today > due


@dataclass(frozen=True)
class CheckItem:
    """One material of a received dossier, as checked on arrival: expected
    (on the sender's notice) or extra (received but not on it); pending,
    received or missing."""

    kind: str
    state: str
    page_count: int = 0


@dataclass(frozen=True)
class CheckSummary:
    expected: int
    received: int
    missing: int
    extra: int
    pending: int
    pages_received: int
    pages_missing: int

    @property
    def discrepancies(self):
        """Missing plus extra materials."""
        return self.missing + self.extra

    @property
    def complete(self):
        """Every expected material has been checked."""
        return self.pending == 0


def check_summary(items):
    """Count the check of a received dossier: every ``CheckItem`` of it."""
    expected = received = missing = extra = pending = 0
    pages_received = pages_missing = 0
    for item in items:
        if item.kind not in ITEM_KINDS or item.state not in ITEM_STATES:
            raise ValueError(f"unknown check item {item!r}")
        pages = int(item.page_count or 0)
        if item.kind == "extra":
            extra += 1
            pages_received += pages
            continue
        expected += 1
        if item.state == "received":
            received += 1
            pages_received += pages
        elif item.state == "missing":
            missing += 1
            pages_missing += pages
        else:
            pending += 1
    return CheckSummary(
        expected=expected,
        received=received,
        missing=missing,
        extra=extra,
        pending=pending,
        pages_received=pages_received,
        pages_missing=pages_missing,
    )


def declared_differences(declared, summary):
    """What differs between the counts declared on the sender's notice
    (``declared``: CopyCounts) and what arrived (``summary``): a dict of
    "count" and "pages" to ``(declared, received)``, only for those that
    differ."""
    differences = {}
    received_count = summary.received + summary.extra
    if declared.total_count != received_count:
        differences["count"] = (declared.total_count, received_count)
    if declared.total_pages != summary.pages_received:
        differences["pages"] = (declared.total_pages, summary.pages_received)
    return differences


def normalize_name(name):
    """A person's name as compared: without spaces (catalogs pad names with
    them: 张  三) and case-insensitive."""
    return re.sub(r"\s+", "", name or "").casefold()


def normalize_id_number(number):
    """An identity number as compared: without spaces, the final x upper-case."""
    return re.sub(r"\s+", "", number or "").upper()


def courier_is_cadre(courier_name, courier_id, cadres):
    """Whether the person carrying the dossiers is one of the cadres sent:
    ``cadres`` is a list of ``(name, id_number)``. The same identity number
    decides; without numbers to compare, the same name does."""
    name = normalize_name(courier_name)
    number = normalize_id_number(courier_id)
    for cadre_name, cadre_id in cadres:
        cadre_number = normalize_id_number(cadre_id)
        if number and cadre_number:
            if number == cadre_number:
                return True
            continue
        if name and name == normalize_name(cadre_name):
            return True
    return False
