import datetime
import io

import openpyxl
import pytest
import xlsxwriter
from cadre_archive_lib.assessment import (
    AssessmentError,
    check_thresholds,
    grade,
    mean_hours,
    normalise,
    period_bounds,
    period_label,
    scaled_target,
    share,
    utc_window,
    weighted_scores,
)
from cadre_archive_lib.assessment_xlsx import (
    LINE_COLUMNS,
    SUMMARY_COLUMNS,
    AssessmentSheetError,
    write_assessments,
)

D = datetime.date
DT = datetime.datetime


# ------------------------------------------------------------- periods


@pytest.mark.parametrize(
    ("kind", "day", "bounds"),
    [
        ("month", D(2026, 3, 1), (D(2026, 3, 1), D(2026, 3, 31))),
        ("month", D(2026, 3, 31), (D(2026, 3, 1), D(2026, 3, 31))),
        ("month", D(2024, 2, 15), (D(2024, 2, 1), D(2024, 2, 29))),
        ("month", D(2025, 2, 28), (D(2025, 2, 1), D(2025, 2, 28))),
        ("month", D(2026, 12, 31), (D(2026, 12, 1), D(2026, 12, 31))),
        ("quarter", D(2026, 1, 1), (D(2026, 1, 1), D(2026, 3, 31))),
        ("quarter", D(2026, 3, 31), (D(2026, 1, 1), D(2026, 3, 31))),
        ("quarter", D(2026, 4, 1), (D(2026, 4, 1), D(2026, 6, 30))),
        ("quarter", D(2026, 9, 30), (D(2026, 7, 1), D(2026, 9, 30))),
        ("quarter", D(2026, 10, 1), (D(2026, 10, 1), D(2026, 12, 31))),
        ("quarter", D(2026, 12, 31), (D(2026, 10, 1), D(2026, 12, 31))),
        ("year", D(2026, 1, 1), (D(2026, 1, 1), D(2026, 12, 31))),
        ("year", D(2026, 12, 31), (D(2026, 1, 1), D(2026, 12, 31))),
    ],
)
def test_period_bounds(kind, day, bounds):
    assert period_bounds(kind, day) == bounds


@pytest.mark.parametrize(
    ("kind", "label"), [("month", "2026-05"), ("quarter", "2026-Q2"), ("year", "2026")]
)
def test_period_label(kind, label):
    assert period_label(kind, D(2026, 5, 20)) == label


@pytest.mark.parametrize("kind", ["week", "", None])
def test_period_kind_refused(kind):
    with pytest.raises(AssessmentError) as error:
        period_bounds(kind, D(2026, 5, 20))
    assert error.value.code == "bad_period_kind"


@pytest.mark.parametrize("day", [DT(2026, 5, 20, 10, 0), "2026-05-20", None])
def test_period_day_must_be_a_date(day):
    with pytest.raises(AssessmentError) as error:
        period_bounds("month", day)
    assert error.value.code == "bad_period_day"


def test_window_in_the_archive_time_zone_keeps_2359_of_the_last_day():
    start, end = utc_window(D(2026, 3, 1), D(2026, 3, 31), "Asia/Shanghai")
    assert (start, end) == (DT(2026, 2, 28, 16, 0), DT(2026, 3, 31, 16, 0))
    last_minute_in_beijing = DT(2026, 3, 31, 15, 59)  # 23:59 in Beijing
    first_minute_in_beijing = DT(2026, 2, 28, 16, 0)  # 00:00 on 1 March
    assert start <= last_minute_in_beijing < end
    assert start <= first_minute_in_beijing < end
    # 23:59 UTC of 31 March is already 1 April in Beijing: next month
    assert not start <= DT(2026, 3, 31, 23, 59) < end
    # 00:30 UTC of 1 March is 08:30 in Beijing: inside; 15:59 UTC of 28 Feb not
    assert not start <= DT(2026, 2, 28, 15, 59) < end


def test_window_in_utc_when_the_zone_is_unset():
    assert utc_window(D(2026, 3, 1), D(2026, 3, 31), False) == (
        DT(2026, 3, 1),
        DT(2026, 4, 1),
    )


# ------------------------------------------------------ normalisation


@pytest.mark.parametrize(
    ("raw", "target", "direction", "score"),
    [
        (0, 100, "higher", 0.0),
        (50, 100, "higher", 50.0),
        (100, 100, "higher", 100.0),
        (250, 100, "higher", 100.0),
        (1, 3, "higher", 33.33),
        (0, 5, "lower", 100.0),
        (1, 5, "lower", 80.0),
        (5, 5, "lower", 0.0),
        (9, 5, "lower", 0.0),
        (24, 72, "lower", 66.67),
        (None, 10, "higher", None),
        (None, 10, "lower", None),
    ],
)
def test_normalise(raw, target, direction, score):
    assert normalise(raw, target, direction) == score


@pytest.mark.parametrize("target", [0, -1, float("nan"), float("inf"), "10", None])
def test_normalise_refuses_bad_targets(target):
    with pytest.raises(AssessmentError) as error:
        normalise(1, target, "higher")
    assert error.value.code == "bad_target"


def test_normalise_refuses_bad_direction_and_negative_values():
    with pytest.raises(AssessmentError) as error:
        normalise(1, 10, "up")
    assert error.value.code == "bad_direction"
    with pytest.raises(AssessmentError) as error:
        normalise(-1, 10, "higher")
    assert error.value.code == "negative_value"


@pytest.mark.parametrize(
    ("kind", "per_month", "target"),
    [("month", True, 10), ("quarter", True, 30), ("year", True, 120)]
    + [(kind, False, 10) for kind in ("month", "quarter", "year")],
)
def test_scaled_target(kind, per_month, target):
    assert scaled_target(10, kind, per_month) == target


# --------------------------------------------------------- weighting


def test_weighted_scores_spread_the_weights_of_what_counts():
    weighted, total = weighted_scores([(100.0, 20), (50.0, 10), (None, 30), (0.0, 10)])
    # counted weight 40: 100*20/40 + 50*10/40 + 0
    assert weighted == [50.0, 12.5, None, 0.0]
    assert total == 62.5
    assert sum(w for w in weighted if w is not None) == total


def test_weighted_scores_without_anything_to_count():
    assert weighted_scores([(None, 10), (None, 5)]) == ([None, None], 0.0)
    assert weighted_scores([(80.0, 0)]) == ([0.0], 0.0)
    assert weighted_scores([]) == ([], 0.0)


def test_weighted_scores_refuse_negative_weights():
    with pytest.raises(AssessmentError) as error:
        weighted_scores([(80.0, -1)])
    assert error.value.code == "negative_weight"


def test_weight_changes_the_score():
    assert weighted_scores([(100.0, 1), (0.0, 1)])[1] == 50.0
    assert weighted_scores([(100.0, 3), (0.0, 1)])[1] == 75.0


# ------------------------------------------------------------- grades


@pytest.mark.parametrize(
    ("score", "code"),
    [
        (100, "excellent"),
        (90, "excellent"),
        (89.99, "good"),
        (80, "good"),
        (79.99, "pass"),
        (60, "pass"),
        (59.99, "improve"),
        (0, "improve"),
    ],
)
def test_default_grades(score, code):
    assert grade(score) == code


def test_configured_thresholds():
    assert grade(85, (95, 85, 70)) == "good"
    assert grade(94.9, (95, 85, 70)) == "good"
    assert grade(69, (95, 85, 70)) == "improve"
    assert grade(0, (0, 0, 0)) == "excellent"


@pytest.mark.parametrize(
    "thresholds", [(80, 90, 60), (90, 80, 85), (101, 80, 60), (90, 80, -1)]
)
def test_thresholds_must_fall(thresholds):
    with pytest.raises(AssessmentError) as error:
        check_thresholds(thresholds)
    assert error.value.code == "bad_thresholds"


# ----------------------------------------------------- shares and means


def test_share():
    assert share(3, 4) == 75.0
    assert share(0, 4) == 0.0
    assert share(0, 0) is None
    with pytest.raises(AssessmentError):
        share(5, 4)
    with pytest.raises(AssessmentError):
        share(-1, 4)


def test_mean_hours():
    base = DT(2026, 3, 2, 8, 0)
    spans = [
        (base, base + datetime.timedelta(hours=2)),
        (base, base + datetime.timedelta(hours=4)),
        (None, base),
    ]
    assert mean_hours(spans) == 3.0
    assert mean_hours([]) is None
    assert mean_hours([(None, base)]) is None


# ---------------------------------------------------------------- XLSX


def texts():
    return {
        "summary_sheet": "考核",
        "lines_sheet": "指标",
        "summary_title": "档案工作人员考核",
        "lines_title": "考核指标",
        "total": "合计",
        "summary_headers": {key: key.upper() for key, _w in SUMMARY_COLUMNS},
        "line_headers": {key: key.upper() for key, _w in LINE_COLUMNS},
    }


def test_workbook_read_back():
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    rows = [
        {"officer": "张三", "date_start": D(2026, 3, 1), "score": 80.0},
        {"officer": "李四", "date_start": D(2026, 3, 1), "score": 70.0},
    ]
    groups = [
        (
            "张三",
            "2026-03",
            [
                {"metric": "归档材料", "raw": 5, "weight": 10, "weighted": 50.0},
                {"metric": "审核", "raw": None, "weight": 5, "weighted": None},
                {"metric": "逾期", "raw": 1, "weight": 10, "weighted": 30.0},
            ],
        )
    ]
    write_assessments(workbook, texts(), rows, groups)
    workbook.close()
    book = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    summary = book["考核"]
    assert summary["A1"].value == "档案工作人员考核"
    assert summary["A2"].value == "OFFICER"
    assert summary["D3"].value == DT(2026, 3, 1)
    assert summary["D3"].number_format == "yyyy-mm-dd"
    assert (summary["A5"].value, summary["C5"].value, summary["F5"].value) == (
        "合计",
        2,
        75.0,
    )
    assert summary.freeze_panes == "A3"
    lines = book["指标"]
    assert [lines.cell(row, 3).value for row in range(3, 7)] == [
        "归档材料",
        "审核",
        "逾期",
        "合计",
    ]
    # the total row: weights of what counted, weighted scores summed
    assert (lines["F6"].value, lines["G6"].value) == (20, 80.0)


def test_workbook_needs_every_header():
    workbook = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
    bad = texts()
    del bad["summary_headers"]["score"]
    with pytest.raises(AssessmentSheetError) as error:
        write_assessments(workbook, bad, [], [])
    assert error.value.code == "missing_header"
    workbook.close()


def test_workbook_refuses_aware_datetimes():
    workbook = xlsxwriter.Workbook(io.BytesIO(), {"in_memory": True})
    row = {"approved_on": DT(2026, 3, 1, tzinfo=datetime.timezone.utc)}
    with pytest.raises(AssessmentSheetError) as error:
        write_assessments(workbook, texts(), [row], [])
    assert error.value.code == "aware_datetime"
    workbook.close()


def test_local_date_in_the_archive_time_zone():
    from cadre_archive_lib.assessment import local_date

    assert local_date(DT(2026, 3, 31, 15, 59), "Asia/Shanghai") == D(2026, 3, 31)
    assert local_date(DT(2026, 3, 31, 16, 0), "Asia/Shanghai") == D(2026, 4, 1)
    assert local_date(DT(2026, 3, 31, 23, 59), False) == D(2026, 3, 31)
    with pytest.raises(AssessmentError):
        local_date(D(2026, 3, 31), "UTC")
