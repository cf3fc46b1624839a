"""A factory for every model of the platform (tests/test_factories.py holds that)."""

import hashlib
from datetime import timedelta

import factory
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from jury.models import Assignment, Conflict, JurorProfile, JuryMember, Round
from scoring.models import (
    ConsensusNote,
    Criterion,
    Decision,
    DiscussionPost,
    Score,
    ScoreChange,
    ScoreSheet,
)
from submissions.demo.seed import tiny_pdf
from submissions.models import (
    Attachment,
    AuditEvent,
    Call,
    DeadlineExtension,
    Organization,
    OutboxMessage,
    Role,
    Submission,
    User,
)

PASSWORD = "correct horse battery"


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"City {n}")
    kind = Organization.Kind.MEMBER
    city = factory.LazyAttribute(lambda o: o.name)
    country = factory.Sequence(lambda n: f"Country {n}")
    region = "europe"
    dues_paid_through = 2014


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    role = Role.CITY_CONTACT
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CityContactFactory(UserFactory):
    role = Role.CITY_CONTACT
    organization = factory.SubFactory(OrganizationFactory)


class SecretariatFactory(UserFactory):
    role = Role.SECRETARIAT
    is_staff = True


class JurorFactory(UserFactory):
    role = Role.JUROR


class BoardFactory(UserFactory):
    role = Role.BOARD


class CallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Call

    slug = factory.Sequence(lambda n: f"call-{n}")
    kind = Call.Kind.AWARD
    title = factory.Sequence(lambda n: f"Call {n}")
    themes = ["Governance", "Sustainability", "Social inclusion"]
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))
    timezone = "Europe/Madrid"
    dues_required_through = 2014
    max_submissions_per_organization = 2
    max_file_size = 5 * 1024 * 1024
    max_attachments = 4
    required_document_kinds = []


class SubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Submission

    call = factory.SubFactory(CallFactory)
    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Project {n}")
    summary = "A short summary."
    description = "What the project does, for whom, and what it achieved."
    theme = "Governance"


class EligibleSubmissionFactory(SubmissionFactory):
    status = Submission.Status.ELIGIBLE
    submitted_at = factory.LazyFunction(timezone.now)
    receipt_sha256 = "0" * 64


class JurorProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JurorProfile

    user = factory.SubFactory(JurorFactory)
    affiliation = "University"
    city = factory.Sequence(lambda n: f"Juror city {n}")
    country = factory.Sequence(lambda n: f"Juror country {n}")


class JuryMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JuryMember

    call = factory.SubFactory(CallFactory)
    juror = factory.LazyAttribute(lambda _: JurorProfileFactory().user)
    expertise = []


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Round

    call = factory.SubFactory(CallFactory)
    number = 1
    name = "First round"
    jury_deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    round = factory.SubFactory(RoundFactory)
    submission = factory.SubFactory(
        EligibleSubmissionFactory, call=factory.SelfAttribute("..round.call")
    )
    juror = factory.SubFactory(JurorFactory)


class ConflictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conflict

    call = factory.SelfAttribute("submission.call")
    submission = factory.SubFactory(EligibleSubmissionFactory)
    juror = factory.SubFactory(JurorFactory)
    source = Conflict.Source.DECLARED
    rule = Conflict.Rule.DECLARED
    reason = "Advised this city last year."


def pdf_bytes(text: str = "Application form") -> bytes:
    return tiny_pdf(text)


# --- scoring: rubrics and score sheets ----------------------------------------------------------


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    round = factory.SubFactory(RoundFactory)
    key = factory.Sequence(lambda n: f"criterion-{n}")
    label = factory.LazyAttribute(lambda c: c.key.replace("-", " ").capitalize())
    weight = 1
    min_value = 1
    max_value = 10
    step = 1
    order = factory.Sequence(lambda n: n)


class ScoreSheetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScoreSheet

    assignment = factory.SubFactory(AssignmentFactory)


class ScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Score

    sheet = factory.SubFactory(ScoreSheetFactory)
    criterion = factory.SubFactory(
        CriterionFactory, round=factory.SelfAttribute("..sheet.assignment.round")
    )
    value = 5


# --- the rest of the models: files, decisions, history ------------------------------------------


class AttachmentFactory(factory.django.DjangoModelFactory):
    """A checked PDF of an entry, stored in the test's storage."""

    class Meta:
        model = Attachment

    submission = factory.SubFactory(EligibleSubmissionFactory)
    kind = "application_form"
    original_name = factory.Sequence(lambda n: f"form-{n}.pdf")
    file = factory.LazyAttribute(
        lambda a: default_storage.save(
            f"submissions/{a.submission.pk}/{a.original_name}", ContentFile(pdf_bytes())
        )
    )
    content_type = "application/pdf"
    size = factory.LazyFunction(lambda: len(pdf_bytes()))
    sha256 = factory.LazyFunction(lambda: hashlib.sha256(pdf_bytes()).hexdigest())
    state = Attachment.State.COMPLETE


class DeadlineExtensionFactory(factory.django.DjangoModelFactory):
    """A call's deadline moved for one organization (organization=None: for everyone, but the
    call's own deadline then moves only through submissions.services.extend_deadline)."""

    class Meta:
        model = DeadlineExtension

    call = factory.SubFactory(CallFactory)
    organization = factory.SubFactory(OrganizationFactory)
    previous_deadline = factory.SelfAttribute("call.deadline")
    deadline = factory.LazyAttribute(lambda e: e.call.deadline + timedelta(days=3))
    reason = "Strike at the post office"


class DecisionFactory(factory.django.DjangoModelFactory):
    """The Board's decision on a shortlisted entry (the entry's status is the service's to set:
    use scoring.decisions.record_decision where the status matters)."""

    class Meta:
        model = Decision

    submission = factory.SubFactory(EligibleSubmissionFactory, status=Submission.Status.SHORTLISTED)
    call = factory.SelfAttribute("submission.call")
    outcome = Decision.Outcome.AWARDED
    rationale = "A model for other cities."


class ScoreChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScoreChange

    sheet = factory.SubFactory(ScoreSheetFactory)
    actor = factory.SelfAttribute("sheet.assignment.juror")
    field = "comment"
    old_value = None
    new_value = "A first reading."


class AuditEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditEvent

    action = "test.event"


class OutboxMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutboxMessage

    kind = "test.mail"
    to = factory.Sequence(lambda n: f"someone{n}@example.org")
    subject = "A subject"
    body = "A body."


# --- scoring: deliberation ----------------------------------------------------------------------


class DiscussionPostFactory(factory.django.DjangoModelFactory):
    """A post in the discussion of an assignment's entry, by its juror (a row: the service,
    scoring.deliberation.post, checks that the juror's sheet is submitted)."""

    class Meta:
        model = DiscussionPost
        exclude = ("assignment",)

    assignment = factory.SubFactory(AssignmentFactory)
    round = factory.SelfAttribute("assignment.round")
    submission = factory.SelfAttribute("assignment.submission")
    author = factory.SelfAttribute("assignment.juror")
    body = "The measured results are thinner than the summary says."


class ConsensusNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsensusNote

    round = factory.SubFactory(RoundFactory)
    submission = factory.SubFactory(
        EligibleSubmissionFactory, call=factory.SelfAttribute("..round.call")
    )
    written_by = factory.SubFactory(JurorFactory)
    body = "The jury agrees the impact is real but narrow; transferability is the open question."
