"""What anyone may read about a call once its decisions are announced: the winners, the special
mentions, the selected projects, each with its summary. Nothing else is public: no score, no
juror, no rationale, no entry the Board did not reward, no file, no description.

Blind calls: a jury judges blind so that a city's name weighs nothing in the scores. Once the
Board's decisions are announced that purpose is served, and a prize goes to a city: the winners
are published with their city's name, as for any call. The entries that did not win stay
unnamed and unlisted, blind or not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q

from submissions.models import Call, Submission
from submissions.rules import announced

from .models import Decision

# The Board's outcomes that are published, in the order the page shows them.
PUBLIC_OUTCOMES = (
    Decision.Outcome.AWARDED,
    Decision.Outcome.SPECIAL_MENTION,
    Decision.Outcome.SELECTED,
)


@dataclass(frozen=True)
class PublicEntry:
    title: str
    summary: str
    theme: str
    organization: str
    city: str
    country: str
    outcome: str


@dataclass(frozen=True)
class PublicCall:
    slug: str
    title: str
    kind: str
    timezone: str
    announced_at: datetime
    groups: list[tuple[str, list[PublicEntry]]]  # (outcome, entries), empty groups left out

    @property
    def count(self) -> int:
        return sum(len(entries) for _, entries in self.groups)


def _published(prefix: str = "") -> Q:
    """A decision that is public: a rewarding outcome on an entry that still holds its award
    (an entry withdrawn afterwards is not published)."""
    return Q(
        **{
            f"{prefix}outcome__in": PUBLIC_OUTCOMES,
            f"{prefix}submission__status": Submission.Status.AWARDED,
        }
    )


def announced_calls(now: datetime | None = None) -> list[Call]:
    """The calls whose decisions are announced, latest first, each with `public_count`."""
    return list(
        Call.objects.filter(announced(now=now))
        .annotate(public_count=Count("decisions", filter=_published("decisions__")))
        .order_by("-announcement_at", "title")
    )


def public_results(slug: str, now: datetime | None = None) -> PublicCall | None:
    """The call's published winners; None before its announcement (or for no such call)."""
    call = Call.objects.filter(announced(now=now), slug=slug).first()
    if call is None:
        return None
    decisions = (
        Decision.objects.filter(_published(), call=call)
        .select_related("submission__organization")
        .order_by("submission__organization__name", "submission__title", "submission_id")
    )
    by_outcome: dict[str, list[PublicEntry]] = {outcome: [] for outcome in PUBLIC_OUTCOMES}
    for decision in decisions:
        entry = decision.submission
        organization = entry.organization
        by_outcome[decision.outcome].append(
            PublicEntry(
                title=entry.title,
                summary=entry.summary,
                theme=entry.theme,
                organization=organization.name,
                city=organization.city,
                country=organization.country,
                outcome=decision.outcome,
            )
        )
    return PublicCall(
        slug=call.slug,
        title=call.title,
        kind=call.kind,
        timezone=call.timezone,
        announced_at=call.announcement_at,
        groups=[(outcome, entries) for outcome, entries in by_outcome.items() if entries],
    )
