"""Writes on calls and submissions. Each function is one transaction and one rule."""

from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import audit, notifications, rules
from .dates import format_in_call_timezone
from .eligibility import eligibility_problems, submission_quota_problem
from .errors import REQUIRED, Conflict, DomainError, NotAllowed, joined, text
from .labels import DOCUMENT_KIND, STATUS, lazy_label, lazy_lower_label
from .models import Attachment, Call, DeadlineExtension, Organization, Submission, User
from .receipts import canonical_content, receipt_hash

EDITABLE_FIELDS = ("title", "summary", "description", "theme", "answers")
ONLY_STAFF_CHANGE_CALLS = _("Only the secretariat can change a call.")
REQUIRED_FIELDS = ("title", "summary", "description")


def _validate_theme(call: Call, theme: str) -> None:
    if theme and call.themes and theme not in call.themes:
        raise DomainError(
            _("'%(theme)s' is not a theme of this call. Choose one of: %(themes)s."),
            fields={"theme": [_("Unknown theme.")]},
            theme=theme,
            themes=", ".join(call.themes),
        )


@transaction.atomic
def create_draft(user: User, call: Call, organization: Organization, **fields) -> Submission:
    rules.ensure_acts_for(user, organization)
    rules.ensure_accepting_entries(call, organization)
    problems = eligibility_problems(call, organization)
    if problems:
        raise NotAllowed(joined(problems), code="not_eligible")
    # Lock the organization row so that two parallel drafts cannot both pass the quota check.
    Organization.objects.select_for_update().get(pk=organization.pk)
    quota = submission_quota_problem(call, organization)
    if quota:
        raise Conflict(quota, code="quota_reached")
    _validate_theme(call, fields.get("theme", ""))
    submission = Submission.objects.create(
        call=call,
        organization=organization,
        created_by=user,
        **{k: v for k, v in fields.items() if k in EDITABLE_FIELDS},
    )
    audit.record(user, "submission.created", submission, call=call)
    return submission


def lock_draft(submission_id: int) -> Submission:
    # Lock the entry's row only: a bare FOR UPDATE on this join would also lock the call's row,
    # and every city's submit and upload would queue behind one another at the deadline.
    submission = Submission.objects.select_for_update(of=("self",))
    return submission.select_related("call", "organization").get(pk=submission_id)


def ensure_editable(submission: Submission) -> None:
    rules.ensure_accepting_entries(submission.call, submission.organization)
    if submission.status != Submission.Status.DRAFT:
        raise Conflict(
            _("This entry was %(status)s and can no longer be changed."),
            code="not_a_draft",
            status=lazy_lower_label(STATUS, submission.status),
        )


@transaction.atomic
def update_draft(user: User, submission: Submission, **fields) -> Submission:
    submission = lock_draft(submission.pk)
    rules.ensure_acts_for(user, submission.organization)
    ensure_editable(submission)
    if "theme" in fields:
        _validate_theme(submission.call, fields["theme"])
    changed = [k for k in EDITABLE_FIELDS if k in fields and getattr(submission, k) != fields[k]]
    for name in changed:
        setattr(submission, name, fields[name])
    if changed:
        submission.save(update_fields=[*changed, "updated_at"])
    return submission


def missing_for_submission(submission: Submission) -> dict[str, list[str]]:
    call = submission.call
    missing: dict[str, list[str]] = {}
    for name in REQUIRED_FIELDS:
        if not str(getattr(submission, name) or "").strip():
            missing[name] = [_("This field is required before submitting.")]
    if call.themes and not submission.theme:
        missing["theme"] = [
            text(_("Choose one of the call's themes: %(themes)s."), themes=", ".join(call.themes))
        ]
    kinds = set(
        submission.attachments.filter(state=Attachment.State.COMPLETE).values_list(
            "kind", flat=True
        )
    )
    absent = [k for k in call.required_document_kinds if k not in kinds]
    if absent:
        missing["attachments"] = [
            text(_("Attach a document of kind '%(kind)s'."), kind=lazy_label(DOCUMENT_KIND, k))
            for k in absent
        ]
    return missing


def ensure_files_checked(submission: Submission) -> None:
    """A file still being checked could yet be refused: the receipt waits for the outcome."""
    verifying = list(
        submission.attachments.filter(state=Attachment.State.VERIFYING).values_list(
            "original_name", flat=True
        )
    )
    if verifying:
        raise Conflict(
            _(
                "These files are still being checked: %(names)s. Submit again in a moment, once "
                "they show as verified."
            ),
            code="files_verifying",
            names=", ".join(verifying),
        )


def frozen_content_of(submission: Submission) -> dict:
    fields = {name: getattr(submission, name) for name in EDITABLE_FIELDS}
    attachments = [
        {"kind": a.kind, "name": a.original_name, "sha256": a.sha256}
        for a in submission.attachments.filter(state=Attachment.State.COMPLETE)
    ]
    return canonical_content(fields, attachments)


@transaction.atomic
def submit(user: User, submission: Submission, *, now: datetime | None = None) -> Submission:
    now = now or timezone.now()
    submission = lock_draft(submission.pk)
    rules.ensure_acts_for(user, submission.organization)
    rules.ensure_accepting_entries(submission.call, submission.organization, now)
    if submission.status != Submission.Status.DRAFT:
        raise Conflict(_("This entry was already submitted."), code="already_submitted")
    problems = eligibility_problems(submission.call, submission.organization)
    if problems:
        raise NotAllowed(joined(problems), code="not_eligible")
    ensure_files_checked(submission)
    missing = missing_for_submission(submission)
    if missing:
        each = [text("%(field)s: %(problem)s", field=k, problem=v[0]) for k, v in missing.items()]
        raise DomainError(
            _("The entry is not complete yet: %(missing)s"),
            code="incomplete",
            fields=missing,
            summary=_("The entry is not complete yet: see what is missing."),
            missing=joined(each, "; "),
        )
    content = frozen_content_of(submission)
    submission.frozen_content = content
    submission.receipt_sha256 = receipt_hash(content)
    submission.status = Submission.Status.SUBMITTED
    submission.submitted_at = now
    submission.submitted_by = user
    submission.save()
    audit.record(
        user,
        "submission.submitted",
        submission,
        call=submission.call,
        sha256=submission.receipt_sha256,
    )
    call = submission.call
    notifications.send(
        "submission.receipt",
        user.email,
        lambda: (
            _("Receipt: %(title)s (%(call)s)") % {"title": submission.title, "call": call.title}
        ),
        lambda: (
            _(
                'Your entry "%(title)s" to %(call)s was received on %(when)s.\n\n'
                "Receipt (SHA-256): %(sha256)s\nEntry number: %(number)s\n"
            )
            % {
                "title": submission.title,
                "call": call.title,
                "when": format_in_call_timezone(call, now),
                "sha256": submission.receipt_sha256,
                "number": submission.pk,
            }
        ),
        user=user,
    )
    return submission


@transaction.atomic
def withdraw(user: User, submission: Submission, reason: str = "") -> Submission:
    submission = lock_draft(submission.pk)
    rules.ensure_acts_for(user, submission.organization)
    if not rules.may_withdraw(submission):
        raise Conflict(
            _("Only a draft or a submitted entry can be withdrawn."), code="not_withdrawable"
        )
    submission.status = Submission.Status.WITHDRAWN
    submission.status_reason = reason
    submission.save(update_fields=["status", "status_reason", "updated_at"])
    audit.record(user, "submission.withdrawn", submission, call=submission.call, reason=reason)
    return submission


@transaction.atomic
def set_eligibility(
    user: User, submission: Submission, eligible: bool, reason: str = ""
) -> Submission:
    if not user.is_secretariat:
        raise NotAllowed(_("Only the secretariat decides eligibility."))
    submission = lock_draft(submission.pk)
    if submission.status not in rules.REVIEWED_STATUSES:
        raise Conflict(
            _("Eligibility is reviewed on submitted entries only."), code="not_submitted"
        )
    if not eligible and not reason.strip():
        raise DomainError(
            _("Give the reason an entry is ineligible."), fields={"reason": [REQUIRED]}
        )
    old = submission.status
    submission.status = Submission.Status.ELIGIBLE if eligible else Submission.Status.INELIGIBLE
    submission.status_reason = reason
    submission.save(update_fields=["status", "status_reason", "updated_at"])
    audit.record(
        user,
        "submission.eligibility",
        submission,
        call=submission.call,
        old=old,
        new=submission.status,
        reason=reason,
    )
    return submission


# --- calls ----------------------------------------------------------------------------------------

# What a call's settings are: every field but the history (created_at) and the deadline once
# the call exists, which moves only through an extension (extend_deadline), recorded.
CALL_FIELDS = tuple(
    field.name for field in Call._meta.concrete_fields if field.name not in ("id", "created_at")
)


def _check_call(call: Call) -> None:
    """The model's own checks (a time zone name, a free slug, lengths) and the schedule's."""
    problems = rules.schedule_problems(
        opens_at=call.opens_at, deadline=call.deadline, announcement_at=call.announcement_at
    )
    try:
        call.full_clean()
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            problems.setdefault(name, []).extend(messages)
    if problems:
        raise DomainError(
            _("Some settings of the call need attention: %(names)s."),
            fields=problems,
            summary=_("Some settings of the call need attention: see the fields marked below."),
            names=", ".join(sorted(problems)),
        )


def _moment(value) -> str | None:
    """A date as the audit keeps it: in UTC, ISO 8601 (other values as they are)."""
    return value.astimezone(UTC).isoformat() if isinstance(value, datetime) else value


def _record_announcement(actor: User, call: Call, old: datetime | None) -> None:
    """The announcement date decides when cities and the public learn the verdicts: every
    change of it is audited on its own."""
    audit.record(
        actor,
        "call.announcement_set",
        call,
        call=call,
        old=_moment(old),
        new=_moment(call.announcement_at),
    )


@transaction.atomic
def create_call(actor: User, **fields) -> Call:
    rules.ensure_secretariat(actor, ONLY_STAFF_CHANGE_CALLS)
    call = Call(**{name: value for name, value in fields.items() if name in CALL_FIELDS})
    _check_call(call)
    call.save()
    audit.record(actor, "call.created", call, call=call, slug=call.slug, title=call.title)
    if call.announcement_at:
        _record_announcement(actor, call, None)
    return call


@transaction.atomic
def update_call(actor: User, call: Call, **fields) -> Call:
    """Change a call's settings; its deadline moves only through extend_deadline."""
    rules.ensure_secretariat(actor, ONLY_STAFF_CHANGE_CALLS)
    call = Call.objects.select_for_update().get(pk=call.pk)
    wanted = {name: value for name, value in fields.items() if name in CALL_FIELDS}
    if "deadline" in wanted and wanted.pop("deadline") != call.deadline:
        raise DomainError(
            _(
                "A call's deadline moves only through an extension, which is recorded with its "
                "reason."
            ),
            fields={"deadline": [_("Use “Extend the deadline” to move it.")]},
        )
    before = {name: getattr(call, name) for name in wanted}
    for name, value in wanted.items():
        setattr(call, name, value)
    _check_call(call)
    changed = [name for name in wanted if getattr(call, name) != before[name]]
    if not changed:
        return call
    call.save(update_fields=changed)
    audit.record(
        actor,
        "call.updated",
        call,
        call=call,
        changes={name: [_moment(before[name]), _moment(getattr(call, name))] for name in changed},
    )
    if "announcement_at" in changed:
        _record_announcement(actor, call, before["announcement_at"])
    return call


@transaction.atomic
def extend_deadline(
    user: User,
    call: Call,
    deadline: datetime,
    reason: str,
    organization: Organization | None = None,
) -> DeadlineExtension:
    rules.ensure_secretariat(user, _("Only the secretariat can change a deadline."))
    if not reason.strip():
        raise DomainError(_("Give a reason for the extension."), fields={"reason": [REQUIRED]})
    call = Call.objects.select_for_update().get(pk=call.pk)
    previous = call.deadline_for(organization)
    if deadline <= previous:
        raise DomainError(
            _("The new deadline must be later than the one in force (%(when)s)."),
            fields={"deadline": [_("Must be later than the deadline in force.")]},
            when=format_in_call_timezone(call, previous),
        )
    extension = DeadlineExtension.objects.create(
        call=call,
        organization=organization,
        previous_deadline=previous,
        deadline=deadline,
        reason=reason,
        created_by=user,
    )
    if organization is None:
        call.deadline = deadline
        call.save(update_fields=["deadline"])
    audit.record(
        user,
        "call.deadline_extended",
        extension,
        call=call,
        organization=organization.pk if organization else None,
        old=previous.isoformat(),
        new=deadline.isoformat(),
        reason=reason,
    )
    _notify_extension(call, extension)
    return extension


def _notify_extension(call: Call, extension: DeadlineExtension) -> None:
    drafts = Submission.objects.filter(call=call, status=Submission.Status.DRAFT)
    if extension.organization_id:
        drafts = drafts.filter(organization_id=extension.organization_id)
    org_ids = set(drafts.values_list("organization_id", flat=True))
    contacts = User.objects.filter(organization_id__in=org_ids, role="city_contact", is_active=True)

    def body() -> str:
        return _(
            "The deadline for %(call)s is now %(deadline)s.\nReason: %(reason)s\n\n"
            "Your draft is saved; remember to submit it before the new deadline."
        ) % {
            "call": call.title,
            "deadline": format_in_call_timezone(call, extension.deadline),
            "reason": extension.reason,
        }

    for contact in contacts.exclude(email=""):
        notifications.send(
            "call.deadline_extended",
            contact.email,
            lambda: _("Deadline extended: %(call)s") % {"call": call.title},
            body,
            dedupe_key=f"extension:{extension.pk}:{contact.pk}",
            user=contact,
        )
