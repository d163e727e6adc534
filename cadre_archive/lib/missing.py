"""Materials every dossier must hold (欠缺材料), and materials due after an event.

A dossier's facts (its filed materials, the cadre's political status, the year
they started work, the appointments recorded) are checked against configured
rules; :func:`missing_materials` returns what is missing, one :class:`Missing`
per expected material, each with a stable ``key`` so that a later check finds
the same expectation again.  Nothing here is user-facing text: the Odoo layer
names each missing material from its rule and its ``year`` or ``date``.

Rules (``Rule.code``):

``cv``
    a curriculum vitae (干部履历表): one material of the rule's category whose
    title holds one of the keywords.
``annual_assessment``
    an annual assessment form (年度考核登记表) for each year of service from
    the later of the rule's ``start_year`` (1997 by default) and the year the
    cadre started work, up to last year; the current year is not due yet.  A
    form is for the year written in its title (2015年度考核登记表), else for
    the year of its formation date.
``party_application`` / ``party_confirmation``
    the party membership application (入党志愿书) of a member or probationary
    member; the confirmation of membership (入党转正) of a full member only (a
    probationary member is not confirmed yet).  Nobody else is asked.
``appointment_form``
    an appointment and removal form (任免审批表) for each appointment
    recorded: a form of the rule's category dated within ``window_days`` (365
    by default) of the appointment; one form answers one appointment.
"""

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

from .errors import ArchiveLibError

DEFAULT_START_YEAR = 1997
DEFAULT_WINDOW_DAYS = 365
RULE_CODES = (
    "cv",
    "annual_assessment",
    "party_application",
    "party_confirmation",
    "appointment_form",
)
# statuses of a member or probationary member of the party (POLITICAL_STATUSES)
PARTY_MEMBER = "cpc_member"
PARTY_PROBATIONARY = "cpc_probationary"

_YEAR_IN_TITLE = re.compile(r"(?<!\d)(19\d{2}|20\d{2})(?!\d)")
_KEYWORD_SEPARATORS = re.compile(r"[,，、;；\n]+")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


class MissingRuleError(ArchiveLibError):
    """A rule of the missing materials is unknown or badly configured."""


@dataclass(frozen=True)
class Material:
    """A filed material, as the rules see it."""

    category_code: str
    title: str
    date: dt.date | None = None


@dataclass(frozen=True)
class Appointment:
    """An appointment recorded for the cadre (a new post)."""

    date: dt.date
    title: str = ""


@dataclass(frozen=True)
class Rule:
    """A configured rule: its code, the category and the title keywords of the
    materials that satisfy it, and its parameters."""

    code: str
    category_code: str
    keywords: tuple = ()
    start_year: int = DEFAULT_START_YEAR
    window_days: int = DEFAULT_WINDOW_DAYS


@dataclass(frozen=True)
class Facts:
    """What the archive knows of one cadre."""

    materials: tuple = ()
    political_status: str | None = None
    work_start_year: int | None = None
    appointments: tuple = ()


@dataclass(frozen=True)
class Missing:
    """One expected material that the dossier does not hold."""

    rule_code: str
    key: str
    category_code: str
    year: int | None = None
    date: dt.date | None = None
    detail: str = ""
    params: dict = field(default_factory=dict, compare=False)


def parse_keywords(text):
    """Keywords written one per line or separated by commas or 、."""
    return tuple(
        word.strip() for word in _KEYWORD_SEPARATORS.split(text or "") if word.strip()
    )


def _matching(materials, rule):
    """The materials of the rule's category (or below it) whose title holds one
    of its keywords (any title when the rule has none)."""
    prefix = f"{rule.category_code}-"
    return [
        material
        for material in materials
        if (
            material.category_code == rule.category_code
            or material.category_code.startswith(prefix)
        )
        and (
            not rule.keywords
            or any(keyword in (material.title or "") for keyword in rule.keywords)
        )
    ]


def assessment_year(material):
    """The year an assessment form is for: written in its title, else the year
    of its formation date (None when neither says)."""
    found = _YEAR_IN_TITLE.search(material.title or "")
    if found:
        return int(found.group(1))
    return material.date.year if material.date else None


def assessment_years(rule, work_start_year, today):
    """The years whose assessment form is due: from the later of the rule's
    start year and the year work started, to last year, both included."""
    first = max(rule.start_year, work_start_year or rule.start_year)
    return range(first, today.year)


def _check_cv(rule, facts, today):
    if _matching(facts.materials, rule):
        return []
    return [Missing(rule.code, rule.code, rule.category_code)]


def _check_annual_assessment(rule, facts, today):
    held = {assessment_year(material) for material in _matching(facts.materials, rule)}
    return [
        Missing(
            rule.code,
            f"{rule.code}:{year}",
            rule.category_code,
            year=year,
            date=dt.date(year, 12, 31),
        )
        for year in assessment_years(rule, facts.work_start_year, today)
        if year not in held
    ]


def _check_party_application(rule, facts, today):
    if facts.political_status not in (PARTY_MEMBER, PARTY_PROBATIONARY):
        return []
    return _check_cv(rule, facts, today)


def _check_party_confirmation(rule, facts, today):
    if facts.political_status != PARTY_MEMBER:
        return []
    return _check_cv(rule, facts, today)


def _check_appointment_form(rule, facts, today):
    """Pair each appointment, oldest first, with the unused form dated closest
    to it within the window; an appointment left without one is missing."""
    window = dt.timedelta(days=rule.window_days)
    forms = [m for m in _matching(facts.materials, rule) if m.date]
    used = set()
    missing = []
    for appointment in sorted(facts.appointments, key=lambda a: a.date):
        candidates = [
            (abs(form.date - appointment.date), index)
            for index, form in enumerate(forms)
            if index not in used and abs(form.date - appointment.date) <= window
        ]
        if candidates:
            used.add(min(candidates)[1])
            continue
        missing.append(
            Missing(
                rule.code,
                f"{rule.code}:{appointment.date.isoformat()}",
                rule.category_code,
                date=appointment.date,
                detail=appointment.title,
            )
        )
    return missing


_CHECKS = {
    "cv": _check_cv,
    "annual_assessment": _check_annual_assessment,
    "party_application": _check_party_application,
    "party_confirmation": _check_party_confirmation,
    "appointment_form": _check_appointment_form,
}


def missing_materials(facts, rules, today):
    """What the dossier described by ``facts`` lacks under ``rules``, in the
    order of the rules."""
    missing = []
    for rule in rules:
        check = _CHECKS.get(rule.code)
        if check is None:
            raise MissingRuleError("unknown_rule", rule=rule.code)
        missing.extend(check(rule, facts, today))
    return missing


# ----------------------------------------------------------------------
# Materials due after an HR event
# ----------------------------------------------------------------------
def add_months(day, months):
    """``day`` plus ``months`` calendar months; the 31st of a shorter month
    becomes its last day (31 January plus one month is 28 or 29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def deadline(event_date, count, unit):
    """The date by which the material of an event is due: the event date plus
    ``count`` days or months (``unit`` is "days" or "months")."""
    if count < 0:
        raise MissingRuleError("negative_delay", count=count)
    if unit == "days":
        return event_date + dt.timedelta(days=count)
    if unit == "months":
        return add_months(event_date, count)
    raise MissingRuleError("bad_delay_unit", unit=unit)


def render_description(template, values):
    """Fill ``{name}`` placeholders of a rule's description from ``values``;
    an unknown placeholder is left as written.  Nothing but plain names is
    replaced (no attribute or index access, unlike ``str.format``)."""

    def replace(match):
        value = values.get(match.group(1))
        return match.group(0) if value is None else str(value)

    return _PLACEHOLDER.sub(replace, template or "")


def pick_due(dues, material_date):
    """Of the open dues ``(id, event_date, deadline)`` a filed material may
    fulfil, the one it fulfils: the one whose event is closest to the
    material's formation date (a due without event date counts as farthest),
    then the earliest deadline, then the oldest.  None when there is none."""
    if not dues:
        return None

    def distance(due):
        due_id, event_date, due_deadline = due
        if event_date is None or material_date is None:
            gap = dt.timedelta.max
        else:
            gap = abs(material_date - event_date)
        return (gap, due_deadline or dt.date.max, due_id)

    return min(dues, key=distance)[0]
