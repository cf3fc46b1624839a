from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView


class LoginThrottle(AnonRateThrottle):
    scope = "login"

    def get_rate(self):
        # Read at request time, so the rate follows the settings rather than import order.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class ObtainTokenView(ObtainAuthToken):
    """POST {username, password} -> {token}."""

    throttle_classes = [LoginThrottle]


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
