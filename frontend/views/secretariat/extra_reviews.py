"""Settling the cut with more reviews: k extra reviews of the entries uncertain at the cut,
previewed, then applied after a confirmation (scoring.extra_reviews, as the API). Open to the
jury's chair too."""

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scoring import extra_reviews, results
from scoring.selectors import rounds_of
from submissions.errors import DomainError

from ...forms import ExtraReviewsForm
from ..common import posted, render_refused, show_error
from .shared import managed_call, manager_or_secretariat, round_shown, url_of

TEMPLATE = "frontend/secretariat/extra_reviews.html"

LEFT_OUT = {
    extra_reviews.NO_FREE_JUROR: gettext_lazy("Every juror free of conflicts already reads it."),
    extra_reviews.UNDER_WAY: gettext_lazy("Its reviews are assigned and not yet submitted."),
    extra_reviews.OTHERS_FIRST: gettext_lazy("The reviews went to entries closer to even odds."),
}


def _plan_view(result) -> dict:
    names = result.names
    return {
        "plan_id": result.plan_id,
        "top_n": result.top_n,
        "new_count": len(result.new_pairs),
        "entries": [
            {
                **entry.__dict__,
                "readers": [names.get(j, j) for j in entry.new_readers],
                "why": LEFT_OUT.get(entry.left_out, ""),
            }
            for entry in result.entries
        ],
        "loads": [
            {"juror": names.get(j, j), "before": before, "after": after}
            for j, (before, after) in sorted(result.loads.items(), key=lambda i: names.get(i[0]))
        ],
        "notes": [notice.message for notice in result.notices],
    }


@manager_or_secretariat
def extra_reviews_page(request, slug: str):
    call = managed_call(request, slug)
    source = request.POST if request.method == "POST" else request.GET
    round_, no_round = round_shown(call, source.get("round"))
    method = source.get("method") or results.DEFAULT_METHOD
    top_n = source.get("top_n") or results.DEFAULT_TOP_N
    form = ExtraReviewsForm(posted(request))
    context = {
        "call": call,
        "round": round_,
        "rounds": rounds_of(call),
        "no_round": no_round,
        "method": method,
        "top_n": top_n,
        "form": form,
        "plan": None,
    }
    if request.method != "POST" or round_ is None:
        return render(request, TEMPLATE, context)
    if not form.is_valid():
        return render(request, TEMPLATE, context, status=400)
    apply = request.POST.get("apply") == "1"
    confirmed = form.cleaned_data["confirm"]
    try:
        result = extra_reviews.extra_reviews(
            request.user,
            call,
            round_,
            form.cleaned_data["k"],
            method=method,
            top_n=top_n,
            dry_run=not (apply and confirmed),
            expected_plan=request.POST.get("plan") if apply else None,
        )
    except DomainError as error:
        show_error(form, error)
        return render_refused(request, TEMPLATE, context, error)
    if apply and not confirmed:
        context["plan"] = _plan_view(result)
        form.add_error("confirm", _("Tick this box to apply the plan."))
        return render(request, TEMPLATE, context, status=400)
    if apply:
        messages.success(
            request,
            _("%(count)s extra reviews are assigned. The jurors were emailed.")
            % {"count": len(result.new_pairs)},
        )
        target = "secretariat:results" if request.user.is_secretariat else "secretariat:progress"
        query = urlencode({"round": round_.number, "method": method, "top_n": result.top_n})
        return redirect(f"{url_of(target, call.slug)}?{query}")
    context["plan"] = _plan_view(result)
    return render(request, TEMPLATE, context)
