from decimal import Decimal

from rest_framework import serializers

from jury.models import Assignment, Round
from submissions.api.serializers import SubmissionSerializer
from submissions.models import Submission, User

from ..models import Criterion, ScoreChange, ScoreSheet
from ..validation import number


class NumberField(serializers.DecimalField):
    """A decimal read as given (the rubric checks the scale and step) and shown as a number."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=None, decimal_places=None, coerce_to_string=False, **kwargs)

    def to_representation(self, value):
        if value is None:
            return None
        value = Decimal(number(value))
        return int(value) if value == value.to_integral_value() else float(value)


# --- rounds -------------------------------------------------------------------------------------


class RoundSerializer(serializers.ModelSerializer):
    call = serializers.CharField(source="call.slug", read_only=True)
    jurors = serializers.SerializerMethodField()
    entries = serializers.SerializerMethodField()
    criteria_count = serializers.IntegerField(read_only=True, default=0)
    rubric_locked = serializers.SerializerMethodField()

    class Meta:
        model = Round
        fields = [
            "id",
            "call",
            "number",
            "name",
            "jury_deadline",
            "jurors",
            "entries",
            "criteria_count",
            "rubric_locked",
            "rubric_locked_at",
            "results_released_at",
        ]
        read_only_fields = fields

    def get_jurors(self, round_) -> list[int]:
        """The round's own jury subset; empty means the call's whole jury."""
        return sorted(user.pk for user in round_.jurors.all())

    def get_entries(self, round_) -> list[int] | None:
        """A later round's entries (those the reader may know of, see
        scoring.selectors.rounds_visible_to); None for round 1, which takes every eligible
        entry."""
        if round_.number == 1:
            return None
        shown = getattr(round_, "shown_entries", None)
        if shown is not None:
            return list(shown)
        return sorted(entry.pk for entry in round_.entries.all())

    def get_rubric_locked(self, round_) -> bool:
        return round_.rubric_locked_at is not None


class RoundWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    jury_deadline = serializers.DateTimeField()
    jurors = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(),
        many=True,
        required=False,
        help_text="A subset of the call's jury; leave out for the whole jury.",
    )
    entries = serializers.PrimaryKeyRelatedField(
        queryset=Submission.objects.all(),
        many=True,
        required=False,
        help_text="Entries of a later round (round 1 takes every eligible entry).",
    )


# --- rubrics ------------------------------------------------------------------------------------


class LevelSerializer(serializers.Serializer):
    min = NumberField()
    max = NumberField()
    label = serializers.CharField(max_length=80)
    description = serializers.CharField(allow_blank=True, default="", max_length=2000)


class CriterionSerializer(serializers.ModelSerializer):
    min = NumberField(source="min_value", default=1)
    max = NumberField(source="max_value", default=10)
    step = NumberField(default=1)
    weight = NumberField(default=1)
    levels = LevelSerializer(many=True, default=list)

    class Meta:
        model = Criterion
        fields = [
            "key",
            "label",
            "description",
            "weight",
            "min",
            "max",
            "step",
            "levels",
            "comment_required",
        ]
        extra_kwargs = {"key": {"validators": []}}


class RubricWriteSerializer(serializers.Serializer):
    criteria = CriterionSerializer(many=True, allow_empty=True)


# --- score sheets -------------------------------------------------------------------------------


class ScoreSerializer(serializers.Serializer):
    criterion = serializers.CharField(max_length=60)
    value = NumberField(allow_null=True, required=False, default=None)
    comment = serializers.CharField(allow_blank=True, required=False, default="", max_length=5000)


class ScoreReadSerializer(serializers.Serializer):
    criterion = serializers.CharField(source="criterion.key")
    value = NumberField(allow_null=True)
    comment = serializers.CharField()


class SheetSerializer(serializers.ModelSerializer):
    call = serializers.CharField(source="assignment.round.call.slug")
    round = serializers.IntegerField(source="assignment.round.number")
    jury_deadline = serializers.DateTimeField(source="assignment.round.jury_deadline")
    submission = serializers.IntegerField(source="assignment.submission_id")
    juror = serializers.IntegerField(source="assignment.juror_id")
    juror_username = serializers.CharField(source="assignment.juror.username")
    etag = serializers.SerializerMethodField()
    scores = ScoreReadSerializer(many=True)

    class Meta:
        model = ScoreSheet
        fields = [
            "id",
            "assignment",
            "call",
            "round",
            "jury_deadline",
            "submission",
            "juror",
            "juror_username",
            "status",
            "version",
            "etag",
            "comment",
            "scores",
            "created_at",
            "updated_at",
            "submitted_at",
        ]
        read_only_fields = fields

    def get_etag(self, sheet) -> str:
        return etag(sheet)


class SheetWriteSerializer(serializers.Serializer):
    scores = ScoreSerializer(many=True, required=False, default=list)
    comment = serializers.CharField(allow_blank=True, required=False, max_length=20000)
    version = serializers.IntegerField(
        min_value=1, required=False, help_text="The version you loaded (or send If-Match)."
    )


class SubmitSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, required=False)


class ReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000)
    version = serializers.IntegerField(min_value=1, required=False)


class ChangeSerializer(serializers.ModelSerializer):
    actor_username = serializers.CharField(source="actor.username", default=None)

    class Meta:
        model = ScoreChange
        fields = [
            "id",
            "actor",
            "actor_username",
            "field",
            "old_value",
            "new_value",
            "reason",
            "created_at",
        ]
        read_only_fields = fields


def etag(sheet: ScoreSheet) -> str:
    return f'"sheet-{sheet.pk}-v{sheet.version}"'


# --- the juror's work ---------------------------------------------------------------------------


class JurorAssignmentSerializer(serializers.ModelSerializer):
    """What a juror sees of an assignment: the entry, its files, and their sheet's state."""

    call = serializers.CharField(source="round.call.slug")
    round = serializers.IntegerField(source="round.number")
    jury_deadline = serializers.DateTimeField(source="round.jury_deadline")
    submission = serializers.SerializerMethodField()
    sheet = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = ["id", "call", "round", "jury_deadline", "submission", "sheet"]

    def get_submission(self, assignment) -> dict:
        return SubmissionSerializer(assignment.submission, context=self.context).data

    def get_sheet(self, assignment) -> dict | None:
        sheet = getattr(assignment, "sheet", None)
        if sheet is None:
            return None
        return {"id": sheet.pk, "status": sheet.status, "version": sheet.version}


class ProgressSerializer(serializers.Serializer):
    juror = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField()
    assigned = serializers.IntegerField()
    started = serializers.IntegerField()
    completed = serializers.IntegerField()
