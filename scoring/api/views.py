"""Rounds, rubrics and score sheets over HTTP. Views parse and answer; scoring.rubrics and
scoring.sheets decide."""

import re

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from jury import rounds
from jury.selectors import no_such_round, round_of
from submissions.errors import DomainError, NotAllowed, NotFound, PreconditionFailed
from submissions.models import Call

from .. import rubrics, sheets
from ..models import Criterion, ScoreSheet
from ..rules import ensure_reads_rubric, peer_scores_refusal, rubric_is_locked
from ..selectors import (
    peer_sheets,
    rounds_of,
    rounds_visible_to,
    sheet_history,
    sheets_visible_to,
)
from ..sheets import NO_SHEET
from . import serializers as s

ROUND = OpenApiParameter("round", int, description="Round number; the latest if left out.")
IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    location=OpenApiParameter.HEADER,
    required=False,
    description='The sheet\'s ETag as last read, e.g. "sheet-12-v3" (or send "version").',
)
ETAG = re.compile(r'^(?:W/)?"?(?:sheet-(?P<sheet>\d+)-v)?(?P<version>\d+)"?$')


def _call(slug: str) -> Call:
    return get_object_or_404(Call, slug=slug)


def _with_etag(response: Response, sheet: ScoreSheet) -> Response:
    response["ETag"] = s.etag(sheet)
    return response


def requested_version(request, sheet_id: int, body_version: int | None) -> int | None:
    """The version the client last saw: from If-Match (the ETag) or from the body."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":  # "*" would mean "overwrite whatever is there": not a version
        return body_version
    match = ETAG.match(header)
    if match is None:
        raise DomainError(
            _('If-Match must be the sheet\'s ETag, such as "sheet-%(sheet)s-v3".'),
            code="bad_if_match",
            sheet=sheet_id,
        )
    if match["sheet"] and int(match["sheet"]) != sheet_id:
        raise PreconditionFailed(_("The If-Match header holds the ETag of another sheet."))
    version = int(match["version"])
    if body_version is not None and body_version != version:
        raise DomainError(
            _("If-Match and version disagree; send one of them."), code="bad_if_match"
        )
    return version


# --- rounds and rubrics -------------------------------------------------------------------------


class RoundsView(APIView):
    """GET/POST /calls/{slug}/rounds/: the call's judging rounds; the secretariat adds the next."""

    @extend_schema(responses=s.RoundSerializer(many=True))
    def get(self, request, slug=None):
        call = _call(slug)
        ensure_reads_rubric(request.user, call)
        return Response(s.RoundSerializer(rounds_visible_to(request.user, call), many=True).data)

    @extend_schema(request=s.RoundWriteSerializer, responses={201: s.RoundSerializer})
    def post(self, request, slug=None):
        call = _call(slug)
        data = s.RoundWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        round_ = rounds.create_round(request.user, call, **data.validated_data)
        fresh = rounds_of(call).get(pk=round_.pk)
        return Response(s.RoundSerializer(fresh).data, status=status.HTTP_201_CREATED)


class RoundDetailView(APIView):
    """GET/PATCH /calls/{slug}/rounds/{number}/: rename, move the jury deadline, set the jury."""

    @extend_schema(responses=s.RoundSerializer)
    def get(self, request, slug=None, number=None):
        call = _call(slug)
        ensure_reads_rubric(request.user, call)
        wanted = round_of(call, number)
        for round_ in rounds_visible_to(request.user, call):
            if round_.pk == wanted.pk:
                return Response(s.RoundSerializer(round_).data)
        # A round the juror does not sit on answers as one that does not exist.
        raise no_such_round(wanted.number)

    @extend_schema(request=s.RoundWriteSerializer, responses=s.RoundSerializer)
    def patch(self, request, slug=None, number=None):
        call = _call(slug)
        data = s.RoundWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        round_ = rounds.update_round(request.user, round_of(call, number), **data.validated_data)
        return Response(s.RoundSerializer(rounds_of(call).get(pk=round_.pk)).data)


class RubricView(APIView):
    """GET/PUT /calls/{slug}/rubric/?round=: a round's criteria; PUT replaces the whole list."""

    def _answer(self, round_):
        criteria = Criterion.objects.filter(round=round_).order_by("order", "id")
        return {
            "call": round_.call.slug,
            "round": round_.number,
            "name": round_.name,
            "jury_deadline": round_.jury_deadline,
            "locked": rubric_is_locked(round_),
            "criteria": s.CriterionSerializer(criteria, many=True).data,
        }

    @extend_schema(parameters=[ROUND], responses=dict)
    def get(self, request, slug=None):
        call = _call(slug)
        ensure_reads_rubric(request.user, call)
        return Response(self._answer(round_of(call, request.query_params.get("round"))))

    @extend_schema(parameters=[ROUND], request=s.RubricWriteSerializer, responses=dict)
    def put(self, request, slug=None):
        call = _call(slug)
        round_ = round_of(call, request.query_params.get("round"))
        data = s.RubricWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rubrics.replace_rubric(request.user, round_, data.validated_data["criteria"])
        return Response(self._answer(round_))


# --- score sheets -------------------------------------------------------------------------------


class SheetFilter(filters.FilterSet):
    call = filters.CharFilter(field_name="assignment__round__call__slug")
    round = filters.NumberFilter(field_name="assignment__round__number")
    status = filters.ChoiceFilter(choices=ScoreSheet.Status.choices)
    juror = filters.NumberFilter(field_name="assignment__juror_id")
    submission = filters.NumberFilter(field_name="assignment__submission_id")

    class Meta:
        model = ScoreSheet
        fields = ["call", "round", "status", "juror", "submission"]


class ScoreSheetViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """A juror's sheets (a chair's: the call's; the secretariat's: all), never on an entry the
    reader is conflicted with. Writes need the version last read (If-Match or "version")."""

    serializer_class = s.SheetSerializer
    filterset_class = SheetFilter

    def get_queryset(self):
        return sheets_visible_to(self.request.user).order_by("id")

    def _sheet_id(self) -> int:
        # Writes look the sheet up themselves (locked, in their transaction): no read before.
        try:
            return int(self.kwargs["pk"])
        except ValueError:
            raise NotFound(NO_SHEET) from None

    def retrieve(self, request, *args, **kwargs):
        sheet = self.get_object()
        return _with_etag(Response(s.SheetSerializer(sheet).data), sheet)

    @extend_schema(
        parameters=[IF_MATCH], request=s.SheetWriteSerializer, responses=s.SheetSerializer
    )
    def update(self, request, *args, partial=False, **kwargs):
        sheet_id = self._sheet_id()
        data = s.SheetWriteSerializer(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        extra = {"comment": values["comment"]} if "comment" in values else {}
        sheet = sheets.save_draft(
            request.user,
            sheet_id,
            scores=[dict(score) for score in values.get("scores", [])],
            version=requested_version(request, sheet_id, values.get("version")),
            partial=partial,
            **extra,
        )
        return _with_etag(Response(s.SheetSerializer(sheet).data), sheet)

    @extend_schema(
        parameters=[IF_MATCH], request=s.SheetWriteSerializer, responses=s.SheetSerializer
    )
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(parameters=[IF_MATCH], request=s.SubmitSerializer, responses=s.SheetSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        sheet_id = self._sheet_id()
        data = s.SubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        version = requested_version(request, sheet_id, data.validated_data.get("version"))
        sheet = sheets.submit_sheet(request.user, sheet_id, version=version)
        return _with_etag(Response(s.SheetSerializer(sheet).data), sheet)

    @extend_schema(parameters=[IF_MATCH], request=s.ReopenSerializer, responses=s.SheetSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        sheet_id = self._sheet_id()
        data = s.ReopenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        version = requested_version(request, sheet_id, data.validated_data.get("version"))
        sheet = sheets.reopen_sheet(
            request.user, sheet_id, reason=data.validated_data["reason"], version=version
        )
        return _with_etag(Response(s.SheetSerializer(sheet).data), sheet)

    @extend_schema(responses=dict)
    @action(detail=True, methods=["get"])
    def peers(self, request, pk=None):
        """The other jurors' submitted sheets on this sheet's entry, once the rules allow it."""
        sheet = self.get_object()
        refusal = peer_scores_refusal(request.user, sheet)
        if refusal:
            raise NotAllowed(refusal, code="peers_hidden")
        return Response(
            {
                "submission": sheet.assignment.submission_id,
                "round": sheet.assignment.round.number,
                "sheets": s.SheetSerializer(peer_sheets(sheet), many=True).data,
            }
        )

    @extend_schema(responses=s.ChangeSerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        """Every change to the sheet: who, when, old value, new value."""
        return Response(s.ChangeSerializer(sheet_history(self.get_object()), many=True).data)


class AssignmentSheetView(APIView):
    """GET /juror/assignments/{id}/sheet/: the juror's sheet for an assignment, created the
    first time it is opened (so "started" in the jury's progress means "opened")."""

    @extend_schema(responses=s.SheetSerializer)
    def get(self, request, pk=None):
        sheet = sheets.open_sheet(request.user, pk)
        return _with_etag(Response(s.SheetSerializer(sheet).data), sheet)
