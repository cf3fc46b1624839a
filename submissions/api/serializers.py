from django.db import models
from django.utils import timezone
from rest_framework import serializers

from submissions import rules
from submissions.models import (
    Attachment,
    Call,
    DeadlineExtension,
    Organization,
    Role,
    Submission,
    User,
)
from submissions.rules import NEUTRAL_STATUS
from submissions.visibility import (
    TEXTS,
    entry_shown_to,
    file_name_shown_to,
    files_shown_to,
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
        if not rules.plausible(moment):
            raise serializers.ValidationError(rules.IMPLAUSIBLE_DATE)
        return moment


class CallSerializer(serializers.ModelSerializer):
    status = serializers.SerializerMethodField(
        help_text="upcoming, open or closed: for a city, by the deadline in force for it."
    )
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

    def _reader_organization(self):
        user = self.context["request"].user
        return user.organization if user.is_city_contact else None

    def get_my_deadline(self, call) -> str:
        deadline = call.deadline_for(self._reader_organization())
        return timezone.localtime(deadline, call.tzinfo).isoformat()

    def get_status(self, call) -> str:
        return call.status_at(organization=self._reader_organization())


class CallCreateSerializer(CallSerializer):
    deadline = PlausibleDateTimeField()

    class Meta(CallSerializer.Meta):
        read_only_fields = []

    def validate(self, attrs):
        problems = rules.schedule_problems(
            opens_at=attrs.get("opens_at"), deadline=attrs.get("deadline")
        )
        if problems:
            raise serializers.ValidationError(problems)
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
        if request is None:
            return attachment.original_name
        return file_name_shown_to(request.user, attachment)

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
        request = self.context.get("request")
        if request is None:
            files = [a for a in submission.attachments.all() if a.state == "complete"]
        else:
            files = files_shown_to(request.user, submission)
        return AttachmentSerializer(files, many=True, context=self.context).data

    def to_representation(self, submission):
        data = super().to_representation(submission)
        request = self.context.get("request")
        if request is None:
            return data
        shown = entry_shown_to(request.user, submission)
        if shown["organization"] is None:
            for key in ("organization", "organization_name"):
                data.pop(key, None)
        return {**data, **{key: shown[key] for key in ("status", *TEXTS)}}


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
