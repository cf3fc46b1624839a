from rest_framework.permissions import SAFE_METHODS, BasePermission


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
