from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from submissions.errors import NotFound
from submissions.models import Submission, User
from submissions.visibility import (
    entrant_names,
    identity_hidden_for,
    redact,
    submissions_visible_to,
)

from ..models import Assignment, Conflict, JuryMember


class JuryMemberSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="juror.username", read_only=True)
    name = serializers.CharField(source="juror.get_full_name", read_only=True)
    affiliation = serializers.CharField(source="juror.juror_profile.affiliation", default="")
    city = serializers.CharField(source="juror.juror_profile.city", default="")
    country = serializers.CharField(source="juror.juror_profile.country", default="")

    class Meta:
        model = JuryMember
        fields = [
            "id",
            "juror",
            "username",
            "name",
            "is_chair",
            "expertise",
            "affiliation",
            "city",
            "country",
        ]


class SeatJurorSerializer(serializers.Serializer):
    juror = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    is_chair = serializers.BooleanField(default=False)
    expertise = serializers.ListField(child=serializers.CharField(), default=list)
    affiliation = serializers.CharField(required=False, allow_blank=True)
    city = serializers.CharField(required=False, allow_blank=True)
    country = serializers.CharField(required=False, allow_blank=True)


class JurorSeatSerializer(serializers.ModelSerializer):
    call = serializers.CharField(source="call.slug")
    call_title = serializers.CharField(source="call.title")

    class Meta:
        model = JuryMember
        fields = ["call", "call_title", "is_chair", "expertise"]


@extend_schema_field(OpenApiTypes.INT)
class VisibleSubmissionField(serializers.PrimaryKeyRelatedField):
    """An entry the requesting user can see. One they cannot see answers exactly like one that
    does not exist, a 404, so the answer is no oracle of what exists or who reviews what."""

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:  # schema generation
            return Submission.objects.none()
        return submissions_visible_to(request.user)

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as error:
            if error.get_codes() == ["does_not_exist"]:
                raise NotFound(
                    _("There is no entry %(entry)s among the entries you can see."),
                    fields={self.field_name: [_("No such entry.")]},
                    entry=data,
                ) from None
            raise


# Automatic conflicts name how the juror and the entrant are linked (same organization, city,
# country): with the jurors' cities, that tells who submitted. In a blind call, a reader from
# whom the entrant is hidden sees only that the conflict was detected automatically.
UNDISCLOSED_RULE = "undisclosed"
UNDISCLOSED_REASON = "Detected automatically; in a blind call the link is not shown."


class ConflictSerializer(serializers.ModelSerializer):
    juror_username = serializers.CharField(source="juror.username", read_only=True)
    is_active = serializers.BooleanField(read_only=True)
    rule = serializers.SerializerMethodField(
        help_text="organization, city, country, declared, or undisclosed (blind calls)."
    )
    reason = serializers.SerializerMethodField()

    class Meta:
        model = Conflict
        fields = [
            "id",
            "call",
            "submission",
            "juror",
            "juror_username",
            "source",
            "rule",
            "reason",
            "is_active",
            "created_at",
            "dismissed_at",
            "dismissal_reason",
        ]
        read_only_fields = fields

    def _hidden(self, conflict) -> bool:
        request = self.context.get("request")
        return bool(request and identity_hidden_for(request.user, conflict.call))

    @extend_schema_field(OpenApiTypes.STR)
    def get_rule(self, conflict) -> str:
        if self._hidden(conflict) and conflict.source == conflict.Source.AUTOMATIC:
            return UNDISCLOSED_RULE
        return conflict.rule

    @extend_schema_field(OpenApiTypes.STR)
    def get_reason(self, conflict) -> str:
        if not self._hidden(conflict):
            return conflict.reason
        if conflict.source == conflict.Source.AUTOMATIC:
            return UNDISCLOSED_REASON
        return redact(conflict.reason, entrant_names(conflict.submission.organization))


class DeclareConflictSerializer(serializers.Serializer):
    submission = VisibleSubmissionField()
    reason = serializers.CharField()
    juror = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, help_text="Staff only: declare for this juror."
    )


class RequiredReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class AssignmentSerializer(serializers.ModelSerializer):
    round = serializers.IntegerField(source="round.number", read_only=True)
    juror_username = serializers.CharField(source="juror.username", read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "round",
            "submission",
            "juror",
            "juror_username",
            "source",
            "created_at",
            "declined_at",
            "decline_reason",
        ]
        read_only_fields = fields


class CreateAssignmentSerializer(serializers.Serializer):
    submission = VisibleSubmissionField()
    juror = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    round = serializers.IntegerField(
        required=False, help_text="Round number; the latest if left out."
    )


class AutoAssignSerializer(serializers.Serializer):
    reviewers_per_submission = serializers.IntegerField(min_value=1, max_value=50)
    max_per_juror = serializers.IntegerField(min_value=1, max_value=10000)
    dry_run = serializers.BooleanField(default=True)
    round = serializers.IntegerField(required=False)
