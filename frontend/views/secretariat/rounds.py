"""A call's judging rounds: create the next one and change one (through jury.rounds, its checks
and audit event); the dates are typed as the call's own clock shows them."""

from django.contrib import messages
from django.db.models import Max
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from jury import rounds as round_services
from jury.models import Round
from submissions.errors import DomainError
from submissions.models import Call

from ...forms_setup import RoundForm
from ..common import posted, render_refused, secretariat_required, show_error

TEMPLATE = "frontend/secretariat/round_form.html"


def _next_number(call: Call) -> int:
    return (Round.objects.filter(call=call).aggregate(top=Max("number"))["top"] or 0) + 1


def _initial(round_: Round) -> dict:
    return {
        "name": round_.name,
        "jury_deadline": timezone.localtime(round_.jury_deadline, round_.call.tzinfo).replace(
            tzinfo=None
        ),
        "jurors": list(round_.jurors.all()),
        "entries": list(round_.entries.all()),
    }


def _save(request, form: RoundForm, call: Call, round_: Round | None):
    with timezone.override(call.tzinfo):  # the deadline is typed as the call's clock shows it
        valid = form.is_valid()
    if not valid:
        return None, None
    try:
        if round_ is None:
            return round_services.create_round(request.user, call, **form.round_fields()), None
        return round_services.update_round(request.user, round_, **form.round_fields()), None
    except DomainError as error:
        show_error(form, error)
        return None, error


def _answer(request, form, context, call, round_, done: str):
    saved, error = _save(request, form, call, round_)
    if saved is not None:
        messages.success(request, done % {"name": saved.name})
        return redirect("secretariat:call", slug=call.slug)
    if error is not None:
        return render_refused(request, TEMPLATE, context, error)
    return render(request, TEMPLATE, context, status=400)


@secretariat_required
def round_new(request, slug: str):
    call = get_object_or_404(Call, slug=slug)
    number = _next_number(call)
    form = RoundForm(posted(request), call=call, number=number)
    context = {"call": call, "form": form, "number": number, "round": None}
    if request.method == "POST":
        return _answer(request, form, context, call, None, _("%(name)s was created."))
    return render(request, TEMPLATE, context)


@secretariat_required
def round_edit(request, slug: str, number: int):
    call = get_object_or_404(Call, slug=slug)
    round_ = get_object_or_404(Round, call=call, number=number)
    form = RoundForm(posted(request), call=call, number=number, initial=_initial(round_))
    context = {"call": call, "form": form, "number": number, "round": round_}
    if request.method == "POST":
        return _answer(request, form, context, call, round_, _("%(name)s was saved."))
    return render(request, TEMPLATE, context)
