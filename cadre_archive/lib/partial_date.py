"""Partial dates: a formation date (形成时间) known to the year, month or day."""

import calendar
import datetime
import re
import unicodedata
from dataclasses import dataclass

from .errors import PartialDateError

MIN_YEAR = 1900
MAX_YEAR = 2100
MONTHS_PER_YEAR = 12
PRECISIONS = ("year", "month", "day")

# Chinese digits used in years (一九八五, 二〇〇一, 二零零一; ○ is a common typo).
CN_DIGITS = {
    "〇": 0,
    "\u25cb": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_TEN = "十"
_CN_DIGIT_CHARS = "".join(CN_DIGITS)
_CN_NUMBER_CHARS = "一二三四五六七八九十"
# Dashes that NFKC leaves alone but people type between year and month.
_DASHES = str.maketrans(
    dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-")
)

_YEAR = rf"[0-9]{{4}}|[{_CN_DIGIT_CHARS}]{{4}}"
_MONTH_DAY = rf"[0-9]{{1,2}}|[{_CN_NUMBER_CHARS}]{{1,3}}"
# name -> regex body with the groups <name>_y, <name>_m and <name>_d
_FORMATS = {
    "sep": (
        r"(?P<sep_y>[0-9]{4})(?P<sep_s>[-./])(?P<sep_m>[0-9]{1,2})"
        r"(?:(?P=sep_s)(?P<sep_d>[0-9]{1,2}))?(?![0-9])"
    ),
    "cn": (
        rf"(?P<cn_y>{_YEAR})\s*年"
        rf"(?:\s*(?P<cn_m>{_MONTH_DAY})\s*月(?:\s*(?P<cn_d>{_MONTH_DAY})\s*[日号])?)?"
    ),
    "compact": (
        r"(?P<compact_y>[0-9]{4})(?P<compact_m>[0-9]{2})"
        r"(?P<compact_d>[0-9]{2})?(?![0-9])"
    ),
    "year": r"(?P<year_y>[0-9]{4})(?![0-9])",
}
_DATE_RE = re.compile(
    rf"(?<![0-9{_CN_DIGIT_CHARS}])(?:"
    + "|".join(f"(?P<{name}>{body})" for name, body in _FORMATS.items())
    + ")"
)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_valid(year, month, day) -> bool:
    if not _is_int(year) or not MIN_YEAR <= year <= MAX_YEAR:
        return False
    if month is None:
        return day is None
    if not _is_int(month) or not 1 <= month <= MONTHS_PER_YEAR:
        return False
    if day is None:
        return True
    return _is_int(day) and 1 <= day <= calendar.monthrange(year, month)[1]


@dataclass(frozen=True, order=False)
class PartialDate:
    """A date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self):
        if not _is_valid(self.year, self.month, self.day):
            raise PartialDateError(
                "invalid", year=self.year, month=self.month, day=self.day
            )

    @property
    def precision(self) -> str:
        """Return 'year', 'month' or 'day'."""
        if self.month is None:
            return "year"
        return "month" if self.day is None else "day"

    def first_day(self) -> datetime.date:
        """Return the earliest day this date may denote."""
        return datetime.date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> datetime.date:
        """Return the latest day this date may denote."""
        month = self.month or MONTHS_PER_YEAR
        day = self.day or calendar.monthrange(self.year, month)[1]
        return datetime.date(self.year, month, day)

    def sort_key(self) -> tuple[int, int, int]:
        """Return a key sorting a year before its months and a month before its days."""
        return (self.year, self.month or 0, self.day or 0)

    def parts(self) -> tuple[str, str, str]:
        """Return the catalog columns 年, 月, 日: ("1985", "03", "")."""
        month = f"{self.month:02d}" if self.month else ""
        day = f"{self.day:02d}" if self.day else ""
        return (f"{self.year:04d}", month, day)

    def format(self, sep: str = ".") -> str:
        """Return "1985", "1985.03" or "1985.03.12" (with ``sep`` between parts)."""
        return sep.join(part for part in self.parts() if part)

    def format_cn(self) -> str:
        """Return "1985年", "1985年03月" or "1985年03月12日"."""
        return "".join(
            part + unit
            for part, unit in zip(self.parts(), "年月日", strict=True)
            if part
        )

    def is_future(self, today: datetime.date) -> bool:
        """Return True when even the earliest day it may denote is after ``today``."""
        if isinstance(today, datetime.datetime):
            today = today.date()
        return self.first_day() > today

    @classmethod
    def from_date(cls, d: datetime.date, precision: str) -> "PartialDate":
        """Cut a full date down to ``precision`` ('year', 'month' or 'day')."""
        if precision not in PRECISIONS:
            raise PartialDateError("bad_precision", precision=precision)
        month = d.month if precision != "year" else None
        day = d.day if precision == "day" else None
        return cls(d.year, month, day)


def _normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(_DASHES).strip()


def _year_value(text: str) -> int:
    if text.isascii():
        return int(text)
    return int("".join(str(CN_DIGITS[char]) for char in text))


def _cn_digit(text: str) -> int | None:
    """Return 1..9 for a single Chinese digit, None otherwise."""
    value = CN_DIGITS.get(text) if len(text) == 1 else None
    return value or None


def _cn_small_number(text: str) -> int | None:
    """Return the value of 一..九, 十, 十一, 二十, 三十一 ...; None when malformed."""
    if _CN_TEN not in text:
        return _cn_digit(text)
    tens, _, units = text.partition(_CN_TEN)
    tens_value = _cn_digit(tens) if tens else 1
    units_value = _cn_digit(units) if units else 0
    if tens_value is None or units_value is None:
        return None
    return tens_value * 10 + units_value


def _month_day_value(text: str | None) -> int | None:
    if text is None:
        return None
    if text.isascii():
        return int(text)
    value = _cn_small_number(text)
    if value is None:
        raise PartialDateError("unparsable")
    return value


def _date_from_match(match: re.Match) -> PartialDate:
    name = match.lastgroup
    groups = match.groupdict()
    return PartialDate(
        _year_value(groups[f"{name}_y"]),
        _month_day_value(groups.get(f"{name}_m")),
        _month_day_value(groups.get(f"{name}_d")),
    )


def parse(text: str) -> PartialDate:
    """Parse a formation date such as "1985.03", "1985年3月12日" or "一九八五年三月"."""
    match = _DATE_RE.fullmatch(_normalize(text)) if isinstance(text, str) else None
    if not match:
        raise PartialDateError("unparsable", text=text)
    try:
        return _date_from_match(match)
    except PartialDateError as exc:
        raise PartialDateError(exc.code, text=text, **exc.params) from None


def find_dates(text: str) -> list[PartialDate]:
    """Return the valid dates found in a free text (e.g. OCR output), in order."""
    found = []
    for match in _DATE_RE.finditer(_normalize(text or "")):
        try:
            found.append(_date_from_match(match))
        except PartialDateError:
            continue
    return found


_YEAR_RANGE_RE = re.compile(
    r"(?P<start>[0-9]{4})\s*(?:年)?\s*(?:(?:-|~|至|到|to)\s*(?P<end>[0-9]{4})\s*(?:年)?)?",
    re.IGNORECASE,
)


def parse_year_range(text: str) -> tuple[int, int] | None:
    """Return (first year, last year) of "1990", "1990-1995" or "1990年至1995年".

    The years are put in order; None when the text is no year or range of
    years between MIN_YEAR and MAX_YEAR.
    """
    match = (
        _YEAR_RANGE_RE.fullmatch(_normalize(text)) if isinstance(text, str) else None
    )
    if not match:
        return None
    start = int(match["start"])
    end = int(match["end"] or start)
    if not all(MIN_YEAR <= year <= MAX_YEAR for year in (start, end)):
        return None
    return min(start, end), max(start, end)
