import datetime

import pytest
from cadre_archive_lib.dashboard import (
    DEFAULT_AGE_BANDS,
    age_band_bounds,
    age_bands,
    age_in_days,
)
from cadre_archive_lib.period import PeriodError

D = datetime.date
DT = datetime.datetime
TODAY = D(2026, 3, 10)
SHANGHAI = "Asia/Shanghai"


def band_of(submitted, today=TODAY, tz=SHANGHAI):
    """The key of the band holding ``submitted``, by the bounds."""
    keys = [
        key
        for key, start, end in age_bands(today, tz)
        if (start is None or start <= submitted) and submitted < end
    ]
    assert len(keys) == 1, keys
    return keys[0]


def test_age_counts_calendar_days_in_the_time_zone():
    # 2026-03-09 17:00 UTC is already 2026-03-10 01:00 in Shanghai: today
    assert age_in_days(DT(2026, 3, 9, 17, 0), TODAY, SHANGHAI) == 0
    assert age_in_days(DT(2026, 3, 9, 15, 59), TODAY, SHANGHAI) == 1
    assert age_in_days(DT(2026, 3, 9, 17, 0), TODAY, "UTC") == 1


def test_bands_cover_every_age_once_and_agree_with_the_age():
    for hours in range(0, 24 * 12):
        submitted = DT(2026, 3, 10, 15, 59) - datetime.timedelta(hours=hours)
        age = age_in_days(submitted, TODAY, SHANGHAI)
        expected = "fresh" if age < 3 else "waiting" if age <= 7 else "late"
        assert band_of(submitted) == expected, (submitted, age)


def test_three_days_old_is_no_longer_fresh():
    # submitted on the 7th, 00:00 Shanghai: three calendar days ago
    three_days = DT(2026, 3, 6, 16, 0)
    assert age_in_days(three_days, TODAY, SHANGHAI) == 3
    assert band_of(three_days) == "waiting"
    assert band_of(three_days + datetime.timedelta(days=1)) == "fresh"
    assert band_of(three_days - datetime.timedelta(seconds=1)) == "waiting"


def test_eight_days_old_is_late_seven_is_not():
    start_of_7_days = DT(2026, 3, 2, 16, 0)  # 2026-03-03 00:00 Shanghai
    assert band_of(start_of_7_days) == "waiting"
    assert band_of(start_of_7_days - datetime.timedelta(seconds=1)) == "late"


def test_bounds_are_naive_utc_midnights():
    start, end = age_band_bounds(3, 7, TODAY, SHANGHAI)
    assert (start, end) == (DT(2026, 3, 2, 16, 0), DT(2026, 3, 7, 16, 0))
    assert start.tzinfo is None and end.tzinfo is None
    assert age_band_bounds(8, None, TODAY, SHANGHAI) == (None, DT(2026, 3, 2, 16, 0))
    # today's band ends at the end of today
    assert age_band_bounds(0, 2, TODAY, "UTC") == (
        DT(2026, 3, 8, 0, 0),
        DT(2026, 3, 11, 0, 0),
    )


def test_default_bands_are_contiguous():
    for (_key, _young, old), (_next, young, _old) in zip(
        DEFAULT_AGE_BANDS, DEFAULT_AGE_BANDS[1:], strict=False
    ):
        assert young == old + 1


def test_today_must_be_a_date():
    with pytest.raises(PeriodError):
        age_band_bounds(0, 2, DT(2026, 3, 10, 0, 0), SHANGHAI)
    with pytest.raises(PeriodError):
        age_in_days(DT(2026, 3, 10), DT(2026, 3, 10), SHANGHAI)
