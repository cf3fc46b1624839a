"""Extending a call's deadline, for everyone or for one organization (through
submissions.services.extend_deadline, as the API): the date as the call's own clock shows it."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from submissions import services
from submissions.errors import DomainError
from submissions.models import Call

from ...forms import ExtendDeadlineForm
from ..common import render_refused, secretariat_required, show_error
from .calls import call_context


@require_POST
@secretariat_required
def extend(request, slug: str):
    call = get_object_or_404(Call, slug=slug)
    form = ExtendDeadlineForm(request.POST)
    with timezone.override(call.tzinfo):  # the date is typed as the call's clock shows it
        valid = form.is_valid()
    context = call_context(call, extend_form=form)
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
