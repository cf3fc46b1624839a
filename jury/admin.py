from django.contrib import admin

from .models import Assignment, Conflict, JurorProfile, JuryMember


@admin.register(JurorProfile)
class JurorProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "affiliation", "city", "country"]


@admin.register(JuryMember)
class JuryMemberAdmin(admin.ModelAdmin):
    list_display = ["call", "juror", "is_chair"]
    list_filter = ["call", "is_chair"]


@admin.register(Conflict)
class ConflictAdmin(admin.ModelAdmin):
    list_display = ["submission", "juror", "source", "rule", "dismissed_at"]
    list_filter = ["source", "rule"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["round", "submission", "juror", "source", "declined_at"]
    list_filter = ["round", "source"]
