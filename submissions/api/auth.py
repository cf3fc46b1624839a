from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.views import APIView

from submissions import members, security


class ObtainTokenView(ObtainAuthToken):
    """POST {username, password} -> {token}. No request-rate throttle: successful sign-ins must
    never count (an office behind one address signs in together at the deadline); failures
    are limited by the lockout that every sign-in path shares (submissions.security)."""

    throttle_classes = ()

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            refusal = security.refusal_of(request)
            if refusal:
                raise security.TooManyAttempts(refusal)
            serializer.is_valid(raise_exception=True)
        return Response({"token": members.api_token(serializer.validated_data["user"])})


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
