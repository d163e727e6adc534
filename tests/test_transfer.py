import datetime

import pytest
from cadre_archive_lib.transfer import (
    CheckItem,
    CopyCounts,
    add_months,
    check_summary,
    copy_counts,
    courier_is_cadre,
    declared_differences,
    is_overdue,
    normalize_id_number,
    normalize_name,
    receipt_due,
)

D = datetime.date


# --------------------------------------------------------------- copy_counts


def test_original_dossier_counts_in_the_original_columns():
    counts = copy_counts("original", [2, 3, 1])
    assert counts == CopyCounts(original_count=3, original_pages=6)
    assert (counts.total_count, counts.total_pages) == (3, 6)


def test_duplicate_dossier_counts_in_the_duplicate_columns():
    counts = copy_counts("duplicate", [4, 1])
    assert counts.as_dict() == {
        "original_count": 0,
        "original_pages": 0,
        "duplicate_count": 2,
        "duplicate_pages": 5,
    }


def test_empty_dossier_counts_nothing():
    assert copy_counts("original", []) == CopyCounts()


def test_unknown_copy_type_is_refused():
    with pytest.raises(ValueError):
        copy_counts("copy", [1])


# ------------------------------------------------------------ month arithmetic


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2026, 3, 10), 1, D(2026, 4, 10)),
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2026, 12, 15), 1, D(2027, 1, 15)),
        (D(2026, 11, 30), 3, D(2027, 2, 28)),
        (D(2026, 5, 31), 0, D(2026, 5, 31)),
        (D(2026, 8, 31), 13, D(2027, 9, 30)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


def test_add_months_refuses_going_back():
    with pytest.raises(ValueError):
        add_months(D(2026, 1, 1), -1)


def test_receipt_is_due_one_month_after_sending_by_default():
    assert receipt_due(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert receipt_due(D(2026, 3, 5), 2) == D(2026, 5, 5)


def test_receipt_delay_is_at_least_one_month():
    assert receipt_due(D(2026, 3, 5), 0) == D(2026, 4, 5)
    assert receipt_due(D(2026, 3, 5), None) == D(2026, 4, 5)


def test_overdue_only_after_the_due_date():
    due = D(2026, 4, 5)
    assert not is_overdue(due, D(2026, 4, 5))
    assert is_overdue(due, D(2026, 4, 6))
    assert not is_overdue(None, D(2026, 4, 6))


# --------------------------------------------------------- the arrival check


def test_check_counts_received_missing_extra_and_pending():
    summary = check_summary(
        [
            CheckItem("expected", "received", 2),
            CheckItem("expected", "received", 3),
            CheckItem("expected", "missing", 4),
            CheckItem("expected", "pending", 1),
            CheckItem("extra", "received", 5),
        ]
    )
    assert (summary.expected, summary.received, summary.missing) == (4, 2, 1)
    assert (summary.extra, summary.pending) == (1, 1)
    assert (summary.pages_received, summary.pages_missing) == (10, 4)
    assert summary.discrepancies == 2
    assert not summary.complete


def test_check_without_discrepancy_is_complete():
    summary = check_summary([CheckItem("expected", "received", 2)])
    assert summary.complete and summary.discrepancies == 0


def test_check_refuses_unknown_states():
    with pytest.raises(ValueError):
        check_summary([CheckItem("expected", "lost", 1)])
    with pytest.raises(ValueError):
        check_summary([CheckItem("surplus", "received", 1)])


def test_declared_counts_compared_with_what_arrived():
    declared = CopyCounts(original_count=3, original_pages=9)
    summary = check_summary(
        [
            CheckItem("expected", "received", 2),
            CheckItem("expected", "missing", 4),
            CheckItem("expected", "received", 3),
            CheckItem("extra", "received", 1),
        ]
    )
    # three materials arrived (two expected, one extra) but 6 pages, not 9
    assert declared_differences(declared, summary) == {"pages": (9, 6)}
    exact = check_summary([CheckItem("expected", "received", 9)] * 3)
    assert declared_differences(CopyCounts(3, 27), exact) == {}
    assert declared_differences(CopyCounts(0, 0, 2, 27), exact) == {"count": (2, 3)}


# ---------------------------------------------------------------- the courier


def test_names_and_numbers_compared_without_spaces():
    assert normalize_name(" 张  三 ") == "张三"
    assert normalize_name(None) == ""
    assert normalize_id_number("11010519491231002 x") == "11010519491231002X"


def test_courier_with_the_cadres_name_is_the_cadre():
    assert courier_is_cadre("张 三", "", [("李四", ""), ("张三", "")])
    assert not courier_is_cadre("王五", "", [("张三", "")])


def test_courier_with_the_cadres_id_number_is_the_cadre():
    assert courier_is_cadre(
        "张小三", "110105194912310021", [("张三", "110105194912310021")]
    )


def test_same_name_but_another_id_number_is_another_person():
    assert not courier_is_cadre(
        "张三", "110105194912310021", [("张三", "320102198001010011")]
    )


def test_no_courier_is_nobody():
    assert not courier_is_cadre("", "", [("张三", "")])
