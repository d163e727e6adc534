"""The audit rules (专项审核) at their boundaries, on plain data."""

import dataclasses
import datetime

import pytest
from cadre_archive_lib import audit
from cadre_archive_lib.audit import (
    DateClaim,
    DossierFacts,
    Finding,
    Grading,
    MaterialFact,
    MissingItem,
    Period,
    RuleConfig,
)
from cadre_archive_lib.partial_date import PartialDate, parse

D = datetime.date
P = parse


def config(code, **kwargs):
    return dataclasses.replace(audit.RULES[code].default_config(), **kwargs)


def run_rule(code, facts, **kwargs):
    return audit.RULES[code].check(facts, config(code, **kwargs))


# ------------------------------------------------------------------ helpers


@pytest.mark.parametrize(
    ("birthday", "years", "expected"),
    [
        (D(1970, 5, 20), 16, D(1986, 5, 20)),
        (D(1972, 2, 29), 16, D(1988, 2, 29)),  # leap to leap
        (D(1972, 2, 29), 18, D(1990, 3, 1)),  # leap to common: 1 March
        (D(1971, 2, 28), 18, D(1989, 2, 28)),
    ],
)
def test_anniversary(birthday, years, expected):
    assert audit.anniversary(birthday, years) == expected


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(1990, 1, 31), 1, D(1990, 2, 28)),
        (D(1992, 1, 31), 1, D(1992, 2, 29)),
        (D(1990, 1, 31), 6, D(1990, 7, 31)),
        (D(1990, 8, 15), 6, D(1991, 2, 15)),
        (D(1990, 12, 1), 12, D(1991, 12, 1)),
    ],
)
def test_add_months(day, months, expected):
    assert audit.add_months(day, months) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("1985.07.14", "1985.07.15", True),
        ("1985.07.15", "1985.07.15", False),  # equal: they touch
        ("1985.07", "1985.07", False),
        ("1985.06", "1985.07", True),
        ("1985.07.31", "1985.07", False),
        ("1985", "1985.07", None),
        ("1985.07", "1985", None),
        ("1984", "1985.01.01", True),
    ],
)
def test_before(a, b, expected):
    assert audit.before(P(a), P(b)) is expected


def test_before_open_end_is_always_after():
    assert audit.before(P("2020"), None) is True
    assert audit.before(None, P("2020")) is None


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [("1965", "1965.03", False), ("1965.03", "1965.03.12", False)]
    + [("1965.03", "1965.04", True), ("1964", "1965.01.01", True)],
)
def test_differ(a, b, expected):
    assert audit.differ(P(a), P(b)) is expected
    assert audit.differ(P(b), P(a)) is expected


# ------------------------------------------------------------ ages: 16 and 18


@pytest.mark.parametrize(
    ("birth", "work_start", "expected"),
    [
        ("1970.05.20", "1986.05.20", None),  # exactly 16: allowed
        ("1970.05.20", "1986.05.19", "major"),  # the day before
        ("1972.02.29", "1988.02.28", "major"),  # leap day, leap year
        ("1972.02.29", "1988.02.29", None),
        ("1971.02.28", "1987.02.28", None),
        ("1970.05.20", "1986.05", "info"),  # May 1986: 15 or 16
        ("1970.05.20", "1986.06", None),
        ("1970.05.20", "1986.04", "major"),
        ("1970", "1986.05.20", "info"),  # born some day of 1970
        ("1970", "1987.01.01", None),
        ("1970", "1985.12.31", "major"),
        ("1970.05", "1986", "info"),
        ("1970", "1986", "info"),
    ],
)
def test_work_start_age(birth, work_start, expected):
    facts = DossierFacts(birth=P(birth), work_start=P(work_start))
    findings = run_rule("work_start_age", facts)
    assert [f.severity for f in findings] == ([expected] if expected else [])
    if expected == "info":
        (finding,) = findings
        assert finding.uncertain and not finding.veto and finding.points == 0


@pytest.mark.parametrize(
    ("birth", "party", "expected"),
    [
        ("1970.05.20", "1988.05.20", None),  # exactly 18
        ("1970.05.20", "1988.05.19", "major"),
        ("1972.02.29", "1990.02.28", "major"),  # born 29 Feb, common year
        ("1972.02.29", "1990.03.01", None),  # 1 March: 18
        ("1970.05.20", "1988.05", "info"),
        ("1970", "1988", "info"),
        ("1970", "1989.01.01", None),
    ],
)
def test_party_age(birth, party, expected):
    facts = DossierFacts(birth=P(birth), party_date=P(party))
    findings = run_rule("party_age", facts)
    assert [f.severity for f in findings] == ([expected] if expected else [])


def test_age_threshold_is_configurable():
    facts = DossierFacts(birth=P("1970.05.20"), work_start=P("1987.05.19"))
    assert not run_rule("work_start_age", facts)
    (finding,) = run_rule("work_start_age", facts, threshold=17)
    assert finding.params["age"] == 17


def test_age_rules_need_both_dates():
    assert not run_rule("work_start_age", DossierFacts(work_start=P("1980")))
    assert not run_rule("party_age", DossierFacts(birth=P("1980")))


# ------------------------------------------------------------------ periods


def study(ref, start, end, full_time=True):
    return Period(ref, "education", P(start), end and P(end), full_time, ref)


def post(ref, start, end=None, full_time=True, materials=()):
    return Period(
        ref, "work", P(start), end and P(end), full_time, ref, tuple(materials)
    )


@pytest.mark.parametrize(
    ("study_period", "work_period", "expected"),
    [
        (("1981.09", "1985.07"), ("1985.07", None), []),  # touching months
        (("1981.09.01", "1985.07.15"), ("1985.07.15", None), []),  # same day
        (("1981.09.01", "1985.07.15"), ("1985.07.16", None), []),
        (("1981.09.01", "1985.07.15"), ("1985.07.14", None), ["major"]),
        (("1981.09", "1985.07"), ("1985.06", None), ["major"]),
        (("1981.09", "1985"), ("1985.07", None), ["info"]),  # cannot tell
        (("1981.09", "1985.07"), ("1983.01", "1984.12"), ["major"]),  # inside
        (("1981.09", "1985.07"), ("1979.01", "1981.09"), []),  # before, touching
    ],
)
def test_study_work_overlap(study_period, work_period, expected):
    facts = DossierFacts(periods=(study("s", *study_period), post("w", *work_period)))
    findings = run_rule("study_work_overlap", facts)
    assert [f.severity for f in findings] == expected
    for finding in findings:
        assert finding.fact_refs == ("s", "w")


def test_in_service_study_may_overlap_work():
    facts = DossierFacts(
        periods=(
            study("s", "1990.09", "1993.07", full_time=False),
            post("w", "1985.07"),
        )
    )
    assert not run_rule("study_work_overlap", facts)


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        (("1985.07", "1990.03"), ("1990.03", None), []),  # hand-over month
        (("1985.07", "1990.03"), ("1990.02", None), ["major"]),
        (("1985.07", "1990"), ("1990.06", None), ["info"]),
        (("1985.07", None), ("1990.06", None), ["major"]),  # first never ended
        (("1985.07.01", "1990.03.31"), ("1990.03.31", None), []),
        (("1985.07.01", "1990.03.31"), ("1990.03.30", None), ["major"]),
    ],
)
def test_work_overlap(first, second, expected):
    facts = DossierFacts(periods=(post("a", *first), post("b", *second)))
    assert [f.severity for f in run_rule("work_overlap", facts)] == expected


def test_concurrent_post_does_not_overlap():
    facts = DossierFacts(
        periods=(post("a", "1985.07"), post("b", "1990.01", full_time=False))
    )
    assert not run_rule("work_overlap", facts)


@pytest.mark.parametrize(
    ("end", "start", "expected"),
    [
        ("1990.01.31", "1990.07.31", []),  # exactly 6 months
        ("1990.01.31", "1990.08.01", ["minor"]),  # one day more
        ("1990.01", "1990.08", ["minor"]),  # at least 6 months and a day
        ("1990.01", "1990.07", ["info"]),  # between 5 and 7 months
        ("1990.01", "1990.06", []),
        ("1990", "1991", ["info"]),
        ("1990", "1992", ["minor"]),
        ("1990.01", "1990.01", []),  # touching
    ],
)
def test_work_gap(end, start, expected):
    facts = DossierFacts(
        periods=(post("a", "1985.07", end), post("b", start, "2000.01"))
    )
    assert [f.severity for f in run_rule("work_gap", facts)] == expected


def test_work_gap_threshold_is_configurable():
    facts = DossierFacts(
        periods=(post("a", "1985.07", "1990.01.31"), post("b", "1990.05.01"))
    )
    assert not run_rule("work_gap", facts)
    (finding,) = run_rule("work_gap", facts, threshold=3)
    assert finding.params["months"] == 3


def test_work_gap_counts_study_and_the_longest_line():
    facts = DossierFacts(
        periods=(
            study("s", "1981.09", "1985.07"),
            post("a", "1985.07", "2000.12"),
            post("b", "1986.01", "1988.01", full_time=False),  # inside a
            post("c", "2001.01"),
        )
    )
    assert not run_rule("work_gap", facts)


def test_no_gap_after_a_line_to_this_day():
    facts = DossierFacts(periods=(post("a", "1985.07"), post("b", "2010.01")))
    assert not run_rule("work_gap", facts)


# -------------------------------------------------------- dates across materials


def claim(ref, fact, value, material_date, self_filled=False):
    return DateClaim(ref, fact, P(value), f"m{ref}", P(material_date), self_filled)


def test_birth_reference_is_earliest_self_filled():
    claims = (
        claim(1, "birth", "1965.03", "1980.01", self_filled=False),  # earliest
        claim(2, "birth", "1964.03", "1983.05", self_filled=True),  # reference
        claim(3, "birth", "1964.03.12", "1990.02", self_filled=True),
    )
    assert audit.reference_claim(claims, "birth").ref == 2
    facts = DossierFacts(birth=P("1964.03.12"), claims=claims)
    (finding,) = run_rule("date_mismatch", facts)
    assert finding.subject == "birth:claim:1"
    assert finding.params["reference"] == "1964.03"
    assert finding.material_refs == ("m1", "m2")
    assert finding.fact_refs == (1, 2)


def test_birth_of_record_differing_from_reference():
    claims = (claim(1, "birth", "1964.03", "1983.05", self_filled=True),)
    facts = DossierFacts(birth=P("1965.03"), claims=claims)
    (finding,) = run_rule("date_mismatch", facts)
    assert finding.subject == "birth:record"
    assert finding.params["of_record"]


def test_without_self_filled_the_earliest_material_is_the_reference():
    claims = (
        claim(1, "work_start", "1985.07", "1990.01"),
        claim(2, "work_start", "1985.08", "1986.01"),
    )
    assert audit.reference_claim(claims, "work_start").ref == 2
    facts = DossierFacts(work_start=P("1985.08"), claims=claims)
    assert [f.subject for f in run_rule("date_mismatch", facts)] == [
        "work_start:claim:1"
    ]


def test_less_precise_records_agree():
    claims = (
        claim(1, "party", "1990", "1990.07", self_filled=True),
        claim(2, "party", "1990.06.01", "1995.01"),
    )
    assert not run_rule("date_mismatch", DossierFacts(claims=claims))


# ---------------------------------------------------------------- materials


def test_appointment_material_lacking_its_marks():
    complete = MaterialFact(
        1, "任免审批表", True, True, "县委", P("1999.03"), "县委〔1999〕5号"
    )
    lacking = MaterialFact(2, "任免审批表", True, True, " ", None, "县委〔1999〕6号")
    draft = MaterialFact(3, "任免审批表", False, True)
    other = MaterialFact(4, "履历表", True, False)
    facts = DossierFacts(materials=(complete, lacking, draft, other))
    (finding,) = run_rule("appointment_incomplete", facts)
    assert finding.params["lacking"] == ["approving_body", "approval_date"]
    assert finding.material_refs == (2,)


def test_integrity_failure_is_a_single_veto():
    facts = DossierFacts(
        materials=(
            MaterialFact(1, "a", integrity="ok"),
            MaterialFact(2, "b", integrity="changed"),
            MaterialFact(3, "c", integrity="missing"),
            MaterialFact(4, "d", filed=False, integrity="changed"),
            MaterialFact(5, "e", integrity=None),
        )
    )
    findings = run_rule("integrity_failed", facts)
    assert [f.material_refs for f in findings] == [(2,), (3,)]
    assert all(f.veto and f.severity == "critical" for f in findings)


def test_missing_materials_seam():
    facts = DossierFacts(
        missing=(
            MissingItem(7, "2019年度考核登记表", "3", D(2020, 2, 1)),
            MissingItem(8, "入党志愿书", "6"),
        )
    )
    findings = run_rule("missing_material", facts)
    assert [f.subject for f in findings] == ["missing:7", "missing:8"]
    assert findings[0].params["deadline"] == "2020-02-01"
    assert all(f.severity == "minor" and f.points == 1 for f in findings)


# ------------------------------------------------------------ score and grade


@pytest.mark.parametrize(
    ("score", "vetoed", "grade"),
    [
        (100, False, "excellent"),
        (97, False, "excellent"),
        (96, False, "pass"),
        (90, False, "pass"),
        (89, False, "fail"),
        (100, True, "fail"),
    ],
)
def test_default_grading(score, vetoed, grade):
    assert Grading().grade(score, vetoed) == grade


def test_grading_is_configurable():
    assert Grading(excellent_min=95, pass_min=80).grade(85) == "pass"
    assert Grading(excellent_min=95, pass_min=80).grade(95) == "excellent"


def finding(code, subject, points=1, veto=False):
    return Finding(code, subject, points=points, veto=veto)


def test_score_takes_points_off_and_never_below_zero():
    assert audit.score([finding("a", "1", 4), finding("b", "2", 1)]) == (95, False)
    assert audit.score([finding("a", str(i), 10) for i in range(12)]) == (0, False)


def test_single_veto_scores_zero_unless_accepted():
    findings = [finding("a", "1", 0, veto=True), finding("b", "2", 1)]
    assert audit.score(findings) == (0, True)
    assert audit.score(findings, accepted={("a", "1")}) == (99, False)


def test_run_scores_grades_and_switches_rules_off():
    facts = DossierFacts(
        birth=P("1970.05.20"),
        work_start=P("1986.05.19"),  # major: 4 points
        materials=(MaterialFact(1, "a", integrity="changed"),),  # veto
    )
    result = audit.run(facts)
    assert {f.rule_code for f in result.findings} == {
        "work_start_age",
        "integrity_failed",
    }
    assert (result.score, result.grade, result.vetoed) == (0, "fail", True)
    result = audit.run(facts, {"integrity_failed": RuleConfig(active=False)})
    assert (result.score, result.grade, result.vetoed) == (96, "pass", False)
    result = audit.run(
        facts,
        {
            "integrity_failed": RuleConfig(active=False),
            "work_start_age": RuleConfig(points=2),
        },
    )
    assert (result.score, result.grade) == (98, "excellent")


def test_cannot_tell_takes_nothing_off():
    facts = DossierFacts(birth=P("1970"), work_start=P("1986"))
    result = audit.run(facts)
    (only,) = result.findings
    assert only.uncertain and (result.score, result.grade) == (100, "excellent")


def test_a_veto_rule_reported_as_cannot_tell_does_not_veto():
    facts = DossierFacts(birth=P("1970"), work_start=P("1986"))
    result = audit.run(facts, {"work_start_age": RuleConfig(veto=True)})
    assert not result.vetoed


def test_every_rule_has_a_distinct_code_and_valid_defaults():
    for code, rule in audit.RULES.items():
        assert rule.code == code
        assert rule.severity in audit.SEVERITIES
        assert rule.description
    assert set(audit.RULES) >= {
        "date_mismatch",
        "work_start_age",
        "party_age",
        "study_work_overlap",
        "work_overlap",
        "work_gap",
        "appointment_incomplete",
        "integrity_failed",
        "missing_material",
    }


def test_a_clean_dossier_is_excellent():
    facts = DossierFacts(
        birth=P("1970.05.20"),
        work_start=P("1990.07"),
        party_date=P("1995.06"),
        claims=(claim(1, "birth", "1970.05.20", "1988.01", self_filled=True),),
        periods=(study("s", "1986.09", "1990.07"), post("w", "1990.07")),
        materials=(MaterialFact(1, "履历表", integrity="ok"),),
    )
    result = audit.run(facts)
    assert result.findings == ()
    assert (result.score, result.grade) == (100, "excellent")


def test_partial_date_is_the_library_one():
    assert isinstance(P("1985"), PartialDate)


def test_unit_summary():
    rows = [
        audit.AuditRow("B", 100, "excellent"),
        audit.AuditRow("A", 95, "pass", open_findings=2),
        audit.AuditRow("A", 0, "fail", vetoed=True, open_findings=1),
        audit.AuditRow("A", 98, "excellent"),
    ]
    first, second = audit.unit_summary(rows)
    assert first == {
        "unit": "A",
        "dossiers": 3,
        "excellent": 1,
        "pass": 1,
        "fail": 1,
        "vetoed": 1,
        "open_findings": 3,
        "average": 64.3,
    }
    assert (second["unit"], second["average"], second["dossiers"]) == ("B", 100, 1)
    assert audit.unit_summary([]) == []
