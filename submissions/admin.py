from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from . import rules, security, services
from .errors import DomainError
from .models import (
    Attachment,
    AuditEvent,
    Call,
    DeadlineExtension,
    Organization,
    OutboxMessage,
    Submission,
    User,
)
from .notifications import deliver_due_mail


class LockoutAdminAuthenticationForm(security.LockoutFormMixin, AdminAuthenticationForm):
    """The admin's sign-in, under the same lockout as the pages and the API."""


admin.site.login_form = LockoutAdminAuthenticationForm


@admin.register(User)
class PlatformUserAdmin(UserAdmin):
    list_display = ["username", "email", "role", "organization", "is_active"]
    list_filter = ["role", "is_active"]
    fieldsets = [*UserAdmin.fieldsets, ("Platform", {"fields": ["role", "organization"]})]
    add_fieldsets = [*UserAdmin.add_fieldsets, ("Platform", {"fields": ["role", "organization"]})]
    autocomplete_fields = ["organization"]
    # What only a superuser may grant: the admin itself, every permission, the secretariat.
    SUPERUSER_ONLY = ("is_superuser", "is_staff", "groups", "user_permissions")

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or rules.may_manage_account(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or rules.may_manage_account(request.user, obj))

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [
            (
                name,
                {
                    **options,
                    "fields": [f for f in options["fields"] if f not in self.SUPERUSER_ONLY],
                },
            )
            for name, options in fieldsets
        ]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        role = form.base_fields.get("role")
        if role is not None and not request.user.is_superuser:
            role.choices = [
                (value, label)
                for value, label in role.choices
                if rules.may_grant_role(request.user, value)
            ]
        return form


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "city", "country", "region", "dues_paid_through"]
    list_filter = ["kind", "region", "dues_paid_through"]
    search_fields = ["name", "city", "country"]


class DeadlineExtensionInline(admin.TabularInline):
    model = DeadlineExtension
    extra = 0
    readonly_fields = [
        "organization",
        "previous_deadline",
        "deadline",
        "reason",
        "created_by",
        "created_at",
    ]
    can_delete = False


class CallAdminForm(forms.ModelForm):
    class Meta:
        model = Call
        fields = services.CALL_FIELDS

    def clean(self):
        data = super().clean()
        dates = ("opens_at", "deadline", "announcement_at")
        moments = {name: data.get(name, getattr(self.instance, name)) for name in dates}
        for name, problems in rules.schedule_problems(**moments).items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, problems)
        return data


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    form = CallAdminForm
    list_display = ["title", "kind", "opens_at", "deadline", "status"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [DeadlineExtensionInline]

    def get_readonly_fields(self, request, obj=None):
        # Once a call exists its deadline moves only through an extension, which is recorded.
        return ["deadline"] if obj else []

    def save_model(self, request, obj, form, change):
        """Through the services, as the pages and the API: checked, and audited."""
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            if change:
                saved = services.update_call(request.user, obj, **fields)
            else:
                saved = services.create_call(request.user, **form.cleaned_data)
        except DomainError as error:
            raise PermissionDenied(error.message) from error
        obj.pk, obj._state.adding = saved.pk, False


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["kind", "original_name", "content_type", "size", "sha256", "state"]
    readonly_fields = fields


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["title", "call", "organization", "status", "submitted_at"]
    list_filter = ["call", "status"]
    search_fields = ["title", "organization__name"]
    list_select_related = ["call", "organization"]
    readonly_fields = ["receipt_sha256", "frozen_content", "submitted_at", "submitted_by"]
    inlines = [AttachmentInline]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "target_type", "target_id"]
    list_filter = ["action"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """The mail queue: what is pending or failed, with its last error, and what was sent."""

    list_display = ["created_at", "status", "attempts", "sent_at", "kind", "to", "subject"]
    list_filter = ["status", "kind", "language"]
    search_fields = ["to", "subject"]
    readonly_fields = ["status", "attempts", "last_error", "claimed_at", "claim", "sent_at"]
    actions = ["retry_now"]

    @admin.action(description="Retry the selected unsent messages now")
    def retry_now(self, request, queryset):
        retried = queryset.filter(status__in=["pending", "failed"]).update(
            status="pending", next_attempt_at=timezone.now()
        )
        if settings.TASKS_EMBEDDED:
            deliver_due_mail.apply()
        else:
            deliver_due_mail.delay()
        self.message_user(request, f"{retried} message(s) queued for delivery.")
