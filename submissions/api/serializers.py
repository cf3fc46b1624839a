from django.db import models
from django.utils import timezone
from rest_framework import serializers

from submissions.attachments import neutral_name
from submissions.deadlines import deadline_for
from submissions.models import (
    Attachment,
    Call,
    DeadlineExtension,
    Organization,
    Role,
    Submission,
    User,
)
from submissions.visibility import (
    NEUTRAL_STATUS,
    entrant_names,
    identity_hidden_for,
    redact,
    status_shown_to,
)


class OrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name", "kind", "city", "country", "region", "dues_paid_through"]


class UserSerializer(serializers.ModelSerializer):
    password = serializers.CharField(
        write_only=True, required=False, style={"input_type": "password"}
    )
    send_invitation = serializers.BooleanField(write_only=True, required=False, default=False)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "email",
            "first_name",
            "last_name",
            "role",
            "organization",
            "is_active",
            "password",
            "send_invitation",
        ]

    def validate(self, attrs):
        role = attrs.get("role", getattr(self.instance, "role", None))
        organization = attrs.get("organization", getattr(self.instance, "organization", None))
        if role == Role.CITY_CONTACT and organization is None:
            raise serializers.ValidationError(
                {"organization": ["A city contact needs an organization."]}
            )
        return attrs


class SetPasswordSerializer(serializers.Serializer):
    password = serializers.CharField(style={"input_type": "password"})


class PlausibleDateTimeField(serializers.DateTimeField):
    """A moment between 2000 and 2100: years like 0001 or 9999 are typing mistakes, and they
    cannot be shown in every time zone."""

    def to_internal_value(self, value):
        moment = super().to_internal_value(value)
        if not 2000 <= moment.year <= 2100:
            raise serializers.ValidationError("Give a date between the years 2000 and 2100.")
        return moment


class CallSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True)
    deadline_in_call_timezone = serializers.SerializerMethodField()
    my_deadline = serializers.SerializerMethodField()
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: PlausibleDateTimeField,
    }

    class Meta:
        model = Call
        fields = [
            "id",
            "slug",
            "kind",
            "title",
            "description",
            "themes",
            "opens_at",
            "deadline",
            "timezone",
            "deadline_in_call_timezone",
            "my_deadline",
            "status",
            "dues_required_through",
            "partners_allowed",
            "max_submissions_per_organization",
            "allowed_content_types",
            "max_file_size",
            "max_attachments",
            "required_document_kinds",
            "blind",
            "conflict_same_country",
            "jurors_see_other_scores",
            "announcement_at",
        ]
        read_only_fields = ["deadline"]  # a deadline only moves through extend-deadline

    def get_deadline_in_call_timezone(self, call) -> str:
        return timezone.localtime(call.deadline, call.tzinfo).isoformat()

    def get_my_deadline(self, call) -> str:
        user = self.context["request"].user
        organization = user.organization if user.is_city_contact else None
        return timezone.localtime(deadline_for(call, organization), call.tzinfo).isoformat()


class CallCreateSerializer(CallSerializer):
    deadline = PlausibleDateTimeField()

    class Meta(CallSerializer.Meta):
        read_only_fields = []

    def validate(self, attrs):
        opens, deadline = attrs.get("opens_at"), attrs.get("deadline")
        if opens and deadline and deadline <= opens:
            raise serializers.ValidationError(
                {"deadline": ["The deadline must come after the opening."]}
            )
        return attrs


class ExtendDeadlineSerializer(serializers.Serializer):
    deadline = PlausibleDateTimeField()
    reason = serializers.CharField()
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(),
        required=False,
        allow_null=True,
        help_text="Extend for this organization only; leave out to extend for everyone.",
    )


class DeadlineExtensionSerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username", default=None)

    class Meta:
        model = DeadlineExtension
        fields = [
            "id",
            "organization",
            "previous_deadline",
            "deadline",
            "reason",
            "created_by",
            "created_at",
        ]


class AttachmentSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = [
            "id",
            "kind",
            "name",
            "content_type",
            "size",
            "sha256",
            "state",
            "problem",
            "created_at",
            "download_url",
        ]

    def get_name(self, attachment) -> str:
        request = self.context.get("request")
        if request and identity_hidden_for(request.user, attachment.submission.call):
            return neutral_name(attachment)
        return attachment.original_name

    def get_download_url(self, attachment) -> str:
        return f"/api/v1/attachments/{attachment.pk}/download/"


# What a reader may be shown: the statuses, and the neutral one that stands for a judged entry
# until the call's announcement (submissions.visibility.status_shown_to).
SHOWN_STATUSES = [
    *Submission.Status.choices,
    (NEUTRAL_STATUS, "Under review (no verdict is shown before the announcement)"),
]


class SubmissionSerializer(serializers.ModelSerializer):
    call = serializers.SlugRelatedField(slug_field="slug", queryset=Call.objects.all())
    status = serializers.ChoiceField(choices=SHOWN_STATUSES, read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    attachments = serializers.SerializerMethodField()

    class Meta:
        model = Submission
        fields = [
            "id",
            "call",
            "organization",
            "organization_name",
            "title",
            "summary",
            "description",
            "theme",
            "answers",
            "status",
            "status_reason",
            "created_at",
            "updated_at",
            "submitted_at",
            "receipt_sha256",
            "attachments",
        ]
        read_only_fields = ["status", "status_reason", "submitted_at", "receipt_sha256"]
        extra_kwargs = {"organization": {"required": False}}

    def get_attachments(self, submission) -> list[dict]:
        # Files being checked, or refused, are shown to the entry's own city (and the
        # secretariat) with their state; everyone else sees checked files only.
        request = self.context.get("request")
        user = getattr(request, "user", None)
        own = bool(user) and (
            getattr(user, "is_secretariat", False)
            or getattr(user, "organization_id", None) == submission.organization_id
        )
        shown = (
            {Attachment.State.COMPLETE, Attachment.State.VERIFYING, Attachment.State.REJECTED}
            if own
            else {Attachment.State.COMPLETE}
        )
        files = [a for a in submission.attachments.all() if a.state in shown]
        return AttachmentSerializer(files, many=True, context=self.context).data

    def to_representation(self, submission):
        data = super().to_representation(submission)
        request = self.context.get("request")
        if request:
            data["status"] = status_shown_to(request.user, submission)
        if request and identity_hidden_for(request.user, submission.call):
            for key in ("organization", "organization_name"):
                data.pop(key, None)
            names = entrant_names(submission.organization)
            for key in ("title", "summary", "description", "answers"):
                data[key] = redact(data[key], names)
        return data


class SubmissionUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Submission
        fields = ["title", "summary", "description", "theme", "answers"]


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class EligibilitySerializer(serializers.Serializer):
    eligible = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReceiptSerializer(serializers.Serializer):
    submission = serializers.IntegerField()
    call = serializers.CharField()
    title = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    sha256 = serializers.CharField()
    content = serializers.JSONField()


class UploadFileSerializer(serializers.Serializer):
    file = serializers.FileField()
    kind = serializers.CharField()


class DirectUploadSerializer(serializers.Serializer):
    filename = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField(min_value=0)
    kind = serializers.CharField()


class CompletePartSerializer(serializers.Serializer):
    part_number = serializers.IntegerField(min_value=1)
    etag = serializers.CharField()


class CompleteUploadSerializer(serializers.Serializer):
    parts = CompletePartSerializer(many=True, required=False)
