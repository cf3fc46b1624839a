"""Results, exports, shortlist, decisions and the Board report."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from jury.selectors import round_of
from submissions.api.permissions import IsSecretariat
from submissions.errors import DomainError
from submissions.models import Call, Submission
from submissions.visibility import title_shown_to

from .. import decisions, results
from ..aggregation import METHODS
from ..exports import results_csv, results_xlsx
from ..models import Decision

PARAMETERS = [
    OpenApiParameter("round", int, description="Round number; the latest if left out."),
    OpenApiParameter(
        "method",
        str,
        enum=list(METHODS),
        description=f"Aggregation method (default {results.DEFAULT_METHOD}).",
    ),
    OpenApiParameter(
        "top_n",
        int,
        description=(
            "The cut: each entry's p_top is its chance of being in the top N "
            f"(default {results.DEFAULT_TOP_N})."
        ),
    ),
]


def _call_and_round(request, slug, round_number=None):
    call = get_object_or_404(Call, slug=slug)
    return call, round_of(call, round_number or request.query_params.get("round"))


class ResultsView(APIView):
    @extend_schema(parameters=PARAMETERS, responses=dict)
    def get(self, request, slug=None):
        call, round_ = _call_and_round(request, slug)
        query = request.query_params
        return Response(
            results.results_for(request.user, call, round_, query.get("method"), query.get("top_n"))
        )


class ResultsExportView(APIView):
    kind = "csv"

    @extend_schema(parameters=PARAMETERS, responses={(200, "application/octet-stream"): bytes})
    def get(self, request, slug=None):
        call, round_ = _call_and_round(request, slug)
        method = request.query_params.get("method")
        top_n = request.query_params.get("top_n")
        data = results.results_for(request.user, call, round_, method, top_n)
        results.record_export(request.user, call, round_, self.kind, data["method"])
        if self.kind == "csv":
            body, content_type = results_csv(data), "text/csv; charset=utf-8"
        else:
            body = results_xlsx(data)
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        response = HttpResponse(body, content_type=content_type)
        name = f"{call.slug}-round{round_.number}-{data['method']}.{self.kind}"
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response


LANGUAGES = [code for code, _name in settings.LANGUAGES]


def report_language(request) -> str:
    """The report's language: the one asked for, else the reader's (LocaleMiddleware's)."""
    language = request.query_params.get("language") or translation.get_language()
    if language not in LANGUAGES:
        raise DomainError(
            _("Unknown language '%(language)s'. Choose one of: %(languages)s."),
            fields={"language": [_("Unknown language.")]},
            code="bad_language",
            language=language,
            languages=", ".join(LANGUAGES),
        )
    return language


class ReportView(APIView):
    @extend_schema(
        parameters=[
            *PARAMETERS,
            OpenApiParameter(
                "language",
                str,
                enum=LANGUAGES,
                description="The report's language (default: the reader's).",
            ),
        ],
        responses={(200, "text/html"): str},
    )
    def get(self, request, slug=None):
        call, round_ = _call_and_round(request, slug)
        query = request.query_params
        with translation.override(report_language(request)):
            document = results.board_report(
                request.user, call, round_, query.get("method"), query.get("top_n")
            )
        results.record_export(
            request.user,
            call,
            round_,
            "report",
            request.query_params.get("method") or results.DEFAULT_METHOD,
        )
        response = HttpResponse(document, content_type="text/html; charset=utf-8")
        # The report inlines its own scripts; nothing else may load or run.
        response["Content-Security-Policy"] = (
            "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; "
            "style-src 'unsafe-inline'; img-src data: blob:; font-src data:"
        )
        return response


class ReleaseView(APIView):
    permission_classes = [IsSecretariat]

    @extend_schema(request=None, parameters=PARAMETERS[:1], responses=dict)
    def post(self, request, slug=None):
        _, round_ = _call_and_round(request, slug, request.data.get("round"))
        round_ = results.release(request.user, round_)
        return Response({"round": round_.number, "released_at": round_.results_released_at})


class ShortlistSerializer(serializers.Serializer):
    round = serializers.IntegerField(required=False)
    method = serializers.ChoiceField(choices=list(METHODS), required=False)
    top_n = serializers.IntegerField(min_value=1, required=False)
    submissions = serializers.ListField(child=serializers.IntegerField(), required=False)
    open_next_round = serializers.BooleanField(default=False)
    jury_deadline = serializers.DateTimeField(required=False)
    jurors = serializers.ListField(child=serializers.IntegerField(), required=False)


class ShortlistView(APIView):
    permission_classes = [IsSecretariat]

    @extend_schema(request=ShortlistSerializer, responses=dict)
    def post(self, request, slug=None):
        data = ShortlistSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        call, round_ = _call_and_round(request, slug, values.get("round"))
        chosen, next_round = decisions.shortlist(
            request.user,
            call,
            round_,
            method=values.get("method"),
            top_n=values.get("top_n"),
            submission_ids=values.get("submissions"),
            open_next_round=values["open_next_round"],
            jury_deadline=values.get("jury_deadline"),
            juror_ids=values.get("jurors"),
        )
        return Response(
            {
                "shortlisted": [{"submission": s.pk, "title": s.title} for s in chosen],
                "next_round": next_round.number if next_round else None,
            },
            status=status.HTTP_201_CREATED,
        )


class DecisionSerializer(serializers.ModelSerializer):
    decision = serializers.ChoiceField(source="outcome", choices=Decision.Outcome.choices)
    submission = serializers.PrimaryKeyRelatedField(queryset=Submission.objects.all())
    title = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = ["id", "submission", "title", "decision", "rationale", "decided_at"]
        read_only_fields = ["decided_at"]

    def get_title(self, decision) -> str:
        """The entry's title; redacted for a reader from whom a blind call hides the entrant."""
        request = self.context.get("request")
        if request is None:
            return decision.submission.title
        return title_shown_to(request.user, decision.submission)


class DecisionsView(APIView):
    @extend_schema(responses=DecisionSerializer(many=True))
    def get(self, request, slug=None):
        call = get_object_or_404(Call, slug=slug)
        visible = decisions.decisions_visible_to(request.user, call)
        context = {"request": request}
        return Response(DecisionSerializer(visible, many=True, context=context).data)

    @extend_schema(request=DecisionSerializer, responses={201: DecisionSerializer})
    def post(self, request, slug=None):
        call = get_object_or_404(Call, slug=slug)
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decision = decisions.record_decision(
            request.user,
            call,
            data.validated_data["submission"],
            data.validated_data["outcome"],
            data.validated_data["rationale"],
        )
        answer = DecisionSerializer(decision, context={"request": request}).data
        return Response(answer, status=status.HTTP_201_CREATED)
