"""The jury's rules, each in one place: who runs a call's jury.

Everything else asks here: the services before they act, the API and the pages before they show
a jury's work (jury.selectors.managed_call), scoring before it shows results or reopens a sheet.
"""

from django.shortcuts import get_object_or_404

from submissions.errors import NotAllowed
from submissions.models import Call, User

from .selectors import is_chair


def manages_jury(user: User, call: Call) -> bool:
    """The secretariat, or the chair of the call's jury."""
    return bool(user.is_authenticated and (user.is_secretariat or is_chair(user, call)))


def ensure_manages_jury(user: User, call: Call) -> None:
    if not manages_jury(user, call):
        raise NotAllowed("Only the secretariat or the jury's chair can do this.")


def managed_call(user: User, slug: str) -> Call:
    """The call, if the user runs its jury: a 404 when there is no such call, a 403 for anyone
    who does not run its jury (the list of calls is no secret to a signed-in person)."""
    call = get_object_or_404(Call, slug=slug)
    if not manages_jury(user, call):
        raise NotAllowed("Only the secretariat or the jury's chair can see this.")
    return call
