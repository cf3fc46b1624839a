"""Secretariat: calls and deadlines, eligibility, assignment (preview, then apply), progress,
reminders, shortlist and release of the results. Assignment and progress are open to the jury's
chair too, as in the API. The Django admin stays for raw data."""

import zoneinfo
from collections import Counter
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jury import services as jury_services
from jury.rules import manages_jury
from jury.selectors import manageable_entries, round_assignments, round_of
from scoring import decisions, reminders, results
from scoring.rules import is_released
from scoring.selectors import progress, rounds_of
from submissions import rules, services
from submissions.eligibility import eligibility_problems
from submissions.errors import DomainError
from submissions.models import Attachment, Call, DeadlineExtension, Submission, User
from submissions.visibility import title_shown_to

from ..forms import AutoAssignForm, CallForm, EligibilityForm, ExtendDeadlineForm
from .common import posted, render_refused, role_required, secretariat_required, show_error


def _status_counts(call_ids) -> dict[int, Counter]:
    rows = (
        Submission.objects.filter(call_id__in=call_ids)
        .values("call_id", "status")
        .annotate(n=Count("id"))
    )
    counts: dict[int, Counter] = {}
    for row in rows:
        counts.setdefault(row["call_id"], Counter())[row["status"]] = row["n"]
    return counts


def _pending_reminders() -> tuple[list, int]:
    due = reminders.due_reminders()
    sent = reminders.already_sent(due)
    return [r for r in due if r.dedupe_key not in sent], len(sent)


@secretariat_required
def home(request):
    calls = list(Call.objects.order_by("-deadline"))
    counts = _status_counts([c.pk for c in calls])
    for call in calls:
        call.counts = counts.get(call.pk, Counter())
    pending, _sent = _pending_reminders()
    return render(
        request,
        "frontend/secretariat/home.html",
        {"calls": calls, "pending_reminders": pending},
    )


# --- calls ---


def _call_context(call: Call, extend_form=None) -> dict:
    counts = _status_counts([call.pk]).get(call.pk, Counter())
    return {
        "call": call,
        "counts": counts,
        "to_review": counts.get(Submission.Status.SUBMITTED, 0),
        "extend_form": extend_form or ExtendDeadlineForm(),
        "extensions": DeadlineExtension.objects.filter(call=call)
        .select_related("organization", "created_by")
        .order_by("-created_at", "-id"),
        "rounds": [_with_release(round_) for round_ in rounds_of(call)],
    }


def _with_release(round_):
    round_.released = is_released(round_)
    return round_


@secretariat_required
def call(request, slug: str):
    call = get_object_or_404(Call, slug=slug)
    return render(request, "frontend/secretariat/call.html", _call_context(call))


@require_POST
@secretariat_required
def extend(request, slug: str):
    call = get_object_or_404(Call, slug=slug)
    form = ExtendDeadlineForm(request.POST)
    with timezone.override(call.tzinfo):  # the date is typed as the call's clock shows it
        valid = form.is_valid()
    context = _call_context(call, extend_form=form)
    if not valid:
        return render(request, "frontend/secretariat/call.html", context, status=400)
    try:
        services.extend_deadline(
            request.user,
            call,
            form.cleaned_data["deadline"],
            form.cleaned_data["reason"],
            organization=form.cleaned_data["organization"],
        )
    except DomainError as error:
        show_error(form, error)
        return render_refused(request, "frontend/secretariat/call.html", context, error)
    messages.success(request, _("The deadline was extended."))
    return redirect("secretariat:call", slug=call.slug)


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


# --- eligibility ---


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


# --- assignment and progress (secretariat or the jury's chair) ---


# Signed-in secretariat or juror; whether a juror chairs this call is checked by _managed.
manager_or_secretariat = role_required(lambda user: user.is_secretariat or user.is_juror)


def _managed(request, slug: str) -> Call:
    call = get_object_or_404(Call, slug=slug)
    if not manages_jury(request.user, call):
        raise PermissionDenied
    return call


def _round(call: Call, number, *, busy: dict | None = None):
    """The round asked for; else the latest round with work to show (``busy`` filters the
    rounds, e.g. those with submitted sheets); else the call's latest round."""
    if number in (None, "") and busy:
        found = call.rounds.filter(**busy).order_by("-number").first()
        if found is not None:
            return found, None
    try:
        return round_of(call, number), None
    except DomainError as error:
        return None, error.message


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
    call = _managed(request, slug)
    number = request.GET.get("round") or request.POST.get("round")
    if not number:  # the latest round with entries to judge
        with_entries = [r for r in rounds_of(call) if manageable_entries(r, request.user).exists()]
        number = with_entries[-1].number if with_entries else None
    round_, no_round = _round(call, number)
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
            return redirect(f"{_url('secretariat:progress', call.slug)}?{query}")
        context["plan"] = _plan_view(result, round_, request.user)
    return render(request, "frontend/secretariat/assignment.html", context)


def _url(name: str, slug: str) -> str:
    return reverse(name, kwargs={"slug": slug})


@manager_or_secretariat
def progress_page(request, slug: str):
    call = _managed(request, slug)
    round_, no_round = _round(call, request.GET.get("round"), busy={"assignments__isnull": False})
    rows = progress(round_, request.user) if round_ else []
    totals = {key: sum(row[key] for row in rows) for key in ("assigned", "started", "completed")}
    pending = []
    if request.user.is_secretariat:
        pending, _sent = _pending_reminders()
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
    pending, _sent = _pending_reminders()
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


# --- results: shortlist and release ---


@secretariat_required
def results_page(request, slug: str):
    call = get_object_or_404(Call, slug=slug)
    round_, no_round = _round(
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
    return redirect(f"{_url('secretariat:results', call.slug)}?{query}")


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
    return redirect(f"{_url('secretariat:results', call.slug)}?{query}")
