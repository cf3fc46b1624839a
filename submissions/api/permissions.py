from rest_framework.permissions import SAFE_METHODS, BasePermission

from submissions import rules


class IsSecretariat(BasePermission):
    message = "Only the secretariat can do this."

    def has_permission(self, request, view):
        return bool(request.user.is_authenticated and request.user.is_secretariat)


class ReadOnlyOrSecretariat(BasePermission):
    message = "Only the secretariat can change this."

    def has_permission(self, request, view):
        if not request.user.is_authenticated:
            return False
        return request.method in SAFE_METHODS or request.user.is_secretariat


class MayManageAccount(BasePermission):
    """Reading accounts is the secretariat's; changing a superuser or a staff account is a
    superuser's (submissions.rules), checked before the request's fields are even read."""

    message = "Only a superuser can change a superuser or a secretariat account."

    def has_object_permission(self, request, view, obj):
        return request.method in SAFE_METHODS or rules.may_manage_account(request.user, obj)
