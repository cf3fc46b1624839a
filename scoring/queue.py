"""A juror's queue: which entry to score first, where an entry stands in its round, and which
comes next. Pure (no Django): plain items in, plain answers out, for the juror's pages.

An item's state is ``draft`` (something written, not submitted), ``untouched`` (never scored,
even if opened) or ``submitted``. A round is *open* for the juror while its jury deadline has
not passed and something is left to submit; the others are finished.

Within a round, the order is stable (the entries' order of assignment), so that "3 of 6" and
previous/next do not move while the juror works; the home page shows the work to do first.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

DRAFT, UNTOUCHED, SUBMITTED = "draft", "untouched", "submitted"
STATE_ORDER = {DRAFT: 0, UNTOUCHED: 1, SUBMITTED: 2}


@dataclass(frozen=True)
class Item:
    """One assignment of the juror: its id, its round, the round's jury deadline, its state."""

    assignment: int
    round: int
    deadline: datetime
    state: str
    payload: Any = None  # what the page shows of it, carried along untouched

    @property
    def to_score(self) -> bool:
        return self.state != SUBMITTED


@dataclass(frozen=True)
class RoundQueue:
    round: int
    deadline: datetime
    items: tuple[Item, ...]  # work to do first: drafts, untouched, then submitted
    open: bool

    @property
    def done(self) -> int:
        return sum(1 for item in self.items if not item.to_score)

    @property
    def left(self) -> int:
        return len(self.items) - self.done


def state_of(submitted: bool, worked: bool) -> str:
    if submitted:
        return SUBMITTED
    return DRAFT if worked else UNTOUCHED


def home_order(items: Iterable[Item], now: datetime) -> tuple[list[RoundQueue], list[RoundQueue]]:
    """The juror's rounds: (open, finished). Open rounds soonest jury deadline first, and in
    each round drafts before untouched entries before submitted ones; finished rounds latest
    deadline first."""
    by_round: dict[int, list[Item]] = {}
    for item in items:
        by_round.setdefault(item.round, []).append(item)
    open_rounds, finished = [], []
    for round_id, members in by_round.items():
        members.sort(key=lambda item: (STATE_ORDER[item.state], item.assignment))
        deadline = members[0].deadline
        is_open = deadline >= now and any(item.to_score for item in members)
        queue = RoundQueue(round_id, deadline, tuple(members), is_open)
        (open_rounds if is_open else finished).append(queue)
    open_rounds.sort(key=lambda queue: (queue.deadline, queue.round))
    finished.sort(key=lambda queue: (queue.deadline, queue.round), reverse=True)
    return open_rounds, finished


@dataclass(frozen=True)
class Place:
    """Where an assignment stands in its round's queue (1-based), with its neighbours and the
    next entry still to score after it (None when nothing else is left)."""

    position: int
    count: int
    previous: int | None
    following: int | None
    next_to_score: int | None


def place_in_round(items: Sequence[Item], assignment: int) -> Place:
    """`items`: the juror's assignments in one round. The stable order is the assignment's;
    the next to score is the first unsubmitted entry after this one, wrapping round."""
    ordered = sorted(items, key=lambda item: item.assignment)
    ids = [item.assignment for item in ordered]
    index = ids.index(assignment)
    after = ordered[index + 1 :] + ordered[:index]
    upcoming = next((item.assignment for item in after if item.to_score), None)
    return Place(
        position=index + 1,
        count=len(ordered),
        previous=ids[index - 1] if index > 0 else None,
        following=ids[index + 1] if index + 1 < len(ids) else None,
        next_to_score=upcoming,
    )
