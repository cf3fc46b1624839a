"""The jury's deliberation on the pages: the discussion under a juror's submitted sheet, the
round's "to discuss" list for the chair and the secretariat, an entry's discussion with the
consensus form, and what the juror's and the Board's entry pages include. Every rule is
scoring.rules' and every write scoring.deliberation's, as in the API."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jury.selectors import juror_assignments, round_of
from scoring.agenda import DISAGREEMENT, DISCUSSED, UNCERTAIN_AT_CUT
from scoring.aggregation import METHODS
from scoring.deliberation import (
    Discussion,
    discussion,
    entry_of,
    post,
    record_consensus,
    to_discuss,
)
from scoring.results import DEFAULT_METHOD
from scoring.rules import WRITES, deliberation_access, records_consensus, sheet_locked
from scoring.selectors import rounds_of
from submissions.errors import DomainError, NotAllowed
from submissions.visibility import title_shown_to

from ..forms import reason_field
from .common import juror_required, render_refused, show_error
from .secretariat.shared import managed_call, manager_or_secretariat, round_shown

REASON_LABELS = {
    UNCERTAIN_AT_CUT: gettext_lazy("Uncertain at the cut"),
    DISAGREEMENT: gettext_lazy("Jurors disagree"),
    DISCUSSED: gettext_lazy("Under discussion"),
}


class PostForm(forms.Form):
    body = reason_field(gettext_lazy("Your message to the jury"))


class ConsensusForm(forms.Form):
    body = reason_field(
        gettext_lazy("Consensus note"),
        gettext_lazy(
            "What the jury agreed on this entry, in a few sentences. The Board reads it once "
            "the round's results are released."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


# --- the juror's entry page --------------------------------------------------------------------


def juror_discussion(user, assignment, sheet, form=None) -> dict:
    """What the juror's assignment page includes: nothing to read before their own sheet is
    submitted; then the entry's discussion, its consensus note and the form to write."""
    if not sheet_locked(sheet):
        return {"open": False}
    round_, entry = assignment.round, assignment.submission
    try:
        found = discussion(user, round_, entry)
    except DomainError:
        return {"open": False}
    return {
        "open": True,
        "posts": found.posts,
        "note": found.note,
        "form": form or PostForm(),
        "action": reverse("juror:discussion", kwargs={"pk": assignment.pk}),
    }


@juror_required
def juror_post(request, pk: int):
    """GET: the entry's discussion on a page of its own; POST: the juror writes in it, and is
    taken back to their entry (the page again with the refusal if not)."""
    assignment = get_object_or_404(juror_assignments(request.user), pk=pk)
    round_, entry = assignment.round, assignment.submission
    form = PostForm(request.POST if request.method == "POST" else None)
    context = {
        "assignment": assignment,
        "call": round_.call,
        "round": round_,
        "title": title_shown_to(request.user, entry),
    }
    try:
        deliberation_access(request.user, round_, entry)
    except DomainError as error:
        context.update(discussion={"open": False}, refusal=error.message)
        return render_refused(request, "frontend/juror/discussion.html", context, error)
    if request.method == "POST" and form.is_valid():
        try:
            post(request.user, round_, entry, form.cleaned_data["body"])
        except DomainError as error:
            show_error(form, error)
            context["discussion"] = juror_discussion(
                request.user, assignment, assignment.sheet, form
            )
            return render_refused(request, "frontend/juror/discussion.html", context, error)
        messages.success(request, _("Your message is posted."))
        return redirect(reverse("juror:assignment", kwargs={"pk": pk}) + "#discussion")
    context["discussion"] = juror_discussion(request.user, assignment, assignment.sheet, form)
    status = 400 if form.errors else 200
    return render(request, "frontend/juror/discussion.html", context, status=status)


# --- the chair's and the secretariat's pages ---------------------------------------------------


@manager_or_secretariat
def to_discuss_page(request, slug: str):
    call = managed_call(request, slug)
    round_, no_round = round_shown(
        call, request.GET.get("round"), busy={"assignments__sheet__status": "submitted"}
    )
    method = request.GET.get("method") or DEFAULT_METHOD
    context = {
        "call": call,
        "round": round_,
        "rounds": rounds_of(call),
        "no_round": no_round,
        "method": method,
        "methods": list(METHODS),
        "top_n": request.GET.get("top_n", ""),
        "bad_cut": "",
        "entries": [],
    }
    if round_ is None:
        return render(request, "frontend/secretariat/to_discuss.html", context)
    try:
        answer = to_discuss(
            request.user, call, round_, top_n=request.GET.get("top_n"), method=method
        )
    except DomainError as error:
        context["bad_cut" if error.code == "bad_top_n" else "problem"] = error.message
        return render_refused(request, "frontend/secretariat/to_discuss.html", context, error)
    for row in answer["entries"]:
        row["reason_labels"] = [REASON_LABELS[reason] for reason in row["reasons"]]
    context["entries"] = answer["entries"]
    return render(request, "frontend/secretariat/to_discuss.html", context)


@manager_or_secretariat
def discussion_page(request, slug: str, pk: int):
    """An entry's discussion in a round, for the chair (who writes in it and records the
    consensus note) and the secretariat (who reads both)."""
    call = managed_call(request, slug)
    number = request.POST.get("round") or request.GET.get("round")
    try:
        round_ = round_of(call, number)
        entry = entry_of(request.user, round_, pk)
        found = discussion(request.user, round_, entry)
    except NotAllowed as error:  # a chair who judges the entry and has not submitted yet
        context = {"call": call, "round": round_, "entry": entry, "refusal": error.message}
        context["title"] = title_shown_to(request.user, entry)
        return render_refused(request, "frontend/secretariat/discussion.html", context, error)
    except DomainError as error:  # no such round or entry, or one the user may not know of
        raise Http404(error.message) from None
    posted = request.POST if request.method == "POST" else None
    action = request.POST.get("action")
    post_form = PostForm(posted if action == "post" else None, prefix="post")
    note_form = ConsensusForm(posted if action == "consensus" else None, prefix="consensus")
    if posted is not None:
        form = post_form if action == "post" else note_form
        try:
            if form.is_valid() and action == "post":
                post(request.user, round_, entry, form.cleaned_data["body"])
                messages.success(request, _("Your message is posted."))
            elif form.is_valid() and action == "consensus":
                record_consensus(
                    request.user,
                    round_,
                    entry,
                    form.cleaned_data["body"],
                    form.cleaned_data.get("version"),
                )
                messages.success(request, _("The consensus note is recorded."))
            else:
                raise DomainError(_("Choose what to send: a message or the consensus note."))
            url = reverse("secretariat:discussion", kwargs={"slug": call.slug, "pk": entry.pk})
            return redirect(f"{url}?round={round_.number}")
        except DomainError as error:
            show_error(form, error)
            context = _discussion_context(request, round_, entry, found, post_form, note_form)
            return render_refused(request, "frontend/secretariat/discussion.html", context, error)
    context = _discussion_context(request, round_, entry, found, post_form, note_form)
    return render(request, "frontend/secretariat/discussion.html", context)


def _discussion_context(request, round_, entry, found: Discussion, post_form, note_form) -> dict:
    user = request.user
    note = found.note
    records = records_consensus(user, round_.call)
    if records and not note_form.is_bound:
        note_form = ConsensusForm(
            initial={"body": note.body if note else "", "version": note.version if note else 0},
            prefix="consensus",
        )
    return {
        "call": round_.call,
        "round": round_,
        "entry": entry,
        "title": title_shown_to(user, entry),
        "discussion": {
            "open": True,
            "posts": found.posts,
            "note": note,
            "form": post_form if found.access == WRITES else None,
            "action": "",
        },
        "records": records,
        "note_form": note_form,
    }
