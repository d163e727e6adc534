"""Special audit (专项审核, 三龄两历一身份): facts of record, rules, score, grade.

The Odoo layer builds a :class:`DossierFacts` from a dossier (its facts of
record, the dates each material records, its education and work history
lines, its materials, the materials due and missing) and calls :func:`run`
with the rule configuration; it gets plain :class:`Finding` objects back and
turns them into records and translated messages. Nothing here is user-facing
text: a finding carries its rule's code and parameters.

Dates are :class:`~.partial_date.PartialDate`: known to the year, the month
or the day, as on the materials. A rule that a partial date *may or may not*
break (born 1970, started work 1986.05: 15 or 16 years old) gives a
"cannot tell" finding: severity ``info``, never a veto, no points off, with
``uncertain=True``, so the auditor checks the paper. A rule a partial date
cannot break gives nothing; one it breaks whatever the day gives the rule's
own severity.

Conventions (each tested in ``tests/test_audit.py``):

- Age: a cadre is N years old from the N-th anniversary of their birth on
  (starting work on the 16th birthday is allowed). Born on 29 February, the
  anniversary of a common year is 1 March.
- Periods: a period runs from its start to its end, both included; no end
  means "to this day". Two boundaries written alike (1985.07 and 1985.07, or
  1985.07.15 and 1985.07.15) *touch*: the usual hand-over of a CV, not an
  overlap. Boundaries of different precision that may be either (1985 and
  1985.07) cannot be told apart.
- Gaps: a gap is longer than N months when the next period starts after the
  end of the previous one plus N months (an end on 31 January plus 6 months
  is 31 July; a start on 1 August is a gap of more than 6 months).
- Dates recorded differently: two dates differ when no day can be both (1965
  and 1965.03 agree: the first only says less). The reference of the birth
  date is the one in the earliest self-filled material (组通字〔2006〕41号);
  for the other dates, the earliest material recording them.
"""

import calendar
import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from .partial_date import PartialDate

# --------------------------------------------------------------------------
# Severities, grades
# --------------------------------------------------------------------------
SEVERITIES = ("info", "minor", "major", "critical")
# points off per finding of each severity, unless a rule says otherwise
DEFAULT_POINTS = {"info": 0, "minor": 1, "major": 4, "critical": 10}
GRADES = ("excellent", "pass", "fail")
FULL_SCORE = 100

DATE_FACTS = ("birth", "work_start", "party")
INTEGRITY_FAILED = ("changed", "missing")


# --------------------------------------------------------------------------
# Facts
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class DateClaim:
    """A date of record (``fact``: birth, work_start, party) as one material
    records it. ``material_date`` is the material's formation date (which is
    the earliest); ``self_filled`` says the cadre filled it in themselves."""

    ref: object
    fact: str
    value: PartialDate
    material_ref: object = None
    material_date: PartialDate | None = None
    self_filled: bool = False


@dataclass(frozen=True)
class Period:
    """An education or work history line. ``end`` None: to this day.
    ``full_time`` is full-time study (全日制) or a full-time post (a
    concurrent post, 兼职, is not)."""

    ref: object
    kind: str  # "education" or "work"
    start: PartialDate | None
    end: PartialDate | None = None
    full_time: bool = True
    label: str = ""
    material_refs: tuple = ()


@dataclass(frozen=True)
class MaterialFact:
    """What the audit needs of a material."""

    ref: object
    title: str = ""
    filed: bool = True
    appointment: bool = False
    approving_body: str = ""
    approval_date: PartialDate | None = None
    document_number: str = ""
    # the last integrity verdict of its scans: ok, changed, missing or None
    integrity: str | None = None


@dataclass(frozen=True)
class MissingItem:
    """A material due and missing (the upkeep's list of 欠缺材料)."""

    ref: object
    name: str = ""
    category_code: str = ""
    deadline: datetime.date | None = None


@dataclass(frozen=True)
class DossierFacts:
    """The facts of record of one dossier, with what supports them."""

    birth: PartialDate | None = None
    work_start: PartialDate | None = None
    party_date: PartialDate | None = None
    claims: tuple[DateClaim, ...] = ()
    periods: tuple[Period, ...] = ()
    materials: tuple[MaterialFact, ...] = ()
    missing: tuple[MissingItem, ...] = ()

    def record_of(self, fact):
        return {
            "birth": self.birth,
            "work_start": self.work_start,
            "party": self.party_date,
        }[fact]


# --------------------------------------------------------------------------
# Findings and rule configuration
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class Finding:
    """One deviation found. ``subject`` identifies what it is about within
    the dossier (stable across runs: an accepted finding is carried over to
    the next run by rule code and subject). ``params`` fill the message."""

    rule_code: str
    subject: str
    severity: str = "major"
    veto: bool = False
    points: int = 0
    uncertain: bool = False
    params: dict = field(default_factory=dict, compare=False)
    material_refs: tuple = ()
    fact_refs: tuple = ()

    @property
    def key(self):
        return (self.rule_code, self.subject)


@dataclass(frozen=True)
class RuleConfig:
    """How a rule runs: switched on or off, its severity, whether it vetoes,
    its threshold (ages in years, a gap in months; None: the default) and
    the points each finding takes off (None: by severity)."""

    active: bool = True
    severity: str = "major"
    veto: bool = False
    threshold: int | None = None
    points: int | None = None

    def points_for(self, severity):
        if severity == "info":
            return 0
        return DEFAULT_POINTS[severity] if self.points is None else self.points


@dataclass(frozen=True)
class Rule:
    code: str
    description: str
    check: Callable
    severity: str = "major"
    veto: bool = False
    threshold: int | None = None

    def default_config(self):
        return RuleConfig(
            severity=self.severity, veto=self.veto, threshold=self.threshold
        )


@dataclass(frozen=True)
class Grading:
    """Grades by score: ``excellent`` from ``excellent_min``, ``pass`` from
    ``pass_min``, ``fail`` below (and on any single-veto finding)."""

    excellent_min: int = 97
    pass_min: int = 90

    def grade(self, score, vetoed=False):
        if vetoed or score < self.pass_min:
            return "fail"
        return "excellent" if score >= self.excellent_min else "pass"


@dataclass(frozen=True)
class Result:
    findings: tuple[Finding, ...]
    score: int
    grade: str
    vetoed: bool


# --------------------------------------------------------------------------
# Date helpers
# --------------------------------------------------------------------------
def anniversary(birthday: datetime.date, years: int) -> datetime.date:
    """The day a person born on ``birthday`` turns ``years`` (29 February:
    1 March of a common year)."""
    year = birthday.year + years
    if (birthday.month, birthday.day) == (2, 29) and not calendar.isleap(year):
        return datetime.date(year, 3, 1)
    return birthday.replace(year=year)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus ``months`` calendar months (31 January + 1: 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def age_check(birth: PartialDate, on: PartialDate, years: int):
    """Whether a person born ``birth`` was ``years`` old on ``on``: True,
    False, or None when the partial dates allow both."""
    if on.first_day() >= anniversary(birth.last_day(), years):
        return True
    if on.last_day() < anniversary(birth.first_day(), years):
        return False
    return None


def before(a: PartialDate | None, b: PartialDate | None):
    """Whether ``a`` is before ``b``: True, False or None (cannot tell).

    None as ``a`` is the unknown past, as ``b`` "to this day": neither is
    used that way by the callers, who pass a start as ``a`` and an end as
    ``b``; a missing end is always after. Equal values are not before each
    other (they touch).
    """
    if b is None:
        return True
    if a is None:
        return None
    if a == b:
        return False
    if a.last_day() < b.first_day():
        return True
    if a.first_day() >= b.last_day():
        return False
    return None


def overlap(p: Period, q: Period):
    """Whether two periods overlap: True, False or None (cannot tell)."""
    first = before(q.start, p.end)
    second = before(p.start, q.end)
    if first is False or second is False:
        return False
    if first and second:
        return True
    return None


def differ(a: PartialDate, b: PartialDate) -> bool:
    """Two recorded dates differ when no day can be both."""
    return a.last_day() < b.first_day() or b.last_day() < a.first_day()


def _uncertain(finding: Finding) -> Finding:
    return replace(finding, severity="info", veto=False, points=0, uncertain=True)


def _finding(code, config, subject, *, certain=True, **kwargs):
    finding = Finding(
        rule_code=code,
        subject=subject,
        severity=config.severity,
        veto=config.veto,
        points=config.points_for(config.severity),
        **kwargs,
    )
    return finding if certain else _uncertain(finding)


# --------------------------------------------------------------------------
# Rules: one function each, (facts, config) -> list of findings
# --------------------------------------------------------------------------
def _claim_order(claim: DateClaim):
    date = claim.material_date
    return (date is None, date.sort_key() if date else (0, 0, 0), str(claim.ref))


def reference_claim(claims: Iterable[DateClaim], fact: str) -> DateClaim | None:
    """The claim that is the reference of ``fact``: for the birth date the
    earliest self-filled material (组通字〔2006〕41号), else the earliest."""
    claims = sorted((c for c in claims if c.fact == fact), key=_claim_order)
    if fact == "birth":
        claims = [c for c in claims if c.self_filled] or claims
    return claims[0] if claims else None


def check_date_mismatch(facts: DossierFacts, config: RuleConfig):
    """Dates of record recorded differently across materials, or a date of
    record that differs from its reference (earliest self-filled material
    for the birth date)."""
    findings = []
    for fact in DATE_FACTS:
        ref = reference_claim(facts.claims, fact)
        if not ref:
            continue
        for claim in facts.claims:
            if claim.fact == fact and differ(claim.value, ref.value):
                findings.append(
                    _finding(
                        "date_mismatch",
                        config,
                        f"{fact}:claim:{claim.ref}",
                        params={
                            "fact": fact,
                            "value": claim.value.format(),
                            "reference": ref.value.format(),
                        },
                        material_refs=tuple(
                            r for r in (claim.material_ref, ref.material_ref) if r
                        ),
                        fact_refs=(claim.ref, ref.ref),
                    )
                )
        record = facts.record_of(fact)
        if record and differ(record, ref.value):
            findings.append(
                _finding(
                    "date_mismatch",
                    config,
                    f"{fact}:record",
                    params={
                        "fact": fact,
                        "value": record.format(),
                        "reference": ref.value.format(),
                        "of_record": True,
                    },
                    material_refs=(ref.material_ref,) if ref.material_ref else (),
                    fact_refs=(ref.ref,),
                )
            )
    return findings


def _age_rule(code, fact, facts, config, default_age):
    date = facts.record_of(fact)
    if not (facts.birth and date):
        return []
    years = config.threshold if config.threshold is not None else default_age
    reached = age_check(facts.birth, date, years)
    if reached:
        return []
    return [
        _finding(
            code,
            config,
            fact,
            certain=reached is False,
            params={
                "date": date.format(),
                "birth": facts.birth.format(),
                "age": years,
            },
        )
    ]


def check_work_start_age(facts: DossierFacts, config: RuleConfig):
    """Work start date before the cadre was 16 (threshold: the age)."""
    return _age_rule("work_start_age", "work_start", facts, config, 16)


def check_party_age(facts: DossierFacts, config: RuleConfig):
    """Party admission before the cadre was 18 (threshold: the age)."""
    return _age_rule("party_age", "party", facts, config, 18)


def _pair_finding(code, config, p, q, result):
    return _finding(
        code,
        config,
        f"{p.ref}/{q.ref}",
        certain=result is True,
        params={
            "first": p.label,
            "first_period": _period_text(p),
            "second": q.label,
            "second_period": _period_text(q),
        },
        material_refs=tuple(dict.fromkeys(p.material_refs + q.material_refs)),
        fact_refs=(p.ref, q.ref),
    )


def _period_text(p: Period):
    start = p.start.format() if p.start else "?"
    end = p.end.format() if p.end else ""
    return f"{start}-{end}"


def _dated(periods, kind, full_time=True):
    return sorted(
        (
            p
            for p in periods
            if p.kind == kind and p.start and (p.full_time or not full_time)
        ),
        key=lambda p: (p.start.sort_key(), str(p.ref)),
    )


def check_study_work_overlap(facts: DossierFacts, config: RuleConfig):
    """Full-time study overlapping a full-time post."""
    findings = []
    for study in _dated(facts.periods, "education"):
        for work in _dated(facts.periods, "work"):
            result = overlap(study, work)
            if result is not False:
                findings.append(
                    _pair_finding("study_work_overlap", config, study, work, result)
                )
    return findings


def check_work_overlap(facts: DossierFacts, config: RuleConfig):
    """Two full-time posts of the work history at the same time."""
    findings = []
    posts = _dated(facts.periods, "work")
    for index, first in enumerate(posts):
        for second in posts[index + 1 :]:
            result = overlap(first, second)
            if result is not False:
                findings.append(
                    _pair_finding("work_overlap", config, first, second, result)
                )
    return findings


def _gap_longer(end: PartialDate, start: PartialDate, months: int):
    """Whether ``start`` comes more than ``months`` after ``end``: True,
    False or None."""
    if start.first_day() > add_months(end.last_day(), months):
        return True
    if start.last_day() <= add_months(end.first_day(), months):
        return False
    return None


def check_work_gap(facts: DossierFacts, config: RuleConfig):
    """A gap longer than N months (threshold, default 6) between one line
    of the history (study or work) and the next, from the first line on."""
    months = config.threshold if config.threshold is not None else 6
    lines = sorted(
        (p for p in facts.periods if p.start),
        key=lambda p: (p.start.sort_key(), str(p.ref)),
    )
    findings = []
    covered = None  # the line reaching furthest so far
    for line in lines:
        if covered is not None:
            if covered.end is None:
                break  # to this day: no gap can follow
            result = _gap_longer(covered.end, line.start, months)
            if result is not False:
                findings.append(
                    _finding(
                        "work_gap",
                        config,
                        f"{covered.ref}/{line.ref}",
                        certain=result is True,
                        params={
                            "end": covered.end.format(),
                            "start": line.start.format(),
                            "months": months,
                            "first": covered.label,
                            "second": line.label,
                        },
                        fact_refs=(covered.ref, line.ref),
                    )
                )
        if covered is None or _reaches_further(line, covered):
            covered = line
    return findings


def _reaches_further(line: Period, covered: Period):
    if line.end is None:
        return True
    if covered.end is None:
        return False
    return line.end.last_day() > covered.end.last_day()


def check_appointment_incomplete(facts: DossierFacts, config: RuleConfig):
    """A filed appointment material (任免) without its approving body,
    approval date or document number."""
    findings = []
    for material in facts.materials:
        if not (material.filed and material.appointment):
            continue
        lacking = [
            name
            for name, value in (
                ("approving_body", (material.approving_body or "").strip()),
                ("approval_date", material.approval_date),
                ("document_number", (material.document_number or "").strip()),
            )
            if not value
        ]
        if lacking:
            findings.append(
                _finding(
                    "appointment_incomplete",
                    config,
                    f"material:{material.ref}",
                    params={"material": material.title, "lacking": lacking},
                    material_refs=(material.ref,),
                )
            )
    return findings


def check_integrity_failed(facts: DossierFacts, config: RuleConfig):
    """A filed material whose scans failed their integrity check (altered
    or gone): a single-veto item by default."""
    return [
        _finding(
            "integrity_failed",
            config,
            f"material:{material.ref}",
            params={"material": material.title, "verdict": material.integrity},
            material_refs=(material.ref,),
        )
        for material in facts.materials
        if material.filed and material.integrity in INTEGRITY_FAILED
    ]


def check_missing_material(facts: DossierFacts, config: RuleConfig):
    """Materials due and missing (the seam to the upkeep's list of missing
    materials: the caller fills ``facts.missing``)."""
    return [
        _finding(
            "missing_material",
            config,
            f"missing:{item.ref}",
            params={
                "name": item.name,
                "category": item.category_code,
                "deadline": item.deadline.isoformat() if item.deadline else "",
            },
        )
        for item in facts.missing
    ]


RULES = {
    rule.code: rule
    for rule in (
        Rule(
            "date_mismatch",
            "Date recorded differently across materials",
            check_date_mismatch,
        ),
        Rule(
            "work_start_age",
            "Work start before the minimum age",
            check_work_start_age,
            threshold=16,
        ),
        Rule(
            "party_age",
            "Party admission before the minimum age",
            check_party_age,
            threshold=18,
        ),
        Rule(
            "study_work_overlap",
            "Full-time study overlapping full-time work",
            check_study_work_overlap,
        ),
        Rule(
            "work_overlap",
            "Overlapping posts in the work history",
            check_work_overlap,
        ),
        Rule(
            "work_gap",
            "Gap in the history longer than N months",
            check_work_gap,
            severity="minor",
            threshold=6,
        ),
        Rule(
            "appointment_incomplete",
            "Appointment material lacking approving body, date or number",
            check_appointment_incomplete,
        ),
        Rule(
            "integrity_failed",
            "Filed material whose integrity check failed",
            check_integrity_failed,
            severity="critical",
            veto=True,
        ),
        Rule(
            "missing_material",
            "Material due and missing",
            check_missing_material,
            severity="minor",
        ),
    )
}


def default_configs():
    """The configuration of every rule as shipped."""
    return {code: rule.default_config() for code, rule in RULES.items()}


# --------------------------------------------------------------------------
# Running and scoring
# --------------------------------------------------------------------------
def score(findings: Iterable[Finding], accepted=frozenset()):
    """Return (score, vetoed): 100 less the points of the findings not
    accepted, at least 0; a single-veto finding not accepted makes it 0."""
    counted = [f for f in findings if f.key not in accepted]
    vetoed = any(f.veto for f in counted)
    if vetoed:
        return 0, True
    return max(0, FULL_SCORE - sum(f.points for f in counted)), False


def run(facts: DossierFacts, configs=None, grading=None, accepted=frozenset()):
    """Run every active rule on ``facts``; ``configs`` maps rule codes to
    :class:`RuleConfig` (rules left out run as shipped). ``accepted`` holds
    the keys (rule code, subject) of findings accepted before: they are
    still reported but take nothing off."""
    configs = {**default_configs(), **(configs or {})}
    grading = grading or Grading()
    findings = []
    for code, rule in RULES.items():
        config = configs[code]
        if config.active:
            findings.extend(rule.check(facts, config))
    total, vetoed = score(findings, accepted)
    return Result(tuple(findings), total, grading.grade(total, vetoed), vetoed)


# --------------------------------------------------------------------------
# Unit summary
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class AuditRow:
    """One dossier's audit, for the unit summary."""

    unit: str
    score: int
    grade: str
    vetoed: bool = False
    open_findings: int = 0


def unit_summary(rows: Iterable[AuditRow]):
    """Per unit, in name order: dossiers audited, average score (one
    decimal), how many excellent / pass / fail, vetoed, open findings."""
    units = {}
    for row in rows:
        unit = units.setdefault(
            row.unit,
            {
                "unit": row.unit,
                "dossiers": 0,
                "total": 0,
                "excellent": 0,
                "pass": 0,
                "fail": 0,
                "vetoed": 0,
                "open_findings": 0,
            },
        )
        unit["dossiers"] += 1
        unit["total"] += row.score
        unit[row.grade] += 1
        unit["vetoed"] += int(row.vetoed)
        unit["open_findings"] += row.open_findings
    summary = []
    for name in sorted(units):
        unit = units[name]
        total = unit.pop("total")
        unit["average"] = round(total / unit["dossiers"], 1)
        summary.append(unit)
    return summary
