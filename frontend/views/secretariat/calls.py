"""The secretariat's calls: create, change (through submissions.services, as the API), and the
call's page with its deadline history and rounds."""

import zoneinfo
from collections import Counter

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from scoring.selectors import rounds_of
from submissions import services
from submissions.errors import DomainError
from submissions.models import Call, DeadlineExtension, Submission

from ...forms import CallForm, ExtendDeadlineForm
from ..common import posted, secretariat_required, show_error
from .shared import status_counts, with_release


def call_context(call: Call, extend_form=None) -> dict:
    counts = status_counts([call.pk]).get(call.pk, Counter())
    return {
        "call": call,
        "counts": counts,
        "to_review": counts.get(Submission.Status.SUBMITTED, 0),
        "extend_form": extend_form or ExtendDeadlineForm(),
        "extensions": DeadlineExtension.objects.filter(call=call)
        .select_related("organization", "created_by")
        .order_by("-created_at", "-id"),
        "rounds": [with_release(round_) for round_ in rounds_of(call)],
    }


@secretariat_required
def call(request, slug: str):
    call = get_object_or_404(Call, slug=slug)
    return render(request, "frontend/secretariat/call.html", call_context(call))


def _zone(name: str):
    try:
        return zoneinfo.ZoneInfo(name or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _save_call(request, form: CallForm, call: Call | None):
    """Create or change the call through the same services as the API (their checks, their
    audit events); the dates are typed as the call's own clock shows them."""
    with timezone.override(_zone(request.POST.get("timezone", ""))):
        valid = form.is_valid()
    if not valid:
        return None
    try:
        if call is None:
            return services.create_call(request.user, **form.call_fields())
        return services.update_call(request.user, call, **form.call_fields())
    except DomainError as error:
        show_error(form, error)
        return None


@secretariat_required
def call_new(request):
    form = CallForm(posted(request))
    if request.method == "POST":
        saved = _save_call(request, form, None)
        if saved:
            messages.success(request, _("The call was created."))
            return redirect("secretariat:call", slug=saved.slug)
        return render(request, "frontend/secretariat/call_form.html", {"form": form}, status=400)
    return render(request, "frontend/secretariat/call_form.html", {"form": form})


@secretariat_required
def call_edit(request, slug: str):
    call = get_object_or_404(Call, slug=slug)
    form = CallForm(posted(request), initial=CallForm.initial_for(call), editing=True)
    context = {"form": form, "call": call}
    if request.method == "POST":
        if _save_call(request, form, call):
            messages.success(request, _("The call was saved."))
            return redirect("secretariat:call", slug=call.slug)
        return render(request, "frontend/secretariat/call_form.html", context, status=400)
    return render(request, "frontend/secretariat/call_form.html", context)
