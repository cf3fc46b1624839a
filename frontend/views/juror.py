"""Juror workspace: the queue (open work first, finished rounds folded), the entry (blind where
the call is) with its PDFs readable beside the rubric, the score form with autosave, a running
total, "3 of 6" with previous, next and "Save and next", a confirmed submit, and declining or
declaring a conflict.

What a juror reads of an entry comes from submissions.visibility, as in the API, so a blind call
is blind here by the same code: no organization, redacted texts, neutral file names."""

from decimal import Decimal, InvalidOperation

import pandas as pd
from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jury import services as jury_services
from jury.models import JuryMember
from jury.selectors import juror_assignments
from scoring import queue, sheets
from scoring.rules import ensure_jury_open, sheet_locked
from scoring.selectors import juror_queue, rubric
from scoring.totals import sheet_totals
from scoring.validation import number, validate_scores
from submissions.errors import DomainError, translatable
from submissions.visibility import (
    entry_shown_to,
    file_name_shown_to,
    files_shown_to,
    title_shown_to,
)

from ..forms import ConflictForm, DeclineForm
from .common import juror_required, render_refused, show_error
from .deliberation import juror_discussion

PDF = "application/pdf"


@juror_required
def home(request):
    """Open work first: the rounds still to score, soonest jury deadline first, drafts before
    untouched entries; finished rounds below, folded."""
    user = request.user
    items = [_item(user, assignment) for assignment in juror_queue(user)]
    open_rounds, finished = queue.home_order(items, timezone.now())
    groups = [_group(round_queue) for round_queue in open_rounds]
    upcoming = next(
        (item for group in groups for item in group["assignments"] if item["state"] != "submitted"),
        None,
    )
    chaired = JuryMember.objects.filter(juror=user, is_chair=True).select_related("call")
    return render(
        request,
        "frontend/juror/home.html",
        {
            "groups": groups,
            "finished_groups": [_group(round_queue) for round_queue in finished],
            "upcoming": upcoming,
            "chaired": chaired,
        },
    )


def _item(user, assignment) -> queue.Item:
    """One assignment in the queue, carrying the line the list shows."""
    sheet = getattr(assignment, "sheet", None)
    submitted = sheet is not None and sheet_locked(sheet)
    state = queue.state_of(submitted, assignment.worked)
    entry = assignment.submission
    line = {
        "id": assignment.pk,
        "assignment": assignment,
        "submission": {"id": entry.pk, "title": title_shown_to(user, entry), "theme": entry.theme},
        "state": state,
        "status": None if state == queue.UNTOUCHED else state,
        "locked": submitted,
    }
    round_ = assignment.round
    return queue.Item(assignment.pk, round_.pk, round_.jury_deadline, state, line)


def _group(round_queue: queue.RoundQueue) -> dict:
    first = round_queue.items[0].payload["assignment"]
    return {
        "round": first.round,
        "call": first.round.call,
        "assignments": [item.payload for item in round_queue.items],
        "progress": {"assigned": len(round_queue.items), "completed": round_queue.done},
        "open": round_queue.open,
    }


def _entry(user, assignment) -> dict:
    """The entry as the juror may read it (submissions.visibility), with their files."""
    entry = assignment.submission
    shown = entry_shown_to(user, entry)
    files = files_shown_to(user, entry)
    for file in files:
        file.shown_name = file_name_shown_to(user, file)
    organization = shown["organization"]
    return {
        **shown,
        "id": entry.pk,
        "theme": entry.theme,
        "organization_name": organization.name if organization else "",
        "attachments": files,
    }


class ScoreForm(forms.Form):
    """One value and one comment per criterion, the sheet's comment, and the version read.
    The scale, the step and the required comments are checked by scoring.sheets."""

    comment = forms.CharField(
        label=gettext_lazy("Overall comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("What the Board and the chair should know about this entry."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, criteria: list[dict], disabled: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        self.unconfirmed = False
        for criterion in criteria:
            key = criterion["key"]
            self.fields[f"value_{key}"] = forms.CharField(
                label=gettext_lazy("Score"),
                required=False,
                widget=forms.NumberInput(
                    attrs={
                        "min": number(criterion["min_value"]),
                        "max": number(criterion["max_value"]),
                        "step": number(criterion["step"]),
                        "inputmode": "decimal",
                        "data-criterion": key,
                        "data-weight": number(criterion["weight"]),
                    }
                ),
            )
            self.fields[f"comment_{key}"] = forms.CharField(
                label=gettext_lazy("Comment"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2, "data-criterion-comment": key}),
            )
        if disabled:
            for field in self.fields.values():
                field.disabled = True

    def clean(self):
        data = super().clean()
        for criterion in self.criteria:
            name = f"value_{criterion['key']}"
            text = (data.get(name) or "").strip().replace(",", ".")
            try:
                data[name] = Decimal(text) if text else None
            except InvalidOperation:
                self.add_error(name, _("Enter a number, such as 7 or 7.5."))
        return data

    def scores(self) -> list[dict]:
        return [
            {
                "criterion": c["key"],
                "value": self.cleaned_data.get(f"value_{c['key']}"),
                "comment": self.cleaned_data.get(f"comment_{c['key']}", ""),
            }
            for c in self.criteria
        ]

    def show_sheet_error(self, error: DomainError) -> None:
        """Scoring errors name criteria: {"scores": {key: [message]}}; put each by its input."""
        self.add_error(None, error.summary)
        fields = dict(error.fields or {})
        by_criterion = fields.pop("scores", {}) or {}
        if isinstance(by_criterion, dict):
            for key, problems in by_criterion.items():
                key, _sep, part = str(key).partition(".")
                name = f"comment_{key}" if part == "comment" else f"value_{key}"
                if name in self.fields:
                    for problem in problems if isinstance(problems, list) else [problems]:
                        self.add_error(name, str(problem))
        for name, problems in fields.items():
            if name in self.fields and name != "version":
                for problem in problems:
                    self.add_error(name, str(problem))

    def refuse_unconfirmed(self, criteria: list[dict]) -> None:
        """Submit without the confirmation: nothing is written; everything that would stop the
        submission is said at once (the confirmation, and each criterion still incomplete)."""
        problems = validate_scores(criteria, self.scores(), complete=True)
        self.add_error(None, _("Confirm that you understand the sheet will be locked."))
        self.unconfirmed = True
        for key, messages_ in translatable(problems).items():
            if f"value_{key}" in self.fields:
                for message in messages_:
                    self.add_error(f"value_{key}", str(message))

    def rows(self):
        """The criteria with their bound fields and level descriptors, for the template."""
        for criterion in self.criteria:
            key = criterion["key"]
            value = self[f"value_{key}"]
            described = [f"scale-{key}"] + ([f"levels-{key}"] if criterion["levels"] else [])
            if value.errors:
                described.append(f"{value.auto_id}_error")
            value.field.widget.attrs["aria-describedby"] = " ".join(described)
            yield {
                "criterion": criterion,
                "value": value,
                "comment": self[f"comment_{key}"],
            }


def _initial(sheet) -> dict:
    initial = {"comment": sheet.comment, "version": sheet.version}
    for score in sheet.scores.all():
        key = score.criterion.key
        initial[f"value_{key}"] = "" if score.value is None else number(score.value)
        initial[f"comment_{key}"] = score.comment
    return initial


def _own_assignment(request, pk: int):
    """The juror's own active assignment, never one on a conflicted entry: a 404 otherwise."""
    return get_object_or_404(juror_assignments(request.user), pk=pk)


def _jury_open(round_) -> str:
    """Why scores can no longer change (the jury deadline passed), or an empty string."""
    try:
        ensure_jury_open(round_)
    except DomainError as error:
        return error.message
    return ""


def _place(request, assignment) -> tuple[queue.Place, str]:
    """Where the assignment stands in the juror's queue for its round, and its state. One
    query."""
    items = [
        _item(request.user, mine)
        for mine in juror_queue(request.user).filter(round=assignment.round)
    ]
    state = next(item.state for item in items if item.assignment == assignment.pk)
    return queue.place_in_round(items, assignment.pk), state


def _total(sheet, criteria: list[dict]) -> float | None:
    """The saved sheet's weighted total, computed as the results compute it (scoring.totals)."""
    values = [
        {"submission": 0, "juror": 0, "criterion": s.criterion.key, "value": float(s.value)}
        for s in sheet.scores.all()
        if s.value is not None
    ]
    weights = {c["key"]: float(c["weight"]) for c in criteria}
    if not values or not any(weights.get(v["criterion"]) for v in values):
        return None
    return float(sheet_totals(pd.DataFrame(values), weights)["total"].iloc[0])


def _page(
    request,
    assignment,
    *,
    sheet=None,
    criteria=None,
    form=None,
    decline_form=None,
    conflict_form=None,
) -> dict:
    """The assignment page's context; the sheet and the rubric as this request already read
    them (opened and read here otherwise)."""
    sheet = sheet or sheets.open_sheet(request.user, assignment.pk)
    criteria = rubric(assignment.round) if criteria is None else criteria
    closed = _jury_open(assignment.round)
    locked = sheet_locked(sheet)
    if form is None:
        form = ScoreForm(
            initial=_initial(sheet), criteria=criteria, disabled=bool(closed or locked)
        )
    place, state = _place(request, assignment)
    entry = _entry(request.user, assignment)
    return {
        "assignment": assignment,
        "entry": entry,
        "pdfs": [file for file in entry["attachments"] if file.content_type == PDF],
        "call": assignment.round.call,
        "round": assignment.round,
        "sheet": sheet,
        # Opening creates the sheet; it reads "Not started" until the juror wrote something.
        "sheet_status": None if state == queue.UNTOUCHED else state,
        "total": _total(sheet, criteria),
        "place": place,
        "criteria": criteria,
        "form": form,
        "closed": closed,
        "locked": locked,
        "decline_form": decline_form or DeclineForm(prefix="decline"),
        "conflict_form": conflict_form or ConflictForm(prefix="conflict"),
        "discussion": juror_discussion(request.user, assignment, sheet),
    }


def _render_form(request, assignment, sheet, criteria, form, status: int = 400):
    context = _page(request, assignment, sheet=sheet, criteria=criteria, form=form)
    return render(request, "frontend/juror/assignment.html", context, status=status)


@juror_required
def assignment(request, pk: int):
    """The entry and the score form. Save, Save and next, and Submit (once the juror confirmed
    that the sheet locks) post here; the autosave goes through the API."""
    assignment = _own_assignment(request, pk)
    # One opening of the sheet and one reading of the rubric per request, whatever happens.
    sheet = sheets.open_sheet(request.user, assignment.pk)
    criteria = rubric(assignment.round)
    if request.method != "POST":
        context = _page(request, assignment, sheet=sheet, criteria=criteria)
        return render(request, "frontend/juror/assignment.html", context)
    form = ScoreForm(request.POST, criteria=criteria)
    if not form.is_valid():
        return _render_form(request, assignment, sheet, criteria, form)
    action = request.POST.get("action", "save")
    submitting = action == "submit"
    if submitting and not request.POST.get("confirm_lock"):
        form.refuse_unconfirmed(criteria)
        return _render_form(request, assignment, sheet, criteria, form)
    try:
        sheets.save_draft(
            request.user,
            sheet.pk,
            scores=form.scores(),
            comment=form.cleaned_data["comment"],
            version=form.cleaned_data["version"],
            criteria=criteria,
            submit=submitting,
        )
    except DomainError as error:
        form.show_sheet_error(error)
        context = _page(request, assignment, sheet=sheet, criteria=criteria, form=form)
        return render_refused(request, "frontend/juror/assignment.html", context, error)
    number = {"number": assignment.submission_id}
    if submitting:
        messages.success(request, _("Your scores for entry %(number)s are submitted.") % number)
    else:
        messages.success(request, _("Your draft scores for entry %(number)s are saved.") % number)
    if action == "save":
        return redirect("juror:assignment", pk=assignment.pk)
    place, _state = _place(request, assignment)
    if place.next_to_score is not None:
        return redirect("juror:assignment", pk=place.next_to_score)
    if submitting:
        messages.info(request, _("Every entry of this round is scored. Thank you."))
        return redirect("juror:home")
    messages.info(request, _("No other entry of this round is left to score."))
    return redirect("juror:assignment", pk=assignment.pk)


def _give_back(request, pk: int, form_class, prefix: str, act, done: str):
    """The juror gives an assignment back (declines it, or declares a conflict with its entry)
    with a reason the service checks; the page again with the refusal by the field if not."""
    assignment = _own_assignment(request, pk)
    form = form_class(request.POST, prefix=prefix)
    form.is_valid()
    try:
        act(request.user, assignment, form.cleaned_data.get("reason", ""))
    except DomainError as error:
        show_error(form, error)
        context = _page(request, assignment, **{f"{prefix}_form": form})
        return render_refused(request, "frontend/juror/assignment.html", context, error)
    messages.success(request, done % {"number": assignment.submission_id})
    return redirect("juror:home")


@require_POST
@juror_required
def decline(request, pk: int):
    return _give_back(
        request,
        pk,
        DeclineForm,
        "decline",
        jury_services.decline,
        _("You declined entry %(number)s. The chair will assign it to another juror."),
    )


@require_POST
@juror_required
def conflict(request, pk: int):
    return _give_back(
        request,
        pk,
        ConflictForm,
        "conflict",
        lambda juror, assignment, reason: jury_services.declare_conflict(
            juror, assignment.submission, reason
        ),
        _(
            "Your conflict of interest with entry %(number)s is recorded. You no longer see "
            "this entry."
        ),
    )
