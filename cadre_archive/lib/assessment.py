"""The assessment of an archive officer's work over a period (考核评估).

Plain computations, no Odoo: the bounds of a month, quarter or year; how a
metric's raw value (materials filed, mean hours to decide a request, share of
receipts back on time...) becomes a score out of 100; how the weighted
scores make the assessment's score; which incentive grade a score earns.

Periods are calendar days of the archive, in the archive's time zone (as
consultation periods are, see ``period``): a material filed at 23:59 on the
last day of March in Beijing counts for March, though it is 15:59 UTC; one
filed at 00:30 on 1 April in Beijing (16:30 UTC on 31 March) counts for April.
"""

import math
from collections.abc import Iterable
from datetime import date, datetime, timedelta, timezone

from .errors import ArchiveLibError
from .period import access_window, zone

PERIOD_KINDS = ("month", "quarter", "year")
DIRECTIONS = ("higher", "lower")
# grade codes, best first; a score at or above a threshold earns the grade
GRADES = ("excellent", "good", "pass", "improve")
DEFAULT_THRESHOLDS = (90.0, 80.0, 60.0)
MONTHS_IN = {"month": 1, "quarter": 3, "year": 12}


class AssessmentError(ArchiveLibError):
    """An assessment cannot be computed as asked (bad period, target or grades)."""


def _check_kind(kind: str) -> None:
    if kind not in PERIOD_KINDS:
        raise AssessmentError("bad_period_kind", kind=kind)


def _check_day(day) -> None:
    if isinstance(day, datetime) or not isinstance(day, date):
        raise AssessmentError("bad_period_day", day=day)


def period_bounds(kind: str, day: date) -> tuple[date, date]:
    """Return the first and last day of the month, quarter or year of ``day``."""
    _check_kind(kind)
    _check_day(day)
    if kind == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31)
    first_month = day.month if kind == "month" else 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, first_month, 1)
    next_month = first_month + MONTHS_IN[kind]
    if next_month > 12:
        following = date(day.year + 1, next_month - 12, 1)
    else:
        following = date(day.year, next_month, 1)
    return start, following - timedelta(days=1)


def period_label(kind: str, day: date) -> str:
    """A sortable label of the period of ``day``: 2026-03, 2026-Q1 or 2026."""
    start, _end = period_bounds(kind, day)
    if kind == "year":
        return f"{start.year}"
    if kind == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return f"{start.year}-{start.month:02d}"


def utc_window(date_start: date, date_end: date, tz_name) -> tuple[datetime, datetime]:
    """The period's naive-UTC [start, end): 00:00 of the first day to 24:00 of
    the last day in the archive's time zone ``tz_name`` (UTC when unset)."""
    return access_window(date_start, date_end, tz_name)


def scaled_target(target: float, kind: str, per_month: bool) -> float:
    """The target of a period: a monthly target times the months of the period
    when ``per_month``, else the target as it is (a share or a duration)."""
    _check_kind(kind)
    return target * MONTHS_IN[kind] if per_month else target


def normalise(raw, target: float, direction: str):
    """The score out of 100 of a raw value, or None when there is no value.

    ``higher`` is better: the score grows linearly from 0 to 100 at
    ``target`` and stays at 100 above it. ``lower`` is better: 100 at zero,
    falling linearly to 0 at ``target`` and staying at 0 beyond it.
    """
    if direction not in DIRECTIONS:
        raise AssessmentError("bad_direction", direction=direction)
    if not isinstance(target, (int, float)) or not math.isfinite(target):
        raise AssessmentError("bad_target", target=target)
    if target <= 0:
        raise AssessmentError("bad_target", target=target)
    if raw is None:
        return None
    if raw < 0:
        raise AssessmentError("negative_value", value=raw)
    ratio = min(raw / target, 1.0)
    score = ratio if direction == "higher" else 1.0 - ratio
    return round(score * 100.0, 2)


def weighted_scores(lines: Iterable[tuple]) -> tuple[list, float]:
    """Weigh the scores of the metrics.

    ``lines`` are (score or None, weight). A metric without a value (nothing
    to measure in the period, e.g. no request to decide) does not count: the
    weights of the others are spread over 100. Return the weighted score of
    each line (its share of the total; None for a line that does not count)
    and the total score, rounded to 2 decimals (0 when nothing counts).
    """
    lines = list(lines)
    for _score, weight in lines:
        if weight < 0:
            raise AssessmentError("negative_weight", weight=weight)
    counted = sum(weight for score, weight in lines if score is not None)
    if not counted:
        return [None if score is None else 0.0 for score, _w in lines], 0.0
    weighted = [
        None if score is None else round(score * weight / counted, 2)
        for score, weight in lines
    ]
    total = sum(score * weight for score, weight in lines if score is not None)
    return weighted, round(total / counted, 2)


def check_thresholds(thresholds) -> None:
    """Thresholds are (excellent, good, pass), each from 0 to 100, falling."""
    excellent, good, pass_ = thresholds
    if not 0 <= pass_ <= good <= excellent <= 100:
        raise AssessmentError(
            "bad_thresholds", excellent=excellent, good=good, passed=pass_
        )


def grade(score: float, thresholds=DEFAULT_THRESHOLDS) -> str:
    """The incentive grade of ``score``: excellent (优秀), good (良好), pass
    (合格) at or above their thresholds, else improve (待改进)."""
    check_thresholds(thresholds)
    for code, threshold in zip(GRADES, thresholds, strict=False):
        if score >= threshold:
            return code
    return "improve"


def share(on_time: int, total: int):
    """The percentage of ``on_time`` among ``total``; None when total is 0."""
    if total < 0 or on_time < 0 or on_time > total:
        raise AssessmentError("bad_share", on_time=on_time, total=total)
    if not total:
        return None
    return round(100.0 * on_time / total, 2)


def mean_hours(spans: Iterable[tuple]):
    """The mean length in hours of (start, end) datetimes; None when empty.
    A span without its start (an old record) is left out."""
    hours = [
        (end - start).total_seconds() / 3600.0
        for start, end in spans
        if start is not None and end is not None
    ]
    if not hours:
        return None
    return round(sum(hours) / len(hours), 2)


def local_date(moment: datetime, tz_name) -> date:
    """The calendar day, in the archive's time zone ``tz_name``, of a naive
    UTC datetime (as Odoo stores them)."""
    if not isinstance(moment, datetime) or moment.tzinfo is not None:
        raise AssessmentError("bad_period_day", day=moment)
    return moment.replace(tzinfo=timezone.utc).astimezone(zone(tz_name)).date()
