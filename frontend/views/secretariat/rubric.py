"""A round's rubric: its criteria with their weights (and each one's share of the total), scales
and level descriptors, edited as a list that works without JavaScript (add a row, remove one,
renumber them), saved through scoring.rubrics.replace_rubric. Once scoring started the rubric is
locked (scoring.rules): the page says why and offers no edit."""

from decimal import Decimal

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from jury.models import Round
from scoring.models import Criterion
from scoring.rubrics import replace_rubric
from scoring.rules import ensure_rubric_editable, rubric_is_locked
from scoring.validation import number as written
from submissions.errors import DomainError
from submissions.models import Call

from ...forms_setup import RubricFormSet, levels_text, rubric_initial
from ..common import render_refused, secretariat_required

TEMPLATE = "frontend/secretariat/rubric.html"
PREFIX = "criteria"


def _rows(criteria: list[Criterion]) -> list[dict]:
    """The saved criteria with each weight's share of the total, in per cent."""
    total = sum((c.weight for c in criteria), Decimal(0))
    return [
        {
            "criterion": criterion,
            "share": (criterion.weight / total * 100) if total > 0 else Decimal(0),
            "weight": written(criterion.weight),
            "scale": [written(criterion.min_value), written(criterion.max_value)],
            "step": written(criterion.step),
            "levels": levels_text(criterion.levels).splitlines(),
        }
        for criterion in criteria
    ]


def _lock_reason(round_: Round) -> str:
    try:
        ensure_rubric_editable(round_)
    except DomainError as error:
        return error.message
    return ""


def _show_refusal(formset, error: DomainError) -> None:
    """A criterion's problems on its row (named by its code, or by its place in the list)."""
    for key, problems in (error.fields or {}).items():
        position = int(key[1:]) if key.startswith("#") and key[1:].isdigit() else None
        form = formset.form_of(key, position)
        if form is not None:
            for problem in problems if isinstance(problems, list) else [problems]:
                form.add_error(None, str(problem))


@secretariat_required
def rubric(request, slug: str, number: int):
    call = get_object_or_404(Call, slug=slug)
    round_ = get_object_or_404(Round.objects.select_related("call"), call=call, number=number)
    criteria = list(Criterion.objects.filter(round=round_).order_by("order", "id"))
    locked = rubric_is_locked(round_)
    rows = _rows(criteria)
    context = {
        "call": call,
        "round": round_,
        "rows": rows,
        "total_weight": written(sum((c.weight for c in criteria), Decimal(0))),
        "locked": locked,
        "lock_reason": _lock_reason(round_) if locked else "",
        "refusal": "",
    }
    initial = rubric_initial(criteria)
    if request.method != "POST":
        if not locked:
            context["formset"] = RubricFormSet(prefix=PREFIX, initial=initial)
        return render(request, TEMPLATE, context)
    if locked:  # the page offered no edit; a stale form hears why, as a 409
        try:
            ensure_rubric_editable(round_)
        except DomainError as error:
            return render_refused(request, TEMPLATE, context, error)
    if "add" in request.POST:  # the rows as typed, and one more empty row; nothing saved
        typed = RubricFormSet(request.POST, prefix=PREFIX, initial=initial).typed_rows()
        context["formset"] = RubricFormSet(prefix=PREFIX, initial=typed)
        return render(request, TEMPLATE, context)
    formset = RubricFormSet(request.POST, prefix=PREFIX, initial=initial)
    context["formset"] = formset
    if not formset.is_valid():
        return render(request, TEMPLATE, context, status=400)
    try:
        replace_rubric(request.user, round_, formset.criteria())
    except DomainError as error:
        _show_refusal(formset, error)
        context["refusal"] = error.message
        return render_refused(request, TEMPLATE, context, error)
    messages.success(request, _("The rubric of %(round)s was saved.") % {"round": round_.name})
    return redirect("secretariat:rubric", slug=call.slug, number=round_.number)
