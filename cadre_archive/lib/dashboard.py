"""The ages of the requests waiting for a decision, for the manager's dashboard.

A request's age is counted in calendar days of the user's time zone, from the
day it was submitted to today: submitted today is 0 days old, yesterday 1.
The dashboard sorts the waiting requests into bands of age (by default under
3 days, 3 to 7 days, over 7 days); each band is a half-open range of
submission instants [start, end) in naive UTC, as Odoo stores datetimes, so
that a band's domain and its count are the same query.
"""

from datetime import date, datetime, timedelta

from .period import _check_date, _naive_utc, zone

# (key, youngest age in days, oldest age in days or None for no limit)
DEFAULT_AGE_BANDS = (
    ("fresh", 0, 2),
    ("waiting", 3, 7),
    ("late", 8, None),
)


def age_in_days(submitted: datetime, today: date, tz_name: str | None) -> int:
    """Return the age in calendar days of ``submitted`` (naive UTC) on ``today``."""
    _check_date(today, "today")
    tz = zone(tz_name)
    local = submitted.replace(tzinfo=zone("UTC")).astimezone(tz).date()
    return (today - local).days


def age_band_bounds(
    youngest: int, oldest: int | None, today: date, tz_name: str | None
) -> tuple[datetime | None, datetime]:
    """Return the naive-UTC [start, end) of submissions aged ``youngest`` to
    ``oldest`` days (both included) on ``today``; start is None when the band
    has no upper age (``oldest`` None).

    A submission aged ``n`` days happened on the day ``today - n``: the band
    runs from 00:00 of ``today - oldest`` to 24:00 of ``today - youngest``.
    """
    _check_date(today, "today")
    tz = zone(tz_name)
    end = _naive_utc(today - timedelta(days=youngest - 1), tz)
    if oldest is None:
        return None, end
    return _naive_utc(today - timedelta(days=oldest), tz), end


def age_bands(
    today: date, tz_name: str | None, bands=DEFAULT_AGE_BANDS
) -> list[tuple[str, datetime | None, datetime]]:
    """Return ``(key, start, end)`` for each band of ``bands`` on ``today``."""
    return [
        (key, *age_band_bounds(youngest, oldest, today, tz_name))
        for key, youngest, oldest in bands
    ]
