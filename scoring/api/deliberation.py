"""The jury's deliberation over HTTP: an entry's discussion in a round, its consensus note, and
the round's "to discuss" list. Views parse and answer; scoring.deliberation decides."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from jury.rules import managed_call
from jury.selectors import round_of
from submissions.errors import NotFound
from submissions.models import Call

from .. import deliberation
from ..agenda import REASONS
from ..aggregation import METHODS
from ..rules import no_such_entry_in_round


class ShownSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    author = serializers.CharField(help_text="The juror's or the chair's name.")
    body = serializers.CharField(
        help_text="Redacted where a blind call hides the entrant from the reader."
    )
    at = serializers.DateTimeField()


class PostSerializer(serializers.Serializer):
    body = serializers.CharField(
        max_length=deliberation.MAX_LENGTH, allow_blank=True, trim_whitespace=False
    )


class NoteSerializer(ShownSerializer):
    version = serializers.IntegerField()


class ConsensusSerializer(serializers.Serializer):
    round = serializers.IntegerField()
    submission = serializers.IntegerField()
    note = NoteSerializer(allow_null=True, help_text="None until the chair records one.")


class ConsensusWriteSerializer(serializers.Serializer):
    body = serializers.CharField(
        max_length=deliberation.MAX_LENGTH, allow_blank=True, trim_whitespace=False
    )
    version = serializers.IntegerField(
        required=False,
        min_value=0,
        help_text="The note's version as last read (0 before any): a note changed since "
        "answers 412 instead of being overwritten.",
    )


class AgendaEntrySerializer(serializers.Serializer):
    submission = serializers.IntegerField()
    title = serializers.CharField()
    reasons = serializers.ListField(child=serializers.ChoiceField(choices=list(REASONS)))
    rank = serializers.IntegerField(allow_null=True)
    p_top = serializers.FloatField(
        allow_null=True, help_text="Probability of a place in the top N (only with top_n)."
    )
    spread = serializers.FloatField(allow_null=True)
    posts = serializers.IntegerField()
    consensus = serializers.BooleanField(help_text="Whether a consensus note was recorded.")


class AgendaSerializer(serializers.Serializer):
    round = serializers.IntegerField()
    method = serializers.CharField()
    top_n = serializers.IntegerField(allow_null=True)
    entries = AgendaEntrySerializer(many=True)


class AgendaQuerySerializer(serializers.Serializer):
    top_n = serializers.IntegerField(min_value=1, required=False)
    method = serializers.ChoiceField(choices=list(METHODS), required=False)


def _round_and_entry(request, slug: str, number: int, submission_pk: int):
    call = get_object_or_404(Call, slug=slug)
    try:
        round_ = round_of(call, number)
    except NotFound:  # answered as an entry missing from a round that exists
        raise no_such_entry_in_round(number, submission_pk) from None
    return round_, deliberation.entry_of(request.user, round_, submission_pk)


class ThreadView(APIView):
    """GET/POST /calls/{slug}/rounds/{number}/entries/{submission_pk}/posts/: the jury's
    discussion of an entry. Read by the entry's jurors once their own sheet is submitted, the
    chair and the secretariat; written by the jurors and the chair. Posts are never edited or
    deleted."""

    @extend_schema(responses=ShownSerializer(many=True))
    def get(self, request, slug=None, number=None, submission_pk=None):
        round_, entry = _round_and_entry(request, slug, number, submission_pk)
        posts = deliberation.thread(request.user, round_, entry)
        return Response(ShownSerializer(posts, many=True).data)

    @extend_schema(request=PostSerializer, responses={201: ShownSerializer})
    def post(self, request, slug=None, number=None, submission_pk=None):
        round_, entry = _round_and_entry(request, slug, number, submission_pk)
        data = PostSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        message = deliberation.post(request.user, round_, entry, data.validated_data["body"])
        shown = deliberation.shown_post(request.user, entry, message)
        return Response(ShownSerializer(shown).data, status=status.HTTP_201_CREATED)


class ConsensusView(APIView):
    """GET/PUT /calls/{slug}/rounds/{number}/entries/{submission_pk}/consensus/: the consensus
    note the chair records. Read by those who read the discussion and by the Board once the
    round is released; written by the chair; each change audited."""

    def _answer(self, request, round_, entry) -> Response:
        note = deliberation.consensus(request.user, round_, entry)
        body = {"round": round_.number, "submission": entry.pk, "note": note}
        return Response(ConsensusSerializer(body).data)

    @extend_schema(responses=ConsensusSerializer)
    def get(self, request, slug=None, number=None, submission_pk=None):
        round_, entry = _round_and_entry(request, slug, number, submission_pk)
        return self._answer(request, round_, entry)

    @extend_schema(request=ConsensusWriteSerializer, responses=ConsensusSerializer)
    def put(self, request, slug=None, number=None, submission_pk=None):
        round_, entry = _round_and_entry(request, slug, number, submission_pk)
        data = ConsensusWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        deliberation.record_consensus(
            request.user,
            round_,
            entry,
            data.validated_data["body"],
            data.validated_data.get("version"),
        )
        return self._answer(request, round_, entry)


class AgendaView(APIView):
    """GET /calls/{slug}/rounds/{number}/to-discuss/: the entries whose jurors disagree, those
    uncertain at the cut (give top_n) and those already under discussion, each with why, its
    number of posts and whether it holds a consensus note. For the chair and the secretariat."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "top_n",
                int,
                description="Where the cut is: the entries uncertain at it are listed.",
            ),
            OpenApiParameter("method", str, enum=list(METHODS), description="Ranking method."),
        ],
        responses=AgendaSerializer,
    )
    def get(self, request, slug=None, number=None):
        call = managed_call(request.user, slug)
        round_ = round_of(call, number)
        query = AgendaQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        answer = deliberation.to_discuss(
            request.user,
            call,
            round_,
            top_n=query.validated_data.get("top_n"),
            method=query.validated_data.get("method"),
        )
        return Response(AgendaSerializer(answer).data)
