"""A call's jury: find juror accounts by name and seat them (jury.services.seat_juror), set the
chair, change a juror's expertise and profile, unseat a juror (jury.seats: refused once the
juror has scored). Conflicts of interest stay on their own pages."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jury import seats
from jury import services as jury_services
from jury.models import JuryMember
from jury.selectors import assignments_in_call, juror_candidates, jury_of
from submissions.errors import DomainError
from submissions.models import Call

from ...forms_setup import ChairForm, JurorSearchForm, SeatEditForm, SeatForm, person
from ..common import posted, render_refused, secretariat_required, show_error
from .shared import url_of

TEMPLATE = "frontend/secretariat/jury.html"


def jury_context(call: Call, request, **forms) -> dict:
    search = JurorSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    members = list(jury_of(call))
    chair = next((m.juror for m in members if m.is_chair), None)
    return {
        "call": call,
        "members": members,
        "search": search,
        "query": query,
        "candidates": list(juror_candidates(call, query)),
        "chair_form": forms.get("chair_form") or ChairForm(call=call, initial={"juror": chair}),
        "refusal": forms.get("refusal", ""),
    }


@secretariat_required
def jury(request, slug: str):
    call = get_object_or_404(Call, slug=slug)
    if request.method != "POST":
        return render(request, TEMPLATE, jury_context(call, request))
    form = SeatForm(request.POST)
    if not form.is_valid():
        refusal = _("Choose a juror account from the list.")
        return render(request, TEMPLATE, jury_context(call, request, refusal=refusal), status=400)
    juror = form.cleaned_data["juror"]
    try:
        jury_services.seat_juror(request.user, call, juror)
    except DomainError as error:
        context = jury_context(call, request, refusal=error.message)
        return render_refused(request, TEMPLATE, context, error)
    messages.success(request, _("%(name)s is on the jury.") % {"name": person(juror)})
    return redirect(url_of("secretariat:jury", call.slug) + "#members-title")


@require_POST
@secretariat_required
def chair(request, slug: str):
    call = get_object_or_404(Call, slug=slug)
    form = ChairForm(request.POST, call=call)
    if not form.is_valid():
        context = jury_context(call, request, chair_form=form)
        return render(request, TEMPLATE, context, status=400)
    juror = form.cleaned_data["juror"]
    try:
        seats.set_chair(request.user, call, juror)
    except DomainError as error:
        show_error(form, error)
        return render_refused(
            request, TEMPLATE, jury_context(call, request, chair_form=form), error
        )
    if juror is None:
        messages.success(request, _("The jury has no chair now."))
    else:
        messages.success(request, _("%(name)s chairs the jury.") % {"name": person(juror)})
    return redirect("secretariat:jury", slug=call.slug)


def _seat(call: Call, juror_id: int) -> JuryMember:
    return get_object_or_404(
        JuryMember.objects.select_related("juror__juror_profile"), call=call, juror_id=juror_id
    )


@secretariat_required
def seat(request, slug: str, juror: int):
    call = get_object_or_404(Call, slug=slug)
    member = _seat(call, juror)
    profile = getattr(member.juror, "juror_profile", None)
    initial = {
        "expertise": member.expertise,
        "affiliation": profile.affiliation if profile else "",
        "city": profile.city if profile else "",
        "country": profile.country if profile else "",
    }
    form = SeatEditForm(posted(request), call=call, initial=initial)
    context = {"call": call, "member": member, "form": form, "name": person(member.juror)}
    template = "frontend/secretariat/jury_seat.html"
    if request.method != "POST":
        return render(request, template, context)
    if not form.is_valid():
        return render(request, template, context, status=400)
    try:
        # Seating again changes the seat's expertise and the profile; the chair stays as it is.
        jury_services.seat_juror(
            request.user, call, member.juror, is_chair=member.is_chair, **form.cleaned_data
        )
    except DomainError as error:
        show_error(form, error)
        return render_refused(request, template, context, error)
    messages.success(request, _("%(name)s's seat was saved.") % {"name": context["name"]})
    return redirect("secretariat:jury", slug=call.slug)


@secretariat_required
def unseat(request, slug: str, juror: int):
    """A confirmation first (what goes with the seat), then the unseating."""
    call = get_object_or_404(Call, slug=slug)
    member = _seat(call, juror)
    if request.method != "POST":
        context = {
            "call": call,
            "member": member,
            "name": person(member.juror),
            "assignments": assignments_in_call(call, member.juror).count(),
        }
        return render(request, "frontend/secretariat/jury_unseat.html", context)
    try:
        seats.unseat_juror(request.user, call, member.juror)
    except DomainError as error:
        context = jury_context(call, request, refusal=error.message)
        return render_refused(request, TEMPLATE, context, error)
    messages.success(request, _("%(name)s left the jury.") % {"name": person(member.juror)})
    return redirect("secretariat:jury", slug=call.slug)
