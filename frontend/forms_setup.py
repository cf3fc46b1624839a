"""Forms of the secretariat's set-up pages: a round, its rubric, the jury. They only parse what
a person typed; every rule is the services' (jury.rounds, scoring.rubrics, jury.services,
jury.seats), whose refusals come back as DomainErrors shown next to the field they name."""

import re
from decimal import Decimal

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from jury.selectors import eligible_entries
from submissions.models import Role, Submission, User

from .forms import DatetimeInCallTimezone


def person(user: User) -> str:
    name = user.get_full_name()
    return f"{name} ({user.username})" if name else user.username


class PersonChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return person(user)


class EntryChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, entry):
        return f"{entry.pk} · {entry.title} ({entry.organization.name})"


# --- rounds ---


class RoundForm(forms.Form):
    """A round as jury.rounds takes it: a name, the jury deadline, the jurors of the round (none:
    the whole jury) and, after round 1, its entries."""

    name = forms.CharField(
        label=_("Name of the round"),
        max_length=120,
        required=False,
        help_text=_("e.g. First round, Final round. Empty: “Round” and its number."),
    )
    jury_deadline = DatetimeInCallTimezone(label=_("Jury deadline"))
    jurors = PersonChoice(
        label=_("Jurors of this round"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick none for the whole jury of the call."),
    )
    entries = EntryChoice(
        label=_("Entries of this round"),
        queryset=Submission.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The entries this round judges, among the call's eligible entries."),
    )

    def __init__(self, *args, call, number: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurors"].queryset = User.objects.filter(jury_seats__call=call).order_by(
            "last_name", "first_name", "username"
        )
        if number == 1:  # round 1 judges every eligible entry
            del self.fields["entries"]
        else:
            self.fields["entries"].queryset = (
                eligible_entries(call).select_related("organization").order_by("pk")
            )

    def round_fields(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("jurors", "entries"):
            if name in data:
                data[name] = list(data[name])
        return data


# --- the rubric ---

LEVEL_LINE = re.compile(
    r"^\s*(?P<min>-?\d+(?:[.,]\d+)?)\s*(?:[-\u2013\u2014]\s*(?P<max>-?\d+(?:[.,]\d+)?))?\s*"
    r"(?:\|\s*(?P<label>[^|]*?)\s*(?:\|\s*(?P<description>.*?)\s*)?)?$"
)


def _decimal(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def _number(value) -> str:
    return format(Decimal(str(value)).normalize(), "f")


def levels_text(levels: list[dict]) -> str:
    """Level descriptors as the form shows them, one a line: “1-3 | Weak | What it means”."""
    return "\n".join(
        f"{_number(level['min'])}-{_number(level['max'])} | {level.get('label', '')}"
        + (f" | {level['description']}" if level.get("description") else "")
        for level in levels or []
    )


class CriterionForm(forms.Form):
    """One criterion of a round's rubric (scoring.models.Criterion)."""

    label = forms.CharField(label=_("Criterion"), max_length=200)
    key = forms.CharField(
        label=_("Short code"),
        max_length=60,
        required=False,
        help_text=_("Lower-case letters, digits, - or _. Empty: made from the name."),
    )
    description = forms.CharField(
        label=_("What the jury judges"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    weight = forms.DecimalField(label=_("Weight"), max_digits=6, decimal_places=3, initial=1)
    min_value = forms.DecimalField(
        label=_("Lowest score"), max_digits=6, decimal_places=2, initial=1
    )
    max_value = forms.DecimalField(
        label=_("Highest score"), max_digits=6, decimal_places=2, initial=10
    )
    step = forms.DecimalField(label=_("Step"), max_digits=6, decimal_places=2, initial=1)
    levels = forms.CharField(
        label=_("Level descriptors"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One level a line: lowest-highest | name | what it means, e.g. “1-3 | Weak |"
            " Little evidence of results”."
        ),
    )
    comment_required = forms.BooleanField(
        label=_("The juror explains the score in a comment"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.initial.get("saved"):  # a criterion keeps its code: its draft scores hang on it
            self.fields["key"].widget.attrs["readonly"] = True
            self.fields["key"].help_text = _("Kept while the criterion stays.")

    def clean_key(self) -> str:
        if self.initial.get("saved"):
            return self.initial["key"]
        return self.cleaned_data["key"].strip()

    def clean_levels(self) -> list[dict]:
        levels = []
        for number, line in enumerate(self.cleaned_data["levels"].splitlines(), start=1):
            if not line.strip():
                continue
            found = LEVEL_LINE.match(line)
            if not found:
                raise forms.ValidationError(
                    _("Line %(number)s: write a level as “1-3 | Weak | what it means”."),
                    params={"number": number},
                )
            low = _decimal(found["min"])
            high = _decimal(found["max"]) if found["max"] else low
            levels.append(
                {
                    "min": low,
                    "max": high,
                    "label": found["label"] or "",
                    "description": found["description"] or "",
                }
            )
        return levels

    def criterion(self, position: int) -> dict:
        """The criterion as scoring.rubrics.replace_rubric takes it."""
        data = {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in ("ORDER", "DELETE")
        }
        if not data["key"]:
            data["key"] = slugify(data["label"])[:60] or f"criterion-{position}"
        return data


class BaseRubricFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["ORDER"].label = _("Position in the list")
        form.fields["DELETE"].label = _("Remove this criterion")

    def criteria(self) -> list[dict]:
        """The criteria kept, in the order asked (the position typed, then the order shown)."""
        return [form.criterion(n) for n, form in enumerate(self.ordered_forms, start=1)]

    def typed_rows(self) -> list[dict]:
        """What was typed in each row that holds anything, as the initial values of an unbound
        list (to show it again with one more empty row, saving nothing)."""
        return [
            {
                **{name: form[name].value() for name in form.fields},
                "saved": form.initial.get("saved"),
            }
            for form in self.forms
            if form.initial.get("saved") or form.has_changed()
        ]

    def form_of(self, key: str, position: int | None):
        """The form that sent the criterion of this key (or this position in the list)."""
        for n, form in enumerate(self.ordered_forms, start=1):
            if form.cleaned_data.get("key") == key or n == position:
                return form
        return None


RubricFormSet = forms.formset_factory(
    CriterionForm, formset=BaseRubricFormSet, extra=1, can_delete=True, can_order=True
)


def rubric_initial(criteria) -> list[dict]:
    return [
        {
            "key": c.key,
            "label": c.label,
            "description": c.description,
            "weight": _number(c.weight),
            "min_value": _number(c.min_value),
            "max_value": _number(c.max_value),
            "step": _number(c.step),
            "levels": levels_text(c.levels),
            "comment_required": c.comment_required,
            "ORDER": position,
            "saved": True,
        }
        for position, c in enumerate(criteria, start=1)
    ]


# --- the jury ---


class JurorSearchForm(forms.Form):
    q = forms.CharField(label=_("Find a juror by name"), required=False, max_length=100)


class SeatForm(forms.Form):
    juror = forms.ModelChoiceField(
        queryset=User.objects.filter(role=Role.JUROR, is_active=True), widget=forms.HiddenInput
    )


class ChairForm(forms.Form):
    juror = forms.ModelChoiceField(
        label=_("Chair of the jury"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("No chair"),
    )

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["juror"].queryset = User.objects.filter(jury_seats__call=call).order_by(
            "last_name", "first_name", "username"
        )
        self.fields["juror"].label_from_instance = person


class SeatEditForm(forms.Form):
    """A seated juror's expertise (among the call's themes) and profile (what conflicts of
    interest are judged on)."""

    expertise = forms.MultipleChoiceField(
        label=_("Expertise"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The call's themes this juror knows best; the assignment prefers them."),
    )
    affiliation = forms.CharField(label=_("Affiliation"), max_length=200, required=False)
    city = forms.CharField(
        label=_("City"),
        max_length=120,
        required=False,
        help_text=_("Entries from this city are a conflict of interest."),
    )
    country = forms.CharField(label=_("Country"), max_length=120, required=False)

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expertise"].choices = [(theme, theme) for theme in call.themes]
        if not call.themes:
            del self.fields["expertise"]
