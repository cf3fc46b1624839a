"""A round's results for the secretariat, the shortlist drawn from them and their release to
the Board (through scoring's services, as the API)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jury.selectors import round_of
from scoring import decisions, results
from scoring.rules import is_released
from scoring.selectors import rounds_of
from submissions.errors import DomainError
from submissions.models import Call

from ..common import secretariat_required
from .shared import round_shown, url_of


@secretariat_required
def results_page(request, slug: str):
    call = get_object_or_404(Call, slug=slug)
    round_, no_round = round_shown(
        call, request.GET.get("round"), busy={"assignments__sheet__status": "submitted"}
    )
    method = request.GET.get("method") or results.DEFAULT_METHOD
    answer, problem = None, no_round
    if round_ is not None:
        try:
            answer = results.results_for(request.user, call, round_, method)
        except DomainError as error:
            problem = error.message
    return render(
        request,
        "frontend/secretariat/results.html",
        {
            "call": call,
            "round": round_,
            "released": bool(round_ and is_released(round_)),
            "rounds": rounds_of(call),
            "method": method,
            "methods": list(results.METHODS),
            "results": answer,
            "problem": problem,
        },
    )


@require_POST
@secretariat_required
def shortlist(request, slug: str):
    call = get_object_or_404(Call, slug=slug)
    method = request.POST.get("method") or results.DEFAULT_METHOD
    try:
        top_n = int(request.POST.get("top_n") or 0)
    except ValueError:
        top_n = 0
    try:
        round_ = round_of(call, request.POST.get("round"))
        chosen, _next_round = decisions.shortlist(
            request.user, call, round_, method=method, top_n=top_n or None
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(count)s entries are shortlisted.") % {"count": len(chosen)})
    query = urlencode({"round": request.POST.get("round", ""), "method": method})
    return redirect(f"{url_of('secretariat:results', call.slug)}?{query}")


@require_POST
@secretariat_required
def release(request, slug: str):
    call = get_object_or_404(Call, slug=slug)
    try:
        round_ = round_of(call, request.POST.get("round"))
        results.release(request.user, round_)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The results of %(round)s are released to the Board.") % {"round": round_.name},
        )
    query = urlencode({"round": request.POST.get("round", "")})
    return redirect(f"{url_of('secretariat:results', call.slug)}?{query}")
