"""City portal: open calls, drafts with autosave and uploads, submission, receipt, decision."""

import json

from django.conf import settings
from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from scoring.decisions import decisions_visible_to
from submissions import attachments as attachment_service
from submissions import rules, services
from submissions.eligibility import eligibility_problems, submission_quota_problem
from submissions.errors import DomainError
from submissions.file_checks import allowed_types
from submissions.models import Attachment, Call, Submission
from submissions.sniffing import KNOWN_TYPES
from submissions.visibility import status_shown_to, submissions_visible_to

from ..forms import EntryForm, SubmitForm, UploadForm, WithdrawForm
from .common import city_required, posted, render_refused, show_error


def _entries(user):
    # The city's own files: checked ones, those being checked, and refused ones with the reason.
    shown = (Attachment.State.COMPLETE, Attachment.State.VERIFYING, Attachment.State.REJECTED)
    complete = Attachment.objects.filter(state__in=shown)
    return (
        submissions_visible_to(user)
        .select_related("call", "organization")
        .prefetch_related(Prefetch("attachments", queryset=complete, to_attr="files"))
    )


def _own_entry(request, pk: int) -> Submission:
    """The entry, if it is the city's own: another city's entry is a 404, as in the API."""
    return get_object_or_404(_entries(request.user), pk=pk)


def _decision(user, submission: Submission):
    """The Board's decision on the entry, once the call's announcement lets the city see it."""
    return decisions_visible_to(user, submission.call).filter(submission=submission).first()


def _call_offer(call: Call, organization, now) -> dict | None:
    """What the portal says about one call to one city: its deadline in force, and whether
    (and why not) the city may start an entry."""
    if not rules.accepts_entries(call, organization, now):
        return None
    deadline = call.deadline_for(organization)
    problems = eligibility_problems(call, organization)
    quota = submission_quota_problem(call, organization)
    return {
        "call": call,
        "deadline": deadline,
        "extended_for_us": deadline != call.deadline,
        "problems": problems,
        "quota": quota or "",
    }


@city_required
def home(request):
    organization = request.user.organization
    now = timezone.now()
    offers = [
        offer
        for call in Call.objects.filter(opens_at__lte=now).order_by("deadline")
        if (offer := _call_offer(call, organization, now))
    ]
    entries = list(_entries(request.user).order_by("-created_at"))
    decisions = {}
    for call in {entry.call for entry in entries}:
        for decision in decisions_visible_to(request.user, call):
            decisions[decision.submission_id] = decision
    for entry in entries:
        entry.visible_decision = decisions.get(entry.pk)
        entry.shown_status = status_shown_to(request.user, entry)
    return render(
        request,
        "frontend/city/home.html",
        {"organization": organization, "offers": offers, "entries": entries},
    )


@city_required
def new_entry(request, slug: str):
    call = get_object_or_404(Call, slug=slug)
    organization = request.user.organization
    form = EntryForm(posted(request), call=call)
    context = {
        "call": call,
        "form": form,
        "offer": _call_offer(call, organization, timezone.now()),
        "deadline": call.deadline_for(organization),
    }
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.create_draft(request.user, call, organization, **form.cleaned_data)
        except DomainError as error:
            show_error(form, error)
            return render_refused(request, "frontend/city/new_entry.html", context, error)
        messages.success(request, _("Your draft is saved. Add the documents, then submit."))
        return redirect("city:entry", pk=entry.pk)
    return render(request, "frontend/city/new_entry.html", context)


def _accept(call: Call) -> str:
    types = allowed_types(call)
    return ",".join(sorted({f".{ext}" for t in types for ext in KNOWN_TYPES.get(t, ())}))


def _entry_context(request, entry: Submission, form=None, upload_form=None) -> dict:
    call = entry.call
    decision = _decision(request.user, entry)
    accept = _accept(call)
    return {
        "entry": entry,
        "call": call,
        "deadline": call.deadline_for(entry.organization),
        "form": form or EntryForm(initial=_fields_of(entry), call=call),
        "upload_form": upload_form or UploadForm(call=call, accept=accept),
        "files": entry.files,
        "files_verifying": any(f.state == Attachment.State.VERIFYING for f in entry.files),
        "accept": accept,
        "types_json": json.dumps(
            {ext: mime for mime in allowed_types(call) for ext in KNOWN_TYPES.get(mime, ())}
        ),
        "allowed_names": ", ".join(sorted({e for e in accept.replace(".", "").split(",") if e})),
        "storage_backend": settings.STORAGE_BACKEND,
        "editable": entry.is_draft and rules.accepts_entries(call, entry.organization),
        "withdrawable": rules.may_withdraw(entry),
        "decision": decision,
        "shown_status": status_shown_to(request.user, entry),
    }


def _fields_of(entry: Submission) -> dict:
    return {name: getattr(entry, name) for name in ("title", "summary", "description", "theme")}


@city_required
def entry(request, pk: int):
    """An entry: the draft's form (saved by autosave or by the button), or what was sent."""
    entry = _own_entry(request, pk)
    if request.method == "POST":
        form = EntryForm(request.POST, call=entry.call)
        context = _entry_context(request, entry, form=form)
        if form.is_valid():
            try:
                services.update_draft(request.user, entry, **form.cleaned_data)
            except DomainError as error:
                show_error(form, error)
                return render_refused(request, "frontend/city/entry.html", context, error)
            messages.success(request, _("Your draft is saved."))
            return redirect("city:entry", pk=entry.pk)
        return render(request, "frontend/city/entry.html", context, status=400)
    return render(request, "frontend/city/entry.html", _entry_context(request, entry))


@csrf_exempt
def upload(request, pk: int):
    """Upload without the script (the script sends the file to the API with a progress bar).
    The hashing handler must be in place before anything reads the body, CSRF included."""
    limit = Submission.objects.filter(pk=pk).values_list("call__max_file_size", flat=True).first()
    request.upload_handlers = [
        attachment_service.HashingUploadHandler(request, max_bytes=(limit or 0) + 1)
    ]
    return _upload(request, pk)


@csrf_protect
@require_POST
@city_required
def _upload(request, pk: int):
    entry = _own_entry(request, pk)
    upload_form = UploadForm(request.POST, request.FILES, call=entry.call)
    if upload_form.is_valid():
        try:
            attachment_service.store_uploaded(
                request.user,
                entry,
                upload_form.cleaned_data["file"],
                upload_form.cleaned_data["kind"],
            )
        except DomainError as error:
            if "filename" in error.fields:
                error.fields.setdefault("file", error.fields["filename"])
            show_error(upload_form, error)
            entry = _own_entry(request, pk)
            context = _entry_context(request, entry, upload_form=upload_form)
            return render_refused(request, "frontend/city/entry.html", context, error)
        messages.success(request, _("The file was uploaded."))
        return redirect("city:entry", pk=entry.pk)
    context = _entry_context(request, entry, upload_form=upload_form)
    return render(request, "frontend/city/entry.html", context, status=400)


@require_POST
@city_required
def remove_file(request, pk: int, attachment_pk: int):
    entry = _own_entry(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, submission=entry)
    try:
        attachment_service.remove_attachment(request.user, attachment)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("city:entry", pk=entry.pk)
    messages.success(request, _("The file was removed."))
    return redirect("city:entry", pk=entry.pk)


def _field_label(call: Call, field: str) -> str:
    if field == "attachments":
        return _("Documents")
    form_field = EntryForm(call=call).fields.get(field)
    return str(form_field.label) if form_field else field


def _submit_context(entry: Submission, form) -> dict:
    return {
        "entry": entry,
        "call": entry.call,
        "form": form,
        "deadline": entry.call.deadline_for(entry.organization),
        "missing": [
            {"field": field, "label": _field_label(entry.call, field), "message": m}
            for field, problems in services.missing_for_submission(entry).items()
            for m in problems
        ],
        "problems": eligibility_problems(entry.call, entry.organization),
        "files": entry.files,
    }


@city_required
def submit(request, pk: int):
    """The confirmation step: what will be frozen, what is missing, then the submission."""
    entry = _own_entry(request, pk)
    if not entry.is_draft:
        return redirect("city:entry", pk=entry.pk)
    form = SubmitForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.submit(request.user, entry)
        except DomainError as error:
            show_error(form, error)
            return render_refused(
                request, "frontend/city/submit.html", _submit_context(entry, form), error
            )
        return redirect("city:receipt", pk=entry.pk)
    status = 400 if form.is_bound else 200
    return render(request, "frontend/city/submit.html", _submit_context(entry, form), status=status)


@city_required
def receipt(request, pk: int):
    entry = _own_entry(request, pk)
    if not entry.receipt_sha256:
        messages.info(request, _("This entry has no receipt yet: it has not been submitted."))
        return redirect("city:entry", pk=entry.pk)
    return render(
        request,
        "frontend/city/receipt.html",
        {
            "entry": entry,
            "call": entry.call,
            "content": entry.frozen_content or {},
            "shown_status": status_shown_to(request.user, entry),
        },
    )


@city_required
def withdraw(request, pk: int):
    entry = _own_entry(request, pk)
    form = WithdrawForm(posted(request))
    context = {"entry": entry, "call": entry.call, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw(request.user, entry, form.cleaned_data["reason"])
        except DomainError as error:
            show_error(form, error)
            return render_refused(request, "frontend/city/withdraw.html", context, error)
        messages.success(request, _("The entry was withdrawn."))
        return redirect("city:home")
    return render(request, "frontend/city/withdraw.html", context)
