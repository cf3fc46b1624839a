"""Writing to a call's people: every entrant, every juror, or the jurors behind on their
sheets (scoring.messages). The secretariat writes once (English, with optional French and
Spanish versions), previews how many people receive it and in which languages, then sends;
sending the same message twice sends nothing twice."""

from django import forms
from django.contrib import messages as flash
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from scoring import messages
from submissions.errors import DomainError
from submissions.models import Call

from ..common import render_refused, secretariat_required, show_error

LANGUAGE_NAMES = {"en": "English", "fr": "Français", "es": "Español"}


class MessageForm(forms.Form):
    """What the secretariat writes; the rules (required, versions complete) are the service's."""

    audience = forms.ChoiceField(
        label=gettext_lazy("Who receives it"),
        choices=list(messages.AUDIENCES.items()),
        widget=forms.RadioSelect,
    )
    subject = forms.CharField(label=gettext_lazy("Subject"), required=False)
    body = forms.CharField(
        label=gettext_lazy("Message"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy(
            "Each person is greeted by name and the message closes with a line from the "
            "secretariat, in their language."
        ),
    )
    subject_fr = forms.CharField(label=gettext_lazy("Subject in French"), required=False)
    body_fr = forms.CharField(
        label=gettext_lazy("Message in French"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    subject_es = forms.CharField(label=gettext_lazy("Subject in Spanish"), required=False)
    body_es = forms.CharField(
        label=gettext_lazy("Message in Spanish"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("subject", "body"):
            self.fields[name].required_by_service = True

    def message(self) -> messages.Message:
        data = self.cleaned_data
        versions = {
            language: (data.get(f"subject_{language}", ""), data.get(f"body_{language}", ""))
            for language in messages.TRANSLATED
        }
        return messages.Message(data.get("subject", ""), data.get("body", ""), versions)

    def versions_given(self) -> bool:
        return any(
            self.data.get(f"{part}_{lang}")
            for part in ("subject", "body")
            for lang in messages.TRANSLATED
        )


@secretariat_required
def compose(request, slug: str):
    """GET: the form. POST "preview": who would receive it. POST "send": send, then back here
    with how many were sent."""
    call = get_object_or_404(Call, slug=slug)
    form = MessageForm(request.POST or None)
    context = {"call": call, "form": form, "preview": None}
    if request.method != "POST":
        return render(request, "frontend/secretariat/messages.html", context)
    if not form.is_valid():
        return render(request, "frontend/secretariat/messages.html", context, status=400)
    audience, message = form.cleaned_data["audience"], form.message()
    try:
        if request.POST.get("action") != "send":
            messages.check(message)
            shown = messages.preview(call, audience, message)
            context["preview"] = shown
            context["languages"] = [
                (LANGUAGE_NAMES.get(code, code), count) for code, count in shown.languages.items()
            ]
            return render(request, "frontend/secretariat/messages.html", context)
        sent = messages.send_message(request.user, call, audience, message)
    except DomainError as error:
        show_error(form, error)
        return render_refused(request, "frontend/secretariat/messages.html", context, error)
    queued = sent.count - sent.already
    if queued:
        flash.success(
            request,
            ngettext(
                "The message is on its way to %(count)s person.",
                "The message is on its way to %(count)s people.",
                queued,
            )
            % {"count": queued},
        )
    else:
        flash.info(request, _("Everyone in this audience had already received this message."))
    return redirect("secretariat:messages", slug=call.slug)
