"""Consultation periods of archive requests.

A request asks for access from ``date_start`` to ``date_end``, both included,
as calendar days of the archive.  Approved, it opens the archive from 00:00
of the first day to 24:00 of the last day in the archive's time zone (fixed
at approval, never the requester's own); the server compares that window, in
naive UTC datetimes (as Odoo stores them), with the current time.
"""

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from .errors import ArchiveLibError


class PeriodError(ArchiveLibError):
    """A consultation period is inverted, in the past, too long or unplaceable."""


def _check_date(value, name: str) -> None:
    """Raise PeriodError('bad_date') unless ``value`` is a date (not a datetime)."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise PeriodError("bad_date", field=name, value=value)


def _check_order(date_start: date, date_end: date) -> None:
    """Check both dates; raise PeriodError('end_before_start') if inverted."""
    _check_date(date_start, "date_start")
    _check_date(date_end, "date_end")
    if date_end < date_start:
        raise PeriodError("end_before_start", date_start=date_start, date_end=date_end)


def zone(tz_name: str | None) -> ZoneInfo:
    """Return the time zone named ``tz_name``; UTC when it is not set.

    Not set is None, False (an empty Odoo field) or ''.  Raise
    PeriodError('bad_timezone', tz=) for anything else that is not the name
    of an IANA time zone (names are case-sensitive: 'utc' is refused).
    """
    if tz_name is None or tz_name is False or tz_name == "":
        return ZoneInfo("UTC")
    if not isinstance(tz_name, str):
        raise PeriodError("bad_timezone", tz=tz_name)
    try:
        return ZoneInfo(tz_name)
    except (KeyError, ValueError, OSError) as exc:
        raise PeriodError("bad_timezone", tz=tz_name) from exc


def _naive_utc(day: date, tz: ZoneInfo) -> datetime:
    """Return the first instant of ``day`` in ``tz`` as a naive UTC datetime.

    When midnight does not exist (a DST jump at 00:00) this is the instant
    the day really starts, e.g. 01:00 new time.
    """
    local = datetime.combine(day, time.min, tzinfo=tz)
    return local.astimezone(timezone.utc).replace(tzinfo=None)


def today_in(tz_name: str | None, now: datetime | None = None) -> date:
    """Return the calendar date in ``tz_name`` at ``now`` (aware; default: now)."""
    now = now or datetime.now(timezone.utc)
    if now.tzinfo is None:
        raise PeriodError("bad_date", field="now", value=now)
    return now.astimezone(zone(tz_name)).date()


def access_window(
    date_start: date, date_end: date, tz_name: str | None
) -> tuple[datetime, datetime]:
    """Return the naive-UTC [start, end) of access for the period in ``tz_name``.

    Start is 00:00 of ``date_start``, end is 24:00 of ``date_end`` (00:00 of
    the next day), both in the requester's time zone.  Raise
    PeriodError('bad_date') for a date at the end of the calendar
    (9999-12-31), whose next day, or its instant in UTC, does not exist.
    """
    _check_order(date_start, date_end)
    tz = zone(tz_name)
    try:
        return _naive_utc(date_start, tz), _naive_utc(date_end + timedelta(days=1), tz)
    except OverflowError:
        raise PeriodError("bad_date", field="date_end", value=date_end) from None


def period_days(date_start: date, date_end: date) -> int:
    """Return the number of days of the period, both ends included."""
    _check_order(date_start, date_end)
    return (date_end - date_start).days + 1


def check_period(date_start: date, date_end: date, today: date, max_days: int) -> None:
    """Check a requested period against ``today`` and the longest allowed one.

    Raise PeriodError, in this order: 'end_before_start', 'in_the_past'
    (``date_end`` before ``today``), 'start_in_the_past' (``date_start``
    before ``today``), 'too_long' (more than ``max_days`` days), or
    'bad_max_days' when ``max_days`` is not a positive integer.
    """
    _check_order(date_start, date_end)
    _check_date(today, "today")
    if isinstance(max_days, bool) or not isinstance(max_days, int) or max_days < 1:
        raise PeriodError("bad_max_days", max=max_days)
    if date_end < today:
        raise PeriodError("in_the_past", date_end=date_end, today=today)
    if date_start < today:
        raise PeriodError("start_in_the_past", date_start=date_start, today=today)
    days = period_days(date_start, date_end)
    if days > max_days:
        raise PeriodError("too_long", days=days, max=max_days)


def is_narrower(inner: tuple[date, date], outer: tuple[date, date]) -> bool:
    """Return whether period ``inner`` lies within ``outer`` (equal counts).

    Both are (date_start, date_end); raise PeriodError if one is inverted.
    """
    inner_start, inner_end = inner
    outer_start, outer_end = outer
    _check_order(inner_start, inner_end)
    _check_order(outer_start, outer_end)
    return outer_start <= inner_start and inner_end <= outer_end
