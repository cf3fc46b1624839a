"""Settling the cut with more reviews: k extra reviews of the entries whose place in the top N
is uncertain, placed by the exact solver as a top-up, previewed and then applied.

Where the reviews go is ``scoring.cut.choose_extra_reviews`` on the bootstrap's top-N odds,
capped per entry by the round's jurors free of conflicts who have not read it; who reads them is
``jury.assignment.top_up_problem`` solved exactly (conflicts, loads kept even, expertise). A
review already under way (an active assignment without a submitted sheet) counts as one given:
asking again for the same k after applying adds nothing, and a larger k adds the difference.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace

import pandas as pd
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jury import services as jury_services
from jury.assignment import (
    AssignmentProblem,
    InfeasibleAssignment,
    solve_assignment,
    top_up_problem,
)
from jury.models import Round
from jury.rules import ensure_manages_jury
from submissions.errors import Conflict as ConflictError
from submissions.errors import DomainError, text
from submissions.models import Call, User

from . import rules
from .cut import choose_extra_reviews
from .results import at_the_cut, entry_facts, standings_for

MAX_K = 1000

# Why an uncertain entry gets no new review, as the page words it (frontend/labels.py).
NO_FREE_JUROR = "no_free_juror"  # every juror free of conflicts already reads it
UNDER_WAY = "under_way"  # the reviews it should get are already assigned, not yet submitted
OTHERS_FIRST = "others_first"  # k went to entries closer to even odds


@dataclass(frozen=True)
class EntryAtTheCut:
    submission: int
    title: str
    rank: int
    p_top: float | None  # None when unknown (an isolated entry)
    sheets: int  # submitted sheets
    under_way: int  # readers assigned who have not submitted yet
    free_jurors: int  # jurors free of conflicts who do not read it yet
    new_readers: list[int] = field(default_factory=list)  # juror ids the plan adds
    left_out: str | None = None  # why it gets no new reader (codes above)


@dataclass(frozen=True)
class ExtraReviews:
    applied: bool
    k: int
    top_n: int
    method: str
    entries: list[EntryAtTheCut]  # the uncertain entries, closest to even odds first
    new_pairs: list[tuple[int, int]]  # (entry, juror)
    loads: dict[int, tuple[int, int]]  # juror -> (load before, load after), jurors who gain
    names: dict[int, str]  # juror -> username
    notices: list = field(default_factory=list)

    @property
    def plan_id(self) -> str:
        """A short fingerprint of the plan: the page's Apply carries the one it previewed."""
        text = ";".join(f"{s}-{j}" for s, j in self.new_pairs)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def check_k(k) -> int:
    """k, the number of extra reviews asked: a whole number from 1 to MAX_K."""
    try:
        number = int(str(k).strip()) if not isinstance(k, bool) else None
    except ValueError:
        number = None
    if number is None or not 1 <= number <= MAX_K:
        raise DomainError(
            _("Ask for a whole number of extra reviews, from 1 to %(most)s."),
            fields={"k": [_("A whole number, at least 1.")]},
            code="bad_k",
            most=MAX_K,
        )
    return number


def ensure_open_for_reviews(round_: Round) -> None:
    if rules.is_released(round_):
        raise ConflictError(
            _("The results of %(round)s are released to the Board: its reviews are closed."),
            code="round_released",
            round=round_.name,
        )
    if timezone.now() > round_.jury_deadline:
        raise ConflictError(
            _(
                "The jury deadline of %(round)s has passed: move it later before asking for "
                "more reviews."
            ),
            code="round_closed",
            round=round_.name,
        )


def _readers(problem: AssignmentProblem) -> tuple[dict[int, int], dict[int, int], dict[int, int]]:
    """Per entry: its active readers, the jurors free to read it, and per juror their load."""
    readers = dict.fromkeys(problem.submissions, 0)
    loads = dict.fromkeys(problem.jurors, 0)
    for s, j in problem.existing:
        readers[s] += 1
        loads[j] += 1
    blocked = problem.conflicts | problem.existing
    free = {s: sum(1 for j in problem.jurors if (s, j) not in blocked) for s in problem.submissions}
    return readers, free, loads


def extra_reviews(
    actor: User,
    call: Call,
    round_: Round,
    k,
    *,
    method: str | None = None,
    top_n=None,
    dry_run: bool = True,
    expected_plan: str | None = None,
) -> ExtraReviews:
    """The plan for k more reviews at the cut; applied (one transaction, audited, the jurors
    told) unless ``dry_run``. With ``expected_plan`` (a preview's ``plan_id``), applying
    refuses a plan that changed since that preview."""
    ensure_manages_jury(actor, call)
    ensure_open_for_reviews(round_)
    k = check_k(k)
    with transaction.atomic():
        if not dry_run:
            # One Apply at a time per round: a second waits, then finds the reviews given; a
            # Release committed meanwhile is seen on the locked row. A preview locks nothing.
            round_ = Round.objects.select_for_update().get(pk=round_.pk)
            ensure_open_for_reviews(round_)
        standings = standings_for(actor, call, round_, method, top_n)
        problem = jury_services.build_problem(round_, 1, 1, actor)
        readers, free, loads = _readers(problem)
        cut = at_the_cut(standings)
        uncertain = cut[cut["uncertain"].to_numpy(dtype=bool)]
        uncertain = uncertain[uncertain.index.isin(problem.submissions)]
        sheets = standings.ranking["n_sheets"].reindex(uncertain.index).astype(int)
        under_way = {s: max(0, readers[s] - int(sheets[s])) for s in uncertain.index}
        places = {s: free[s] + under_way[s] for s in uncertain.index}
        if uncertain.empty:
            raise DomainError(
                _(
                    "No entry's place at the cut is uncertain: every entry is firmly in or out "
                    "of the top %(n)s. More reviews would not change the shortlist."
                ),
                fields={"k": [_("Nothing to settle.")]},
                code="cut_settled",
                n=standings.top_n,
            )
        most = sum(places.values())
        if k > most:
            raise DomainError(
                _(
                    "At most %(most)s more reviews are possible for the entries at the cut: "
                    "each can be read only by jurors free of conflicts who do not read it yet."
                ),
                fields={"k": [text(_("At most %(most)s."), most=most)]},
                code="too_many_reviews",
                most=most,
            )
        wanted = choose_extra_reviews(uncertain["p_top"], sheets, k, places)
        extra = {s: n - under_way[s] for s, n in wanted.items() if n > under_way[s]}
        new_pairs: list[tuple[int, int]] = []
        notices = []
        if extra:
            plan = _solve(problem, extra, max(loads.values(), default=0) + sum(extra.values()))
            new_pairs, notices = plan.new_pairs, plan.notices
        result = _result(
            actor, call, standings, k, uncertain, sheets, (under_way, free, loads), new_pairs
        )
        result = replace(result, notices=notices)
        if dry_run:
            return result
        if expected_plan is not None and expected_plan != result.plan_id:
            raise ConflictError(
                _(
                    "The plan changed since your preview (new sheets or assignments): preview it "
                    "again before applying."
                ),
                code="plan_changed",
            )
        if new_pairs:
            jury_services.add_readers(
                actor,
                round_,
                new_pairs,
                action="assignment.extra_reviews",
                k=k,
                top_n=standings.top_n,
                method=standings.method,
            )
        return replace(result, applied=True)


def _solve(problem: AssignmentProblem, extra: dict[int, int], max_per_juror: int):
    try:
        return solve_assignment(top_up_problem(problem, extra, max_per_juror=max_per_juror))
    except InfeasibleAssignment as error:
        # The solver is pure and words its reasons in English (a Notice, with its code).
        raise DomainError(error.notice.message, code="no_plan") from error


def _result(actor, call, standings, k, uncertain, sheets, counts, new_pairs) -> ExtraReviews:
    under_way, free, loads = counts
    facts = entry_facts(uncertain.index, actor, call)
    by_entry: dict[int, list[int]] = {}
    gained: dict[int, int] = {}
    for s, j in new_pairs:
        by_entry.setdefault(s, []).append(j)
        gained[j] = gained.get(j, 0) + 1
    entries = []
    for s, row in uncertain.iterrows():
        s = int(s)
        if by_entry.get(s):
            why = None
        elif under_way[s]:
            why = UNDER_WAY
        elif free[s] == 0:
            why = NO_FREE_JUROR
        else:
            why = OTHERS_FIRST
        entries.append(
            EntryAtTheCut(
                submission=s,
                title=facts.get(s, {}).get("title") or "",
                rank=int(row["rank"]),
                p_top=None if pd.isna(row["p_top"]) else round(float(row["p_top"]), 3),
                sheets=int(sheets[s]),
                under_way=under_way[s],
                free_jurors=free[s],
                new_readers=sorted(by_entry.get(s, [])),
                left_out=why,
            )
        )
    names = dict(User.objects.filter(pk__in=list(gained)).values_list("pk", "username"))
    return ExtraReviews(
        applied=False,
        k=k,
        top_n=int(standings.top_n),
        method=standings.method,
        entries=entries,
        new_pairs=sorted(new_pairs),
        loads={j: (loads[j], loads[j] + n) for j, n in sorted(gained.items())},
        names=names,
    )
