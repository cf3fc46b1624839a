"""POST /calls/{slug}/messages/: the secretariat writes to a call's entrants, its jurors, or
the jurors behind on their sheets (scoring.messages), with a dry run that says who would
receive it and in which languages. Sending the same message again sends nothing twice."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from submissions.models import Call
from submissions.rules import ensure_secretariat

from .. import messages


class VersionSerializer(serializers.Serializer):
    subject = serializers.CharField(allow_blank=True, required=False, default="")
    body = serializers.CharField(allow_blank=True, required=False, default="")


class MessageSerializer(serializers.Serializer):
    audience = serializers.ChoiceField(choices=list(messages.AUDIENCES))
    subject = serializers.CharField(allow_blank=True, required=False, default="")
    body = serializers.CharField(allow_blank=True, required=False, default="")
    fr = VersionSerializer(required=False, help_text="The French version (optional).")
    es = VersionSerializer(required=False, help_text="The Spanish version (optional).")
    dry_run = serializers.BooleanField(
        required=False, default=False, help_text="Say who would receive it; send nothing."
    )

    def message(self) -> messages.Message:
        data = self.validated_data
        versions = {
            language: (data[language]["subject"], data[language]["body"])
            for language in messages.TRANSLATED
            if language in data
        }
        return messages.Message(data["subject"], data["body"], versions)


class MessageResultSerializer(serializers.Serializer):
    audience = serializers.CharField()
    recipients = serializers.IntegerField(help_text="People in the audience.")
    languages = serializers.DictField(child=serializers.IntegerField())
    already = serializers.IntegerField(help_text="Of them, those who had this message before.")
    queued = serializers.IntegerField(help_text="Emails queued by this request.")


def _answer(shown: messages.Preview, queued: int) -> dict:
    return {
        "audience": shown.audience,
        "recipients": shown.count,
        "languages": shown.languages,
        "already": shown.already,
        "queued": queued,
    }


class CallMessagesView(APIView):
    @extend_schema(
        request=MessageSerializer,
        responses={200: MessageResultSerializer, 201: MessageResultSerializer},
    )
    def post(self, request, slug=None):
        ensure_secretariat(request.user, messages.SECRETARIAT_ONLY)
        call = get_object_or_404(Call, slug=slug)
        data = MessageSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        audience, message = data.validated_data["audience"], data.message()
        if data.validated_data["dry_run"]:
            messages.check(message)
            shown = messages.preview(call, audience, message)
            return Response(_answer(shown, 0))
        sent = messages.send_message(request.user, call, audience, message)
        return Response(_answer(sent, sent.count - sent.already), status=status.HTTP_201_CREATED)
