import datetime

import pytest
from cadre_archive_lib.errors import ArchiveLibError
from cadre_archive_lib.missing import (
    Appointment,
    Facts,
    Material,
    MissingRuleError,
    Rule,
    add_months,
    assessment_year,
    deadline,
    missing_materials,
    parse_keywords,
    pick_due,
    render_description,
)

D = datetime.date
TODAY = D(2026, 3, 15)

CV = Rule("cv", "1", ("履历表",))
ASSESSMENT = Rule("annual_assessment", "3", ("年度考核",), start_year=1997)
APPLICATION = Rule("party_application", "6", ("入党志愿书",))
CONFIRMATION = Rule("party_confirmation", "6", ("转正",))
APPOINTMENT = Rule("appointment_form", "9-2", ("任免审批表",))


def assessments(*years):
    return tuple(
        Material("3", f"{year}年度考核登记表", D(year, 12, 20)) for year in years
    )


def keys(missing):
    return [item.key for item in missing]


def test_error_is_a_library_error():
    assert issubclass(MissingRuleError, ArchiveLibError)


def test_unknown_rule_is_refused():
    with pytest.raises(MissingRuleError) as error:
        missing_materials(Facts(), [Rule("nope", "1")], TODAY)
    assert error.value.code == "unknown_rule"


def test_cv_missing_then_held():
    assert keys(missing_materials(Facts(), [CV], TODAY)) == ["cv"]
    held = Facts(materials=(Material("1", "干部履历表", D(2001, 1, 1)),))
    assert missing_materials(held, [CV], TODAY) == []


def test_cv_in_another_category_or_title_does_not_count():
    facts = Facts(
        materials=(
            Material("2", "干部履历表", D(2001, 1, 1)),
            Material("1", "简历", D(2001, 1, 1)),
        )
    )
    assert keys(missing_materials(facts, [CV], TODAY)) == ["cv"]


def test_rule_without_keywords_takes_any_title_of_its_category():
    facts = Facts(materials=(Material("1", "简历", None),))
    assert missing_materials(facts, [Rule("cv", "1")], TODAY) == []


def test_parent_category_rule_takes_its_children():
    facts = Facts(materials=(Material("9-2", "任免审批表", D(2010, 1, 1)),))
    assert missing_materials(facts, [Rule("cv", "9", ("任免",))], TODAY) == []


def test_assessment_years_from_start_year_to_last_year():
    facts = Facts(work_start_year=1990, materials=assessments(*range(1997, 2025)))
    missing = missing_materials(facts, [ASSESSMENT], TODAY)
    # 2025 (last year) is due, 2026 (this year) is not, 1996 is before 1997
    assert keys(missing) == ["annual_assessment:2025"]
    assert missing[0].year == 2025
    assert missing[0].date == D(2025, 12, 31)


def test_assessment_boundary_first_year_of_service():
    # work started in 2010, later than 1997: 2010 is due, 2009 is not
    facts = Facts(work_start_year=2010, materials=assessments(*range(2011, 2026)))
    assert keys(missing_materials(facts, [ASSESSMENT], TODAY)) == [
        "annual_assessment:2010"
    ]
    facts = Facts(work_start_year=2010, materials=assessments(*range(2010, 2026)))
    assert missing_materials(facts, [ASSESSMENT], TODAY) == []


def test_assessment_boundary_configured_start_year():
    rule = Rule("annual_assessment", "3", ("年度考核",), start_year=2020)
    facts = Facts(work_start_year=1985, materials=assessments(*range(2021, 2026)))
    assert keys(missing_materials(facts, [rule], TODAY)) == ["annual_assessment:2020"]
    # unknown work start: the configured year
    facts = Facts(materials=assessments(*range(2020, 2026)))
    assert missing_materials(facts, [rule], TODAY) == []


def test_assessment_started_this_year_asks_nothing():
    facts = Facts(work_start_year=2026)
    assert missing_materials(facts, [ASSESSMENT], TODAY) == []


def test_assessment_year_from_title_then_date():
    assert assessment_year(Material("3", "2015年度考核登记表", D(2016, 1, 10))) == 2015
    assert assessment_year(Material("3", "年度考核登记表", D(2016, 1, 10))) == 2016
    assert assessment_year(Material("3", "年度考核登记表", None)) is None
    # a longer number is not a year
    assert assessment_year(Material("3", "编号120151", D(2014, 1, 1))) == 2014


def test_party_member_without_application():
    facts = Facts(
        political_status="cpc_member",
        materials=(Material("6", "入党转正申请书", D(1995, 7, 1)),),
    )
    missing = missing_materials(facts, [APPLICATION, CONFIRMATION], TODAY)
    assert keys(missing) == ["party_application"]
    assert missing[0].category_code == "6"


def test_probationary_member_is_not_asked_for_confirmation():
    facts = Facts(political_status="cpc_probationary")
    missing = missing_materials(facts, [APPLICATION, CONFIRMATION], TODAY)
    assert keys(missing) == ["party_application"]


@pytest.mark.parametrize("status", [None, "masses", "cyl_member", "non_party"])
def test_non_member_is_not_asked(status):
    facts = Facts(political_status=status)
    assert missing_materials(facts, [APPLICATION, CONFIRMATION], TODAY) == []


def test_member_with_both_party_materials():
    facts = Facts(
        political_status="cpc_member",
        materials=(
            Material("6", "入党志愿书", D(1994, 7, 1)),
            Material("6", "预备党员转正申请", D(1995, 7, 1)),
        ),
    )
    assert missing_materials(facts, [APPLICATION, CONFIRMATION], TODAY) == []


def test_one_form_per_appointment():
    facts = Facts(
        appointments=(
            Appointment(D(2015, 3, 1), "副科长"),
            Appointment(D(2020, 6, 1), "科长"),
        ),
        materials=(Material("9-2", "干部任免审批表", D(2015, 2, 20)),),
    )
    missing = missing_materials(facts, [APPOINTMENT], TODAY)
    assert keys(missing) == ["appointment_form:2020-06-01"]
    assert missing[0].detail == "科长"
    assert missing[0].date == D(2020, 6, 1)


def test_one_form_does_not_answer_two_appointments():
    facts = Facts(
        appointments=(
            Appointment(D(2015, 3, 1), "副科长"),
            Appointment(D(2015, 9, 1), "科长"),
        ),
        materials=(Material("9-2", "任免审批表", D(2015, 8, 25)),),
    )
    # the form is closest to the second appointment, but the first takes it
    # when it is in its window: oldest first
    assert keys(missing_materials(facts, [APPOINTMENT], TODAY)) == [
        "appointment_form:2015-09-01"
    ]


def test_appointment_window_edges():
    rule = Rule("appointment_form", "9-2", ("任免审批表",), window_days=30)
    appointment = (Appointment(D(2020, 6, 1), "科长"),)
    inside = Facts(
        appointments=appointment,
        materials=(Material("9-2", "任免审批表", D(2020, 5, 2)),),
    )
    outside = Facts(
        appointments=appointment,
        materials=(Material("9-2", "任免审批表", D(2020, 5, 1)),),
    )
    assert missing_materials(inside, [rule], TODAY) == []
    assert len(missing_materials(outside, [rule], TODAY)) == 1


def test_undated_form_answers_no_appointment():
    facts = Facts(
        appointments=(Appointment(D(2020, 6, 1), "科长"),),
        materials=(Material("9-2", "任免审批表", None),),
    )
    assert len(missing_materials(facts, [APPOINTMENT], TODAY)) == 1


def test_rules_keep_their_order():
    facts = Facts(political_status="cpc_member", work_start_year=2025)
    missing = missing_materials(facts, [CV, ASSESSMENT, APPLICATION], TODAY)
    assert keys(missing) == ["cv", "annual_assessment:2025", "party_application"]


def test_parse_keywords():
    assert parse_keywords("履历表, 干部履历表、简历\n登记表；x") == (
        "履历表",
        "干部履历表",
        "简历",
        "登记表",
        "x",
    )
    assert parse_keywords(False) == ()
    assert parse_keywords(" , ") == ()


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2026, 1, 15), 1, D(2026, 2, 15)),
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2026, 12, 10), 1, D(2027, 1, 10)),
        (D(2026, 11, 30), 3, D(2027, 2, 28)),
        (D(2026, 5, 5), 0, D(2026, 5, 5)),
        (D(2026, 5, 5), 24, D(2028, 5, 5)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


def test_deadline_units():
    assert deadline(D(2026, 1, 31), 1, "months") == D(2026, 2, 28)
    assert deadline(D(2026, 1, 31), 30, "days") == D(2026, 3, 2)
    with pytest.raises(MissingRuleError) as error:
        deadline(D(2026, 1, 31), 1, "weeks")
    assert error.value.code == "bad_delay_unit"
    with pytest.raises(MissingRuleError) as error:
        deadline(D(2026, 1, 31), -1, "days")
    assert error.value.code == "negative_delay"


def test_render_description():
    template = "{employee}: 任免审批表 ({value}, {date}) {unknown}"
    values = {"employee": "张三", "value": "科长", "date": D(2026, 1, 5)}
    assert render_description(template, values) == (
        "张三: 任免审批表 (科长, 2026-01-05) {unknown}"
    )
    # no attribute access, unlike str.format
    assert render_description("{value.__class__}", {"value": "x"}) == (
        "{value.__class__}"
    )
    assert render_description(False, values) == ""


def test_pick_due_closest_event_then_deadline():
    dues = [
        (1, D(2020, 1, 1), D(2020, 2, 1)),
        (2, D(2025, 6, 1), D(2025, 7, 1)),
        (3, None, D(2025, 1, 1)),
    ]
    assert pick_due(dues, D(2025, 6, 10)) == 2
    assert pick_due(dues, D(2019, 12, 1)) == 1
    assert pick_due([(3, None, D(2025, 1, 1)), (4, None, D(2024, 1, 1))], None) == 4
    assert pick_due([], D(2025, 1, 1)) is None
    # equal distance and deadline: the oldest
    same = [(7, D(2025, 1, 1), D(2025, 2, 1)), (5, D(2025, 1, 1), D(2025, 2, 1))]
    assert pick_due(same, D(2025, 1, 1)) == 5
