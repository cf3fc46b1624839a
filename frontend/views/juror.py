"""Juror workspace: assigned entries with progress, the entry (blind where the call is), the
score form with autosave, and declining or declaring a conflict.

What a juror reads of an entry comes from submissions.visibility, as in the API, so a blind call
is blind here by the same code: no organization, redacted texts, neutral file names."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jury import services as jury_services
from jury.models import JuryMember
from jury.selectors import juror_assignments
from scoring import sheets
from scoring.rules import ensure_jury_open, sheet_locked
from scoring.selectors import juror_work, progress, rubric
from scoring.validation import number
from submissions.errors import DomainError
from submissions.visibility import (
    entry_shown_to,
    file_name_shown_to,
    files_shown_to,
    title_shown_to,
)

from ..forms import ConflictForm, DeclineForm
from .common import juror_required, render_refused, show_error
from .deliberation import juror_discussion


@juror_required
def home(request):
    user = request.user
    assignments = list(juror_work(user).order_by("round__call_id", "round__number", "id"))
    rounds: dict[int, dict] = {}
    for assignment in assignments:
        round_ = assignment.round
        group = rounds.setdefault(
            round_.pk, {"round": round_, "call": round_.call, "assignments": []}
        )
        group["assignments"].append(_listed(user, assignment))
    for group in rounds.values():
        mine = next(
            (row for row in progress(group["round"], user) if row["juror"] == user.pk),
            {"assigned": len(group["assignments"]), "completed": 0, "started": 0},
        )
        group["progress"] = mine
    chaired = JuryMember.objects.filter(juror=user, is_chair=True).select_related("call")
    return render(
        request,
        "frontend/juror/home.html",
        {"groups": list(rounds.values()), "chaired": chaired},
    )


def _listed(user, assignment) -> dict:
    """One line of the juror's list: the entry as they may read it, and their sheet's state."""
    sheet = getattr(assignment, "sheet", None)
    entry = assignment.submission
    return {
        "id": assignment.pk,
        "submission": {"id": entry.pk, "title": title_shown_to(user, entry), "theme": entry.theme},
        "sheet": sheet,
        "locked": sheet is not None and sheet_locked(sheet),
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
    return {
        "assignment": assignment,
        "entry": _entry(request.user, assignment),
        "call": assignment.round.call,
        "round": assignment.round,
        "sheet": sheet,
        "criteria": criteria,
        "form": form,
        "closed": closed,
        "locked": locked,
        "decline_form": decline_form or DeclineForm(prefix="decline"),
        "conflict_form": conflict_form or ConflictForm(prefix="conflict"),
        "discussion": juror_discussion(request.user, assignment, sheet),
    }


@juror_required
def assignment(request, pk: int):
    """The entry and the score form. Saving posts here too when the script is off."""
    assignment = _own_assignment(request, pk)
    # One opening of the sheet and one reading of the rubric per request, whatever happens.
    sheet = sheets.open_sheet(request.user, assignment.pk)
    criteria = rubric(assignment.round)
    if request.method != "POST":
        context = _page(request, assignment, sheet=sheet, criteria=criteria)
        return render(request, "frontend/juror/assignment.html", context)
    form = ScoreForm(request.POST, criteria=criteria)
    if not form.is_valid():
        context = _page(request, assignment, sheet=sheet, criteria=criteria, form=form)
        return render(request, "frontend/juror/assignment.html", context, status=400)
    submitting = request.POST.get("action") == "submit"
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
    if submitting:
        messages.success(
            request,
            _("Your scores for entry %(number)s are submitted.")
            % {"number": assignment.submission_id},
        )
        return redirect("juror:home")
    messages.success(request, _("Your draft scores are saved."))
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
