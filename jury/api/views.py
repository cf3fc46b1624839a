from django.shortcuts import get_object_or_404
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from submissions.api.permissions import IsSecretariat
from submissions.models import Call
from submissions.visibility import submissions_visible_to

from .. import services
from ..models import Assignment, Conflict, JuryMember
from ..rules import managed_call
from ..selectors import round_assignments, round_of, visible_conflicts
from . import serializers as s

ROUND = OpenApiParameter("round", int, description="Round number; the latest if left out.")


class JuryView(generics.ListCreateAPIView):
    """GET/POST /calls/{slug}/jurors/: the jury of a call."""

    serializer_class = s.JuryMemberSerializer
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request
            return JuryMember.objects.none()
        call = managed_call(self.request.user, self.kwargs["slug"])
        return (
            JuryMember.objects.filter(call=call)
            .select_related("juror__juror_profile")
            .order_by("juror__username")
        )

    @extend_schema(request=s.SeatJurorSerializer, responses={201: s.JuryMemberSerializer})
    def create(self, request, slug=None):
        call = get_object_or_404(Call, slug=slug)
        data = s.SeatJurorSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        member = services.seat_juror(request.user, call, **data.validated_data)
        return Response(s.JuryMemberSerializer(member).data, status=status.HTTP_201_CREATED)


class MyJuriesView(APIView):
    """GET /juror/profile/: a juror's own profile and the juries they sit on."""

    @extend_schema(responses=dict)
    def get(self, request):
        user = request.user
        profile = getattr(user, "juror_profile", None)
        seats = JuryMember.objects.filter(juror=user).select_related("call")
        return Response(
            {
                "id": user.pk,
                "username": user.username,
                "name": user.get_full_name(),
                "affiliation": profile.affiliation if profile else "",
                "city": profile.city if profile else "",
                "country": profile.country if profile else "",
                "juries": s.JurorSeatSerializer(seats, many=True).data,
            }
        )


class ConflictFilter(filters.FilterSet):
    call = filters.CharFilter(field_name="call__slug")

    class Meta:
        model = Conflict
        fields = ["call", "juror", "submission", "source"]


class ConflictViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.ConflictSerializer
    filterset_class = ConflictFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Conflict.objects.none()
        return (
            visible_conflicts(self.request.user)
            .select_related("call", "submission__organization")
            .order_by("submission_id", "juror_id")
        )

    @extend_schema(request=s.DeclareConflictSerializer, responses={201: s.ConflictSerializer})
    def create(self, request, *args, **kwargs):
        # A juror declares only on an entry they can see; any other answers as if it did not
        # exist (the serializer's field), so the answer reveals nothing.
        data = s.DeclareConflictSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        submission = data.validated_data["submission"]
        juror = data.validated_data.get("juror")
        conflict = services.declare_conflict(
            request.user, submission, data.validated_data["reason"], juror=juror
        )
        answer = s.ConflictSerializer(conflict, context={"request": request}).data
        return Response(answer, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.RequiredReasonSerializer, responses=s.ConflictSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsSecretariat])
    def dismiss(self, request, pk=None):
        data = s.RequiredReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        conflict = services.dismiss_conflict(
            request.user, self.get_object(), data.validated_data["reason"]
        )
        return Response(s.ConflictSerializer(conflict, context={"request": request}).data)


class CallAssignmentsView(generics.ListCreateAPIView):
    """GET/POST /calls/{slug}/assignments/."""

    serializer_class = s.AssignmentSerializer

    @extend_schema(parameters=[ROUND])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Assignment.objects.none()
        call = managed_call(self.request.user, self.kwargs["slug"])
        round_ = round_of(call, self.request.query_params.get("round"))
        return round_assignments(round_, self.request.user).select_related("round")

    @extend_schema(request=s.CreateAssignmentSerializer, responses={201: s.AssignmentSerializer})
    def post(self, request, slug=None):
        call = managed_call(request.user, slug)
        data = s.CreateAssignmentSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        round_ = round_of(call, data.validated_data.get("round"))
        assignment = services.assign(
            request.user, round_, data.validated_data["submission"], data.validated_data["juror"]
        )
        return Response(s.AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)


class AutoAssignView(APIView):
    """POST /calls/{slug}/assignments/auto/: the optimal plan, previewed or applied."""

    @extend_schema(request=s.AutoAssignSerializer, responses=dict)
    def post(self, request, slug=None):
        call = managed_call(request.user, slug)
        data = s.AutoAssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        round_ = round_of(call, values.get("round"))
        result = services.auto_assign(
            request.user,
            round_,
            reviewers_per_submission=values["reviewers_per_submission"],
            max_per_juror=values["max_per_juror"],
            dry_run=values["dry_run"],
        )
        plan = result.plan
        loads = sorted(plan.loads.values()) or [0]
        return Response(
            {
                "dry_run": not result.applied,
                "round": round_.number,
                "new_assignments": [
                    {"submission": sub, "juror": jur} for sub, jur in plan.new_pairs
                ],
                "kept_assignments": len(result.problem.existing),
                "loads": {str(juror): load for juror, load in sorted(plan.loads.items())},
                "load_min": loads[0],
                "load_max": loads[-1],
                "balanced": plan.balanced,
                "expertise_matches": plan.expertise_matches,
                "objective": plan.objective,
                "notes": plan.notes,
            },
            status=status.HTTP_201_CREATED if result.applied else status.HTTP_200_OK,
        )


class AssignmentViewSet(mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """DELETE /assignments/{id}/ while no score exists."""

    serializer_class = s.AssignmentSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Assignment.objects.none()
        user = self.request.user
        return Assignment.objects.filter(
            submission__in=submissions_visible_to(user)
        ).select_related("round__call")

    def perform_destroy(self, assignment):
        services.unassign(self.request.user, assignment)
