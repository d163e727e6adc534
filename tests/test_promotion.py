import datetime

import pytest
from cadre_archive_lib.errors import ArchiveLibError
from cadre_archive_lib.promotion import (
    GRADE_LOW,
    NO_AUDIT,
    PASSED,
    TOO_OLD,
    AuditRef,
    PromotionCheckError,
    evaluate,
    grade_at_least,
    valid_from,
)

D = datetime.date
TODAY = D(2026, 11, 30)


def test_error_is_a_library_error():
    assert issubclass(PromotionCheckError, ArchiveLibError)


@pytest.mark.parametrize(
    ("grade", "minimum", "expected"),
    [
        ("excellent", "excellent", True),
        ("pass", "excellent", False),
        ("fail", "excellent", False),
        ("excellent", "pass", True),
        ("pass", "pass", True),
        ("fail", "pass", False),
        ("fail", "fail", True),
        (None, "fail", False),
        (False, "pass", False),
    ],
)
def test_grade_order(grade, minimum, expected):
    assert grade_at_least(grade, minimum) is expected


def test_unknown_minimum_grade_is_refused():
    with pytest.raises(PromotionCheckError) as error:
        evaluate([], TODAY, 12, "good")
    assert error.value.code == "unknown_grade"


@pytest.mark.parametrize("months", [0, -1])
def test_months_must_be_positive(months):
    with pytest.raises(PromotionCheckError) as error:
        valid_from(TODAY, months)
    assert error.value.code == "months_not_positive"


@pytest.mark.parametrize(
    ("today", "months", "expected"),
    [
        (D(2026, 11, 30), 12, D(2025, 11, 30)),
        (D(2026, 5, 31), 3, D(2026, 2, 28)),
        (D(2024, 5, 31), 3, D(2024, 2, 29)),
        (D(2026, 1, 15), 1, D(2025, 12, 15)),
    ],
)
def test_valid_from(today, months, expected):
    assert valid_from(today, months) == expected


def test_no_audit():
    verdict = evaluate([], TODAY, 12, "pass")
    assert (verdict.passed, verdict.reason, verdict.audit) == (False, NO_AUDIT, None)
    assert verdict.valid_from == D(2025, 11, 30)


def test_exactly_n_months_is_still_recent():
    audit = AuditRef(1, D(2025, 11, 30), "pass")
    verdict = evaluate([audit], TODAY, 12, "pass")
    assert (verdict.passed, verdict.reason, verdict.audit) == (True, PASSED, audit)


def test_a_day_more_than_n_months_is_too_old():
    audit = AuditRef(1, D(2025, 11, 29), "excellent")
    verdict = evaluate([audit], TODAY, 12, "pass")
    assert (verdict.passed, verdict.reason, verdict.audit) == (False, TOO_OLD, audit)


def test_too_old_names_the_latest_audit():
    older = AuditRef(1, D(2020, 1, 1), "pass")
    latest = AuditRef(2, D(2024, 6, 1), "fail")
    verdict = evaluate([latest, older], TODAY, 12, "pass")
    assert verdict.reason == TOO_OLD
    assert verdict.audit == latest


def test_grade_too_low():
    audit = AuditRef(1, D(2026, 10, 1), "pass")
    verdict = evaluate([audit], TODAY, 12, "excellent")
    assert (verdict.passed, verdict.reason, verdict.audit) == (False, GRADE_LOW, audit)


def test_latest_recent_audit_decides():
    passed = AuditRef(1, D(2026, 3, 1), "excellent")
    failed = AuditRef(2, D(2026, 9, 1), "fail")
    verdict = evaluate([passed, failed], TODAY, 12, "pass")
    assert (verdict.reason, verdict.audit) == (GRADE_LOW, failed)
    # and a new passing audit lifts it
    again = AuditRef(3, D(2026, 11, 30), "pass")
    verdict = evaluate([passed, failed, again], TODAY, 12, "pass")
    assert (verdict.passed, verdict.audit) == (True, again)


def test_same_day_audits_ordered_by_reference():
    first = AuditRef(1, D(2026, 9, 1), "fail")
    second = AuditRef(2, D(2026, 9, 1), "pass")
    assert evaluate([second, first], TODAY, 12, "pass").audit == second


def test_old_good_audit_and_recent_bad_one():
    old = AuditRef(1, D(2019, 1, 1), "excellent")
    recent = AuditRef(2, D(2026, 1, 1), "fail")
    verdict = evaluate([old, recent], TODAY, 12, "fail")
    assert (verdict.passed, verdict.audit) == (True, recent)
