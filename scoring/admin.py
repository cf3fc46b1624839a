from django.contrib import admin

from jury.models import Round

from .models import (
    ConsensusNote,
    Criterion,
    Decision,
    DiscussionPost,
    Score,
    ScoreChange,
    ScoreSheet,
)
from .rules import rubric_is_locked


class CriterionInline(admin.TabularInline):
    """A round's rubric; read-only once the round's first sheet is submitted (scoring.rules)."""

    model = Criterion
    extra = 0
    fields = [
        "order",
        "key",
        "label",
        "weight",
        "min_value",
        "max_value",
        "step",
        "comment_required",
        "levels",
    ]

    def _locked(self, obj) -> bool:
        return obj is not None and rubric_is_locked(obj)

    def has_add_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_delete_permission(request, obj)


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["call", "number", "name", "jury_deadline", "rubric_locked_at"]
    list_filter = ["call"]
    readonly_fields = ["rubric_locked_at", "results_released_at"]
    filter_horizontal = ["jurors", "entries"]
    inlines = [CriterionInline]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ScoreInline(ReadOnlyInline):
    model = Score
    fields = ["criterion", "value", "comment"]


class ScoreChangeInline(ReadOnlyInline):
    model = ScoreChange
    fields = ["created_at", "actor", "field", "old_value", "new_value", "reason"]
    readonly_fields = fields


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ScoreSheet)
class ScoreSheetAdmin(ReadOnlyAdmin):
    """Sheets are written by jurors through the API and the pages only: here they are read."""

    list_display = ["id", "assignment", "status", "version", "updated_at", "submitted_at"]
    list_filter = ["status", "assignment__round__call"]
    list_select_related = ["assignment__juror"]
    inlines = [ScoreInline, ScoreChangeInline]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    """Read-only: decisions are recorded through the Board's pages or API, which audit them."""

    list_display = ["call", "submission", "outcome", "decided_by", "decided_at"]
    list_filter = ["call", "outcome"]
    readonly_fields = ["call", "submission", "outcome", "rationale", "decided_by", "decided_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DiscussionPost)
class DiscussionPostAdmin(ReadOnlyAdmin):
    """Read-only: posts are never edited nor deleted (docs/deliberation.md)."""

    list_display = ["id", "round", "submission", "author", "created_at"]
    list_filter = ["round__call"]
    list_select_related = ["round__call", "author"]


@admin.register(ConsensusNote)
class ConsensusNoteAdmin(ReadOnlyAdmin):
    """Read-only: the chair records the note through the pages or the API, which audit it."""

    list_display = ["round", "submission", "written_by", "version", "updated_at"]
    list_filter = ["round__call"]
    list_select_related = ["round__call", "written_by"]
