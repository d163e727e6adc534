"""凡提必审: no appointment or promotion without a recent, good enough audit.

When HR records a new post or rank for a cadre, the Odoo layer lists the
done special audits (专项审核) of the cadre's dossier as :class:`AuditRef`
and calls :func:`evaluate` with the archive's today and the company's
settings (how many months an audit stays valid, the lowest grade that lets a
promotion through). It gets a :class:`Verdict` back: whether the change
passes, why not, and the audit that decided.

Conventions (each tested in ``tests/test_promotion.py``):

- An audit is recent when it was done on or after today less N calendar
  months: with N = 12, on 30 November 2026 an audit of 30 November 2025 is
  recent (exactly N months: still valid), one of 29 November 2025 too old.
  31 May less 3 months is 28 (or 29) February.
- The latest recent audit decides: a newer audit that fails overrides an
  older one that passed (the dossier is as the last audit found it).
- Grades are ordered best first, as in :data:`.audit.GRADES`: excellent,
  pass, fail. A promotion passes when the deciding audit's grade is the
  minimum grade or better.

Nothing here is user-facing text: the reason is a code.
"""

import datetime
from dataclasses import dataclass

from .audit import GRADES, add_months
from .errors import ArchiveLibError

# why a promotion does not pass
NO_AUDIT = "no_audit"
TOO_OLD = "too_old"
GRADE_LOW = "grade_low"
PASSED = "passed"
REASONS = (NO_AUDIT, TOO_OLD, GRADE_LOW, PASSED)


class PromotionCheckError(ArchiveLibError):
    """The settings of the check are not usable (months, grade)."""


@dataclass(frozen=True)
class AuditRef:
    """A done audit of the dossier: its reference, the day it was done (in
    the archive's time zone) and its grade."""

    ref: object
    day: datetime.date
    grade: str


@dataclass(frozen=True)
class Verdict:
    """The outcome of the check: ``passed``, the ``reason`` code, the audit
    that decided (the deciding recent audit, else the latest one, else
    None) and the earliest day an audit may date from."""

    passed: bool
    reason: str
    audit: AuditRef | None
    valid_from: datetime.date


def grade_at_least(grade, minimum):
    """Whether ``grade`` is ``minimum`` or better (no grade: never)."""
    if minimum not in GRADES:
        raise PromotionCheckError("unknown_grade", grade=minimum)
    if grade not in GRADES:
        return False
    return GRADES.index(grade) <= GRADES.index(minimum)


def valid_from(today, months):
    """The earliest day of a recent audit: today less ``months`` months."""
    if months < 1:
        raise PromotionCheckError("months_not_positive", months=months)
    return add_months(today, -months)


def _latest(audits):
    return max(audits, key=lambda a: (a.day, str(a.ref)), default=None)


def evaluate(audits, today, months, min_grade):
    """Judge a promotion on the done audits of the dossier (see the module
    docstring for the conventions)."""
    since = valid_from(today, months)
    grade_at_least(None, min_grade)  # refuses an unknown minimum grade
    audits = list(audits)
    recent = _latest([a for a in audits if a.day >= since])
    if recent is None:
        latest = _latest(audits)
        reason = TOO_OLD if latest else NO_AUDIT
        return Verdict(False, reason, latest, since)
    if grade_at_least(recent.grade, min_grade):
        return Verdict(True, PASSED, recent, since)
    return Verdict(False, GRADE_LOW, recent, since)
