from django_filters import rest_framework as filters
from rest_framework import serializers, viewsets

from submissions.models import AuditEvent

from .permissions import IsSecretariat


class AuditEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None)
    call = serializers.CharField(source="call.slug", default=None)

    class Meta:
        model = AuditEvent
        fields = ["id", "created_at", "actor", "action", "call", "target_type", "target_id", "data"]


class AuditFilter(filters.FilterSet):
    call = filters.CharFilter(field_name="call__slug")
    action = filters.CharFilter(field_name="action", lookup_expr="startswith")
    since = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")

    class Meta:
        model = AuditEvent
        fields = ["call", "action", "actor", "since"]


class AuditEventViewSet(viewsets.ReadOnlyModelViewSet):
    """The audit log, for the secretariat: deadlines, assignments, conflicts, scores,
    releases, decisions and exports."""

    queryset = AuditEvent.objects.select_related("actor", "call")
    serializer_class = AuditEventSerializer
    permission_classes = [IsSecretariat]
    filterset_class = AuditFilter
