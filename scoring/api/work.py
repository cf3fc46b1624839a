"""The jury's work over HTTP: a juror's own assignments with the state of their sheet (and the
way to give one back or declare a conflict, through jury's services), and the progress of a
round per juror. They live here because sheets are scoring's."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from jury import services as jury_services
from jury.api.serializers import AssignmentSerializer, ConflictSerializer, RequiredReasonSerializer
from jury.models import Assignment
from jury.rules import managed_call
from jury.selectors import round_of

from ..selectors import juror_work, progress
from . import serializers as s

ROUND = OpenApiParameter("round", int, description="Round number; the latest if left out.")


class JurorAssignmentViewSet(viewsets.ReadOnlyModelViewSet):
    """GET /juror/assignments/: the juror's own work, with the entries and their files."""

    serializer_class = s.JurorAssignmentSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Assignment.objects.none()
        return juror_work(self.request.user)

    @extend_schema(request=RequiredReasonSerializer, responses=AssignmentSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        data = RequiredReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assignment = jury_services.decline(
            request.user, self.get_object(), data.validated_data["reason"]
        )
        return Response(AssignmentSerializer(assignment).data)

    @extend_schema(request=RequiredReasonSerializer, responses={201: ConflictSerializer})
    @action(detail=True, methods=["post"], url_path="declare-conflict")
    def declare_conflict(self, request, pk=None):
        data = RequiredReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        conflict = jury_services.declare_conflict(
            request.user, self.get_object().submission, data.validated_data["reason"]
        )
        answer = ConflictSerializer(conflict, context={"request": request}).data
        return Response(answer, status=status.HTTP_201_CREATED)


class ProgressView(APIView):
    """GET /calls/{slug}/progress/: per juror, assigned, started and completed."""

    @extend_schema(parameters=[ROUND], responses=s.ProgressSerializer(many=True))
    def get(self, request, slug=None):
        call = managed_call(request.user, slug)
        round_ = round_of(call, request.query_params.get("round"))
        return Response(
            {
                "round": round_.number,
                "jury_deadline": round_.jury_deadline,
                "jurors": progress(round_, request.user),
            }
        )
