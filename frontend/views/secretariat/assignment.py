"""The assignment of a round's entries to its jurors: preview the optimal plan, then apply it
(through jury.services.auto_assign, as the API). Open to the jury's chair too."""

from collections import Counter
from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jury import services as jury_services
from jury.selectors import manageable_entries, round_assignments
from scoring.selectors import rounds_of
from submissions.errors import DomainError
from submissions.models import User
from submissions.visibility import title_shown_to

from ...forms import AutoAssignForm
from ..common import posted, render_refused, show_error
from .shared import managed_call, manager_or_secretariat, round_shown, url_of


def _usernames(ids) -> dict[int, User]:
    return {u.pk: u for u in User.objects.filter(pk__in=list(ids))}


def _plan_view(result, round_, viewer: User) -> dict:
    plan = result.plan
    jurors = _usernames(plan.loads)
    # Only entries the viewer may act on, titles as the viewer may read them (blind calls).
    entries = manageable_entries(round_, viewer).select_related("call", "organization")
    titles = {entry.pk: title_shown_to(viewer, entry) for entry in entries}
    new_by_juror = Counter(j for _s, j in plan.new_pairs)
    loads = sorted(plan.loads.values()) or [0]
    return {
        "applied": result.applied,
        "balanced": plan.balanced,
        "expertise_matches": plan.expertise_matches,
        "objective": plan.objective,
        "load_min": loads[0],
        "load_max": loads[-1],
        "kept": len(result.problem.existing),
        "new_count": len(plan.new_pairs),
        "loads": [
            {"juror": jurors.get(j), "load": load, "new": new_by_juror.get(j, 0)}
            for j, load in sorted(plan.loads.items(), key=lambda item: jurors[item[0]].username)
        ],
        "pairs": [
            {"entry": s, "title": titles.get(s, ""), "juror": jurors.get(j)}
            for s, j in plan.new_pairs
        ],
        "notes": plan.notes,
    }


@manager_or_secretariat
def assignment(request, slug: str):
    call = managed_call(request, slug)
    number = request.GET.get("round") or request.POST.get("round")
    if not number:  # the latest round with entries to judge
        with_entries = [r for r in rounds_of(call) if manageable_entries(r, request.user).exists()]
        number = with_entries[-1].number if with_entries else None
    round_, no_round = round_shown(call, number)
    form = AutoAssignForm(posted(request))
    context = {
        "call": call,
        "round": round_,
        "rounds": rounds_of(call),
        "no_round": no_round,
        "form": form,
        "plan": None,
    }
    if round_ is not None:
        context["entries"] = manageable_entries(round_, request.user).count()
        context["current"] = (
            round_assignments(round_, request.user).filter(declined_at__isnull=True).count()
        )
    if request.method == "POST" and round_ is not None:
        if not form.is_valid():
            return render(request, "frontend/secretariat/assignment.html", context, status=400)
        apply = request.POST.get("apply") == "1"
        try:
            result = jury_services.auto_assign(
                request.user,
                round_,
                reviewers_per_submission=form.cleaned_data["reviewers_per_submission"],
                max_per_juror=form.cleaned_data["max_per_juror"],
                dry_run=not apply,
            )
        except DomainError as error:
            show_error(form, error)
            return render_refused(request, "frontend/secretariat/assignment.html", context, error)
        if apply:
            messages.success(
                request,
                _("The plan is applied: %(count)s new assignments. The jurors were emailed.")
                % {"count": len(result.plan.new_pairs)},
            )
            query = urlencode({"round": round_.number})
            return redirect(f"{url_of('secretariat:progress', call.slug)}?{query}")
        context["plan"] = _plan_view(result, round_, request.user)
    return render(request, "frontend/secretariat/assignment.html", context)
