"""The jury's rules, each in one place: a conflict of interest binds until dismissed; who chairs
and who runs a call's jury; which assignments are a juror's own.

Everything else asks here: the selectors and services of jury, scoring before it shows results,
sheets or reopens one, the API and the pages before they show a jury's work.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from submissions.errors import NotAllowed
from submissions.models import Call, User

from .models import Conflict, JuryMember

# --- conflicts of interest -------------------------------------------------------------------


def active_conflicts() -> QuerySet[Conflict]:
    return Conflict.objects.filter(dismissed_at__isnull=True)


def juror_conflicted_with_entry(assignment_path: str) -> Exists:
    """Subquery marker for rows reaching an assignment by `assignment_path` (e.g.
    "sheet__assignment__"): its juror is in active conflict with its entry."""
    return Exists(
        active_conflicts().filter(
            submission_id=OuterRef(f"{assignment_path}submission_id"),
            juror_id=OuterRef(f"{assignment_path}juror_id"),
        )
    )


def conflicted_with(user: User):
    """Subquery marker: the submission has an active conflict with this user."""
    return Exists(active_conflicts().filter(submission=OuterRef("pk"), juror=user))


def conflicted_submission_ids(user: User) -> QuerySet:
    return active_conflicts().filter(juror=user).values("submission_id")


# --- chairs ---------------------------------------------------------------------------------


def chaired_call_ids(user: User) -> QuerySet:
    """The calls whose jury the user chairs, as a subquery."""
    return JuryMember.objects.filter(juror=user, is_chair=True).values("call_id")


def chaired_calls(user: User) -> frozenset[int]:
    """The calls whose jury the user chairs, read once per user object (one query)."""
    if not (user.is_authenticated and user.is_juror):
        return frozenset()
    cached = getattr(user, "_chaired_call_ids", None)
    if cached is None:
        cached = frozenset(chaired_call_ids(user).values_list("call_id", flat=True))
        user._chaired_call_ids = cached
    return cached


def sits_on_jury(user: User, call: Call) -> bool:
    return JuryMember.objects.filter(juror=user, call=call).exists()


def is_chair(user: User, call) -> bool:
    return JuryMember.objects.filter(juror=user, call=call, is_chair=True).exists()


# --- who runs the jury -----------------------------------------------------------------------


def manages_jury(user: User, call: Call) -> bool:
    """The secretariat, or the chair of the call's jury."""
    return bool(user.is_authenticated and (user.is_secretariat or is_chair(user, call)))


def ensure_manages_jury(user: User, call: Call) -> None:
    if not manages_jury(user, call):
        raise NotAllowed(_("Only the secretariat or the jury's chair can do this."))


def managed_call(user: User, slug: str) -> Call:
    """The call, if the user runs its jury: a 404 when there is no such call, a 403 for anyone
    who does not run its jury (the list of calls is no secret to a signed-in person)."""
    call = get_object_or_404(Call, slug=slug)
    if not manages_jury(user, call):
        raise NotAllowed(_("Only the secretariat or the jury's chair can see this."))
    return call


# --- a juror's own assignments ---------------------------------------------------------------


def active_assignments(prefix: str = "") -> Q:
    """Assignments still to be worked on: not declined, and on no entry their juror is in
    conflict with; as a filter on rows that reach an assignment by `prefix` (e.g. "assignment__"
    for sheets)."""
    return Q(**{f"{prefix}declined_at__isnull": True}) & ~juror_conflicted_with_entry(prefix)


def own_assignments(user: User, prefix: str = "") -> Q:
    """A juror's own active assignments: what a juror lists, opens, scores and may decline."""
    return Q(**{f"{prefix}juror": user}) & active_assignments(prefix)
