"""POST /imports/{kind}/preview/ and /imports/{kind}/apply/: the bulk import of members,
contacts and jurors, through the same services as the secretariat's page."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from submissions import importing
from submissions.api.errors import missing_file
from submissions.api.permissions import IsSecretariat
from submissions.errors import NotFound
from submissions.imports import MAX_BYTES, MESSAGES, Plan

from ..importing import IMPORTERS

KIND = OpenApiParameter(
    "kind", str, OpenApiParameter.PATH, enum=sorted(IMPORTERS), description="What the file holds."
)


class ImportFileSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV (UTF-8) or XLSX, up to 1 MB; line 1 names columns.")
    digest = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="apply only: the preview's digest; if the plan differs now, nothing is written.",
    )


def plan_data(plan: Plan) -> dict:
    return {
        "kind": plan.kind,
        "counts": plan.counts(),
        "digest": plan.digest(),
        "rows": [
            {
                "line": row.line,
                "key": row.key,
                "fate": row.fate,
                "changes": [{"column": c.column, "old": c.old, "new": c.new} for c in row.changes],
                "problems": [
                    {"code": p.code, "message": importing.problem_message(p)} for p in row.problems
                ],
            }
            for row in plan.rows
        ],
    }


class _ImportView(APIView):
    permission_classes = [IsSecretariat]
    parser_classes = [MultiPartParser, FormParser]

    def _read(self, request, kind: str):
        importer = IMPORTERS.get(kind)
        if importer is None:
            raise NotFound(MESSAGES["unknown_kind"])
        upload = request.FILES.get("file")
        if upload is None:
            raise missing_file()
        return importer, upload.name, upload.read(MAX_BYTES + 1)


class ImportPreviewView(_ImportView):
    @extend_schema(parameters=[KIND], request=ImportFileSerializer, responses={200: dict})
    def post(self, request, kind: str):
        importer, name, data = self._read(request, kind)
        return Response(plan_data(importing.preview(request.user, importer, name, data)))


class ImportApplyView(_ImportView):
    @extend_schema(parameters=[KIND], request=ImportFileSerializer, responses={201: dict})
    def post(self, request, kind: str):
        importer, name, data = self._read(request, kind)
        digest = request.data.get("digest", "")
        plan, invited = importing.apply(request.user, importer, name, data, digest)
        return Response({**plan_data(plan), "invited": invited}, status=status.HTTP_201_CREATED)
