"""Forms of the pages. They only parse what a person typed; every rule is the services' to apply
(a refused action comes back as a DomainError and is shown next to the field it names)."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from scoring.models import Decision
from submissions import security
from submissions.models import Organization
from submissions.services import REQUIRED_FIELDS

from . import labels

MEGABYTE = 1024 * 1024
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]


def reason_field(label, help_text="", *, needed: bool = True) -> forms.CharField:
    # Not required by the form: the service says when a reason is missing, in its own words.
    field = forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    field.required_by_service = needed
    return field


class ChoicesTicked(forms.MultipleChoiceField):
    """Codes picked from a list of names, as checkboxes; an empty value sent alone is none."""

    widget = forms.CheckboxSelectMultiple

    def to_python(self, value):
        return [code for code in super().to_python(value) if code]


class DatetimeInCallTimezone(forms.DateTimeField):
    """A date and time typed as the call's clock shows it (the view activates that zone)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def __init__(self, **kwargs):
        super().__init__(input_formats=DATETIME_FORMATS, **kwargs)


# --- city ---


class EntryForm(forms.Form):
    title = forms.CharField(label=_("Title of the project"), max_length=250)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        help_text=_("Two or three sentences that say what the project is."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        help_text=_("The challenge, what was done, for whom, and the results measured."),
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    theme = forms.CharField(label=_("Theme"), required=False, widget=forms.Select())

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Choose a theme"))] + [(t, t) for t in call.themes]
        self.fields["theme"].widget.choices = choices
        if not call.themes:
            del self.fields["theme"]
        # Drafts may be incomplete; these must be filled before submitting (services' rule).
        for name in (*REQUIRED_FIELDS, "theme"):
            if name in self.fields and not self.fields[name].required:
                self.fields[name].needed_to_submit = True


class UploadForm(forms.Form):
    kind = forms.CharField(label=_("Kind of document"), widget=forms.Select())
    # Empty files reach the service, which refuses them with its own message.
    file = forms.FileField(label=_("File"), allow_empty_file=True)

    def __init__(self, *args, call, accept: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        kinds = list(
            dict.fromkeys([*call.required_document_kinds, "supporting_document", "image", "video"])
        )
        self.fields["kind"].widget.choices = [
            (k, labels.label(labels.DOCUMENT_KIND, k)) for k in kinds
        ]
        if accept:
            self.fields["file"].widget.attrs["accept"] = accept


class SubmitForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "I confirm that this entry is complete and correct, and that I may submit it on "
            "behalf of my city. I understand it can no longer be changed once submitted."
        ),
    )


class WithdrawForm(forms.Form):
    reason = reason_field(_("Why do you withdraw this entry?"), needed=False)


# --- juror ---


class DeclineForm(forms.Form):
    reason = reason_field(_("Why do you decline this entry?"))


class ConflictForm(forms.Form):
    reason = reason_field(
        _("What is the conflict of interest?"),
        _("For example: you advised this city, or you work with the team of the project."),
    )


# --- secretariat ---


class ExtendDeadlineForm(forms.Form):
    deadline = DatetimeInCallTimezone(label=_("New deadline"))
    reason = reason_field(_("Reason"), _("Cities with a draft receive it by email."))
    organization = forms.ModelChoiceField(
        label=_("Only for this organization"),
        queryset=Organization.objects.order_by("name"),
        required=False,
        empty_label=_("Everyone (the whole call)"),
    )


class EligibilityForm(forms.Form):
    eligible = forms.TypedChoiceField(
        choices=[("1", _("Eligible")), ("0", _("Ineligible"))],
        coerce=lambda value: value == "1",
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        help_text=_("Needed when the entry is ineligible; the city reads it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Not "optional": the service requires it for an ineligible entry ("Required.").
        self.fields["reason"].needed_when = _("needed when ineligible")


class AutoAssignForm(forms.Form):
    reviewers_per_submission = forms.IntegerField(
        label=_("Jurors per entry"), min_value=1, max_value=50, initial=3
    )
    max_per_juror = forms.IntegerField(
        label=_("Most entries per juror"), min_value=1, max_value=10000, initial=15
    )


class ExtraReviewsForm(forms.Form):
    # A text box: the service says what is wrong with a k that is not a sensible number.
    k = forms.CharField(
        label=_("How many more reviews"),
        help_text=_("In all, for the entries uncertain at the cut."),
        widget=forms.NumberInput(attrs={"min": 1}),
    )
    confirm = forms.BooleanField(
        label=_("I checked the plan: create these assignments and email the jurors."),
        required=False,
    )


class ReleaseForm(forms.Form):
    round = forms.IntegerField(widget=forms.HiddenInput)


class CallForm(forms.Form):
    """The call's own settings; the API's call serializer validates them, the deadline of an
    existing call moves only through an extension."""

    title = forms.CharField(label=_("Title"), max_length=200)
    slug = forms.SlugField(
        label=_("Short name in addresses"), max_length=80, help_text=_("e.g. metropolis-award-2026")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=[(k, v) for k, v in labels.CALL_KIND.items()])
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    themes = forms.CharField(
        label=_("Themes"),
        required=False,
        help_text=_("One per line."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    timezone = forms.CharField(label=_("Time zone of the call"), initial="Europe/Madrid")
    opens_at = DatetimeInCallTimezone(label=_("Opens at"))
    deadline = DatetimeInCallTimezone(label=_("Deadline"))
    dues_required_through = forms.IntegerField(
        label=_("Dues paid through (year)"),
        required=False,
        help_text=_("Leave empty when dues do not matter."),
    )
    partners_allowed = forms.BooleanField(label=_("Partners may take part"), required=False)
    max_submissions_per_organization = forms.IntegerField(
        label=_("Most entries per organization"), min_value=1, initial=2
    )
    required_document_kinds = ChoicesTicked(
        label=_("Required documents"),
        required=False,
        initial=["application_form"],
        help_text=_("A city submits only once it has attached one of each."),
    )
    allowed_content_types = ChoicesTicked(
        label=_("Types of file accepted"),
        required=False,
        choices=list(labels.FILE_TYPE.items()),
        help_text=_("None ticked: every type in this list."),
    )
    # Empty: the call keeps what it has (a new call, the model's default: 50 MB, 10 files).
    max_file_size = forms.IntegerField(
        label=_("Largest file (MB)"), min_value=1, max_value=5000, initial=50, required=False
    )
    max_attachments = forms.IntegerField(
        label=_("Most files per entry"), min_value=1, max_value=100, initial=10, required=False
    )
    blind = forms.BooleanField(
        label=_("Blind jury: hide who submitted from the jurors"), required=False
    )
    conflict_same_country = forms.BooleanField(
        label=_("A juror is in conflict with entries from their own country"), required=False
    )
    jurors_see_other_scores = forms.BooleanField(
        label=_("Jurors see the other jurors' scores after submitting their own"), required=False
    )
    announcement_at = DatetimeInCallTimezone(
        label=_("Announcement of the decisions"),
        required=False,
        help_text=_("Cities see the Board's decisions from this moment."),
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # The kinds a city may be asked for, by name; a kind the call already holds stays listed.
        kinds = dict(labels.DOCUMENT_KIND)
        for kind in self.initial.get("required_document_kinds") or []:
            kinds.setdefault(kind, labels.label(labels.DOCUMENT_KIND, kind))
        self.fields["required_document_kinds"].choices = list(kinds.items())
        if editing:
            self.fields["deadline"].disabled = True
            self.fields["deadline"].required = False
            self.fields["deadline"].help_text = _("Use “Extend the deadline” to move it.")
            self.fields["slug"].disabled = True

    def call_fields(self) -> dict:
        """The call's settings as the services take them (submissions.services.create_call)."""
        data = dict(self.cleaned_data)
        data["themes"] = [line.strip() for line in data["themes"].splitlines() if line.strip()]
        for name in ("max_file_size", "max_attachments"):
            if data[name] is None:
                data.pop(name)
        if "max_file_size" in data:
            data["max_file_size"] *= MEGABYTE
        if self.fields["deadline"].disabled:
            data.pop("deadline", None)
            data.pop("slug", None)
        return data

    @classmethod
    def initial_for(cls, call) -> dict:
        local = {
            name: timezone.localtime(getattr(call, name), call.tzinfo).replace(tzinfo=None)
            for name in ("opens_at", "deadline", "announcement_at")
            if getattr(call, name)
        }
        return {
            **{name: getattr(call, name) for name in cls.base_fields if hasattr(call, name)},
            **local,
            "themes": "\n".join(call.themes),
            "max_file_size": max(1, round(call.max_file_size / MEGABYTE)),
        }


# --- Board ---


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("", _("Choose a decision"))]
        + [(v, labels.OUTCOME[v]) for v in Decision.Outcome.values],
    )
    rationale = reason_field(
        _("Rationale"), _("Why the Board decided so; kept with the decision for the record.")
    )


class ThrottledAuthenticationForm(security.LockoutFormMixin, AuthenticationForm):
    """The sign-in form: the lockout every sign-in path shares says when it refused."""
