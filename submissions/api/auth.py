from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from submissions import security


class LoginThrottle(AnonRateThrottle):
    scope = "login"

    def get_rate(self):
        # Read at request time, so the rate follows the settings rather than import order.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class ObtainTokenView(ObtainAuthToken):
    """POST {username, password} -> {token}."""

    throttle_classes = [LoginThrottle]

    def post(self, request, *args, **kwargs):
        data = request.data if isinstance(request.data, dict) else {}
        username = str(data.get("username", ""))
        address = security.client_address(request)
        security.check_login_allowed(username, address)
        serializer = self.get_serializer(data=data)
        if not serializer.is_valid():
            security.record_login_failure(username, address)
            serializer.is_valid(raise_exception=True)
        security.clear_login_failures(username, address)
        token, _ = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    role = serializers.CharField()
    organization = serializers.IntegerField(allow_null=True)
    is_secretariat = serializers.BooleanField()


class MeView(APIView):
    @extend_schema(responses=MeSerializer)
    def get(self, request):
        user = request.user
        return Response(
            {
                "id": user.pk,
                "username": user.username,
                "role": user.role,
                "organization": user.organization_id,
                "is_secretariat": user.is_secretariat,
            }
        )
