import datetime

import pytest
from cadre_archive_lib.errors import ArchiveLibError
from cadre_archive_lib.period import (
    PeriodError,
    access_window,
    check_period,
    is_narrower,
    period_days,
    zone,
)

D = datetime.date
DT = datetime.datetime


def test_period_error_is_a_library_error():
    assert issubclass(PeriodError, ArchiveLibError)


# --------------------------------------------------------- access_window


def test_window_of_one_day_in_shanghai():
    start, end = access_window(D(2026, 3, 10), D(2026, 3, 10), "Asia/Shanghai")
    assert (start, end) == (DT(2026, 3, 9, 16, 0), DT(2026, 3, 10, 16, 0))
    assert start.tzinfo is None and end.tzinfo is None


def test_window_boundary_minutes_in_shanghai():
    start, end = access_window(D(2026, 3, 10), D(2026, 3, 10), "Asia/Shanghai")
    inside = [DT(2026, 3, 9, 16, 0), DT(2026, 3, 10, 15, 59, 59, 999999)]
    outside = [DT(2026, 3, 9, 15, 59), DT(2026, 3, 10, 16, 0)]
    assert all(start <= moment < end for moment in inside)
    assert not any(start <= moment < end for moment in outside)


@pytest.mark.parametrize("tz_name", [None, False, "", "UTC", "Etc/UTC"])
def test_window_in_utc(tz_name):
    assert access_window(D(2026, 1, 1), D(2026, 1, 31), tz_name) == (
        DT(2026, 1, 1),
        DT(2026, 2, 1),
    )


def test_window_across_the_spring_dst_change_in_paris():
    # 2026-03-29 02:00 CET -> 03:00 CEST: the window is one hour shorter
    start, end = access_window(D(2026, 3, 28), D(2026, 3, 29), "Europe/Paris")
    assert (start, end) == (DT(2026, 3, 27, 23, 0), DT(2026, 3, 29, 22, 0))
    assert end - start == datetime.timedelta(hours=47)


def test_window_across_the_autumn_dst_change_in_paris():
    # 2026-10-25 03:00 CEST -> 02:00 CET: the window is one hour longer
    start, end = access_window(D(2026, 10, 24), D(2026, 10, 25), "Europe/Paris")
    assert (start, end) == (DT(2026, 10, 23, 22, 0), DT(2026, 10, 25, 23, 0))
    assert end - start == datetime.timedelta(hours=49)


def test_window_west_of_utc():
    start, end = access_window(D(2026, 7, 1), D(2026, 7, 1), "America/New_York")
    assert (start, end) == (DT(2026, 7, 1, 4, 0), DT(2026, 7, 2, 4, 0))


def test_window_when_midnight_does_not_exist():
    # Chile moved clocks from 24:00 to 01:00 on 2026-09-06: the day starts at
    # 01:00 local, 04:00 UTC, which is also when 2026-09-05 ends.
    start, end = access_window(D(2026, 9, 5), D(2026, 9, 5), "America/Santiago")
    assert (start, end) == (DT(2026, 9, 5, 4, 0), DT(2026, 9, 6, 4, 0))
    start, _end = access_window(D(2026, 9, 6), D(2026, 9, 6), "America/Santiago")
    assert start == DT(2026, 9, 6, 4, 0)


def test_window_crosses_the_year():
    start, end = access_window(D(2026, 12, 31), D(2027, 1, 1), "Asia/Shanghai")
    assert (start, end) == (DT(2026, 12, 30, 16, 0), DT(2027, 1, 1, 16, 0))


@pytest.mark.parametrize(
    "tz_name",
    ["Nowhere/City", "utc", "Asia/Shanghai ", "Europe", "../etc/passwd", "/etc/x"],
)
def test_window_unknown_timezone(tz_name):
    with pytest.raises(PeriodError) as info:
        access_window(D(2026, 3, 10), D(2026, 3, 10), tz_name)
    assert info.value.code == "bad_timezone"
    assert info.value.params == {"tz": tz_name}


@pytest.mark.parametrize("tz_name", [8, True, b"Asia/Shanghai", ["UTC"]])
def test_window_timezone_that_is_not_a_string(tz_name):
    with pytest.raises(PeriodError) as info:
        access_window(D(2026, 3, 10), D(2026, 3, 10), tz_name)
    assert info.value.code == "bad_timezone"


def test_window_end_before_start():
    with pytest.raises(PeriodError) as info:
        access_window(D(2026, 3, 10), D(2026, 3, 9), "Asia/Shanghai")
    assert info.value.code == "end_before_start"


@pytest.mark.parametrize(
    "dates",
    [
        (DT(2026, 3, 10, 12, 0), D(2026, 3, 11)),
        (D(2026, 3, 10), "2026-03-11"),
        (None, D(2026, 3, 11)),
    ],
)
def test_window_wants_dates(dates):
    with pytest.raises(PeriodError) as info:
        access_window(*dates, "UTC")
    assert info.value.code == "bad_date"


def test_zone():
    assert zone("Asia/Shanghai").key == "Asia/Shanghai"
    assert zone(None).key == "UTC"


# ----------------------------------------------------------- period_days


@pytest.mark.parametrize(
    "start, end, days",
    [
        (D(2026, 3, 10), D(2026, 3, 10), 1),
        (D(2026, 3, 10), D(2026, 3, 11), 2),
        (D(2026, 2, 1), D(2026, 2, 28), 28),
        (D(2028, 2, 1), D(2028, 2, 29), 29),
        (D(2026, 12, 31), D(2027, 1, 1), 2),
        (D(2026, 1, 1), D(2026, 12, 31), 365),
    ],
)
def test_period_days(start, end, days):
    assert period_days(start, end) == days


def test_period_days_end_before_start():
    with pytest.raises(PeriodError) as info:
        period_days(D(2026, 3, 10), D(2026, 3, 9))
    assert info.value.code == "end_before_start"
    assert info.value.params == {
        "date_start": D(2026, 3, 10),
        "date_end": D(2026, 3, 9),
    }


# ---------------------------------------------------------- check_period

TODAY = D(2026, 3, 10)


@pytest.mark.parametrize(
    "start, end",
    [
        (TODAY, TODAY),
        (TODAY, D(2026, 4, 8)),  # 30 days
        (D(2026, 4, 1), D(2026, 4, 30)),
    ],
)
def test_check_period_accepts(start, end):
    assert check_period(start, end, TODAY, 30) is None


def test_check_period_in_the_past():
    with pytest.raises(PeriodError) as info:
        check_period(D(2026, 3, 1), D(2026, 3, 9), TODAY, 30)
    assert info.value.code == "in_the_past"
    assert info.value.params == {"date_end": D(2026, 3, 9), "today": TODAY}


def test_check_period_start_in_the_past():
    with pytest.raises(PeriodError) as info:
        check_period(D(2026, 3, 9), D(2026, 3, 20), TODAY, 30)
    assert info.value.code == "start_in_the_past"
    assert info.value.params == {"date_start": D(2026, 3, 9), "today": TODAY}


def test_check_period_end_before_start_comes_first():
    with pytest.raises(PeriodError) as info:
        check_period(D(2026, 3, 12), D(2026, 3, 9), TODAY, 30)
    assert info.value.code == "end_before_start"


def test_check_period_too_long():
    with pytest.raises(PeriodError) as info:
        check_period(TODAY, D(2026, 4, 9), TODAY, 30)  # 31 days
    assert info.value.code == "too_long"
    assert info.value.params == {"days": 31, "max": 30}


@pytest.mark.parametrize("max_days", [0, -1, None, True, 30.0, "30"])
def test_check_period_bad_max_days(max_days):
    with pytest.raises(PeriodError) as info:
        check_period(TODAY, TODAY, TODAY, max_days)
    assert info.value.code == "bad_max_days"


def test_check_period_wants_a_date_for_today():
    with pytest.raises(PeriodError) as info:
        check_period(TODAY, TODAY, DT(2026, 3, 10, 8, 0), 30)
    assert info.value.code == "bad_date"
    assert info.value.params["field"] == "today"


# ----------------------------------------------------------- is_narrower

OUTER = (D(2026, 3, 10), D(2026, 3, 20))


@pytest.mark.parametrize(
    "inner, expected",
    [
        (OUTER, True),
        ((D(2026, 3, 10), D(2026, 3, 10)), True),
        ((D(2026, 3, 12), D(2026, 3, 15)), True),
        ((D(2026, 3, 20), D(2026, 3, 20)), True),
        ((D(2026, 3, 9), D(2026, 3, 15)), False),
        ((D(2026, 3, 12), D(2026, 3, 21)), False),
        ((D(2026, 3, 1), D(2026, 3, 31)), False),
        ((D(2026, 3, 21), D(2026, 3, 25)), False),
    ],
)
def test_is_narrower(inner, expected):
    assert is_narrower(inner, OUTER) is expected


def test_is_narrower_inverted_period():
    with pytest.raises(PeriodError) as info:
        is_narrower((D(2026, 3, 15), D(2026, 3, 12)), OUTER)
    assert info.value.code == "end_before_start"
    with pytest.raises(PeriodError):
        is_narrower(OUTER, (D(2026, 3, 20), D(2026, 3, 10)))


# ------------------------------------------------------------- today_in


def test_today_in_follows_the_archive_zone_not_utc():
    from datetime import datetime, timezone

    from cadre_archive_lib.period import today_in

    late_utc = datetime(2026, 3, 10, 17, 30, tzinfo=timezone.utc)  # 01:30 in Shanghai
    assert today_in("Asia/Shanghai", late_utc) == D(2026, 3, 11)
    assert today_in("UTC", late_utc) == D(2026, 3, 10)
    assert today_in("America/New_York", late_utc) == D(2026, 3, 10)


def test_today_in_refuses_a_naive_now_and_a_bad_zone():
    from datetime import datetime

    from cadre_archive_lib.period import today_in

    with pytest.raises(PeriodError):
        today_in("Asia/Shanghai", datetime(2026, 3, 10, 12, 0))
    with pytest.raises(PeriodError):
        today_in("Mars/Olympus", None)
