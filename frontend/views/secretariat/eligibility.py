"""The secretariat's eligibility review: the entries of a call to review, and one entry's
decision with its reason (through submissions.services)."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from submissions import rules, services
from submissions.eligibility import eligibility_problems
from submissions.errors import DomainError
from submissions.models import Attachment, Call, Submission

from ...forms import EligibilityForm
from ..common import render_refused, secretariat_required, show_error


@secretariat_required
def eligibility(request, slug: str):
    call = get_object_or_404(Call, slug=slug)
    entries = list(
        Submission.objects.filter(call=call, status__in=rules.REVIEWED_STATUSES)
        .select_related("organization")
        .annotate(files=Count("attachments", filter=Q(attachments__state="complete")))
        .order_by("status", "submitted_at", "id")
    )
    for entry in entries:
        entry.problems = eligibility_problems(call, entry.organization)
    return render(
        request, "frontend/secretariat/eligibility.html", {"call": call, "entries": entries}
    )


def _entry_context(entry: Submission, form=None) -> dict:
    return {
        "entry": entry,
        "call": entry.call,
        "files": entry.attachments.filter(state=Attachment.State.COMPLETE),
        "problems": eligibility_problems(entry.call, entry.organization),
        "deadline": entry.call.deadline_for(entry.organization),
        "form": form or EligibilityForm(),
    }


@secretariat_required
def entry(request, pk: int):
    entry = get_object_or_404(Submission.objects.select_related("call", "organization"), pk=pk)
    if request.method != "POST":
        return render(request, "frontend/secretariat/entry.html", _entry_context(entry))
    form = EligibilityForm(request.POST)
    context = _entry_context(entry, form)
    if not form.is_valid():
        return render(request, "frontend/secretariat/entry.html", context, status=400)
    try:
        services.set_eligibility(
            request.user, entry, form.cleaned_data["eligible"], form.cleaned_data["reason"]
        )
    except DomainError as error:
        show_error(form, error)
        return render_refused(request, "frontend/secretariat/entry.html", context, error)
    messages.success(request, _eligibility_message(entry.pk, form))
    if request.POST.get("next") == "entry":
        return redirect("secretariat:entry", pk=entry.pk)
    return redirect("secretariat:eligibility", slug=entry.call.slug)


def _eligibility_message(number: int, form) -> str:
    if form.cleaned_data["eligible"]:
        return _("Entry %(number)s is marked eligible.") % {"number": number}
    return _("Entry %(number)s is marked ineligible.") % {"number": number}
