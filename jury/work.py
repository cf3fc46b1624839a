"""The work a juror has done on an assignment, as jury may ask about it.

Score sheets belong to scoring, which sits above jury: jury never reads or deletes them itself.
Before an assignment is declined, removed or recused, jury asks scoring, which provides the
answers at start-up (scoring/apps.py) from its one rule of what "has scored" means:

- ``submitted(assignments)``: those whose sheet is submitted (its scores stand);
- ``scored(assignments)``: those whose juror has scored: a submitted sheet, or a draft holding
  anything written, with its audit trail. A scored sheet is never deleted with its trail;
- ``discard(assignments)``: delete their sheets that hold no work (opened, nothing written), so
  that the assignments can go.

Without scoring (never the case in this project) no assignment holds any work.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet

from .models import Assignment

Assignments = QuerySet[Assignment]


@dataclass(frozen=True)
class WorkRules:
    submitted: Callable[[Assignments], Assignments]
    scored: Callable[[Assignments], Assignments]
    discard: Callable[[Assignments], None]


_NO_WORK = WorkRules(
    submitted=lambda assignments: assignments.none(),
    scored=lambda assignments: assignments.none(),
    discard=lambda assignments: None,
)
_rules = [_NO_WORK]


def provide(rules: WorkRules) -> None:
    """Called once by the app that owns the sheets (scoring), when it is ready."""
    _rules[0] = rules


def submitted(assignments: Assignments) -> Assignments:
    return _rules[0].submitted(assignments)


def scored(assignments: Assignments) -> Assignments:
    return _rules[0].scored(assignments)


def discard(assignments: Assignments) -> None:
    _rules[0].discard(assignments)
