"""A round's progress per juror, and the reminders due (sent by hand here, by beat or cron
otherwise: the same rule, scoring.reminders). Progress is open to the jury's chair too."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from scoring import reminders
from scoring.selectors import progress, rounds_of

from ..common import secretariat_required
from .shared import managed_call, manager_or_secretariat, pending_reminders, round_shown


@manager_or_secretariat
def progress_page(request, slug: str):
    call = managed_call(request, slug)
    round_, no_round = round_shown(
        call, request.GET.get("round"), busy={"assignments__isnull": False}
    )
    rows = progress(round_, request.user) if round_ else []
    totals = {key: sum(row[key] for row in rows) for key in ("assigned", "started", "completed")}
    pending = []
    if request.user.is_secretariat:
        pending, _sent = pending_reminders()
    return render(
        request,
        "frontend/secretariat/progress.html",
        {
            "call": call,
            "round": round_,
            "no_round": no_round,
            "rows": rows,
            "totals": totals,
            "rounds": rounds_of(call),
            "pending_reminders": pending,
        },
    )


@require_POST
@secretariat_required
def send_reminders(request):
    """What `manage.py send_reminders` does: every reminder due now, none sent twice."""
    pending, _sent = pending_reminders()
    sent = reminders.send(pending)
    if sent:
        messages.success(request, _("%(count)s reminders were sent.") % {"count": sent})
    else:
        messages.info(
            request,
            _(
                "No reminder is due right now. Reminders go out 7, 3 and 1 days before a "
                "deadline, once each."
            ),
        )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("secretariat:home")
    return redirect(back or reverse("secretariat:home"))
