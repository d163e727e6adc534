"""Pin error codes, error params and edge values of period, errors, snippets.

These close gaps found by mutation testing: each test asserts a value that
a plausible slip in the code (a wrong field name, a dropped parameter, an
off-by-one bound) would change.
"""

import datetime
import time

import pytest
from cadre_archive_lib.errors import ArchiveLibError
from cadre_archive_lib.period import (
    PeriodError,
    access_window,
    check_period,
    period_days,
    today_in,
    zone,
)
from cadre_archive_lib.snippets import snippet

D = datetime.date
DT = datetime.datetime
UTC = datetime.timezone.utc


# ------------------------------------------------------------------ errors


def test_error_str_lists_every_param_separated_by_comma():
    error = ArchiveLibError("some_code", first=1, second="x")
    assert str(error) == "some_code (first=1, second='x')"


def test_error_str_without_params_is_the_code():
    assert str(ArchiveLibError("bare")) == "bare"


# ------------------------------------------------------------ bad dates


def test_bad_start_date_names_the_field_and_value():
    with pytest.raises(PeriodError) as info:
        period_days("2026-01-01", D(2026, 1, 2))
    assert info.value.code == "bad_date"
    assert info.value.params == {"field": "date_start", "value": "2026-01-01"}


def test_bad_end_date_names_the_field_and_value():
    moment = DT(2026, 1, 2, 10, 0)
    with pytest.raises(PeriodError) as info:
        period_days(D(2026, 1, 1), moment)
    assert info.value.code == "bad_date"
    assert info.value.params == {"field": "date_end", "value": moment}


def test_bad_today_names_the_field():
    with pytest.raises(PeriodError) as info:
        check_period(D(2026, 1, 1), D(2026, 1, 1), None, 5)
    assert info.value.params == {"field": "today", "value": None}


# ------------------------------------------------------------- time zone


def test_bad_timezone_type_reports_the_value():
    with pytest.raises(PeriodError) as info:
        zone(5)
    assert info.value.code == "bad_timezone"
    assert info.value.params == {"tz": 5}


def test_unknown_timezone_reports_the_name():
    with pytest.raises(PeriodError) as info:
        zone("Nowhere/Atlantis")
    assert info.value.code == "bad_timezone"
    assert info.value.params == {"tz": "Nowhere/Atlantis"}


@pytest.fixture
def server_in_tokyo(monkeypatch):
    """Run with the process' local time zone set far from UTC."""
    if not hasattr(time, "tzset"):
        pytest.skip("time.tzset is not available")
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_window_does_not_depend_on_server_local_zone(server_in_tokyo):
    start, end = access_window(D(2026, 3, 10), D(2026, 3, 10), "Europe/Paris")
    assert (start, end) == (DT(2026, 3, 9, 23, 0), DT(2026, 3, 10, 23, 0))


# --------------------------------------------------------------- today_in


def test_today_in_defaults_to_the_current_utc_instant():
    before = DT.now(UTC).date()
    today = today_in("UTC")
    after = DT.now(UTC).date()
    assert before <= today <= after


def test_today_in_refuses_a_naive_now_with_details():
    naive = DT(2026, 5, 1, 12, 0)
    with pytest.raises(PeriodError) as info:
        today_in("UTC", naive)
    assert info.value.code == "bad_date"
    assert info.value.params == {"field": "now", "value": naive}


def test_today_in_uses_the_named_zone():
    now = DT(2026, 5, 1, 20, 0, tzinfo=UTC)
    assert today_in("Asia/Shanghai", now) == D(2026, 5, 2)


# ----------------------------------------------------------- check_period


def test_one_day_is_a_valid_longest_period():
    day = D(2026, 5, 1)
    assert check_period(day, day, day, 1) is None


def test_one_day_limit_refuses_two_days():
    day = D(2026, 5, 1)
    with pytest.raises(PeriodError) as info:
        check_period(day, D(2026, 5, 2), day, 1)
    assert info.value.code == "too_long"
    assert info.value.params == {"days": 2, "max": 1}


@pytest.mark.parametrize("max_days", [0, -3, True, 2.0, "5"])
def test_bad_max_days_reports_the_value(max_days):
    day = D(2026, 5, 1)
    with pytest.raises(PeriodError) as info:
        check_period(day, day, day, max_days)
    assert info.value.code == "bad_max_days"
    assert info.value.params == {"max": max_days}


# ---------------------------------------------------------------- snippets


def test_snippet_keeps_thirty_characters_each_side_by_default():
    text = "a" * 40 + "needle" + "b" * 40
    assert snippet("needle", "", text) == "…" + "a" * 30 + "needle" + "b" * 30 + "…"


def test_snippet_searches_title_first_and_ignores_case():
    assert snippet("Key", "the key title", "key in text") == "the key title"


def test_snippet_without_match_or_term_is_empty():
    assert snippet("zzz", "title", "text") == ""
    assert snippet("  ", "title", "text") == ""


def test_snippet_collapses_whitespace_and_cuts_with_width():
    assert snippet("x", None, "abc d  \n x", width=5) == "…d x"
