"""POST /calls/{slug}/rounds/{number}/extra-reviews/: k more reviews of the entries uncertain at
the cut, previewed (dry run, the default) or applied (scoring.extra_reviews)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from jury.rules import managed_call
from jury.selectors import round_of

from .. import extra_reviews
from ..aggregation import METHODS


class ExtraReviewsSerializer(serializers.Serializer):
    k = serializers.IntegerField(help_text="How many more reviews, in all (1 or more).")
    dry_run = serializers.BooleanField(default=True, help_text="Preview only (the default).")
    top_n = serializers.IntegerField(required=False, help_text="The cut: the top N (default 10).")
    method = serializers.ChoiceField(choices=list(METHODS), required=False)
    plan = serializers.CharField(
        required=False,
        help_text="The plan_id of a preview: applying refuses a plan that changed since.",
    )


class EntryAtTheCutSerializer(serializers.Serializer):
    submission = serializers.IntegerField()
    title = serializers.CharField()
    rank = serializers.IntegerField()
    p_top = serializers.FloatField(allow_null=True)
    sheets = serializers.IntegerField()
    under_way = serializers.IntegerField()
    free_jurors = serializers.IntegerField()
    new_readers = serializers.ListField(child=serializers.IntegerField())
    left_out = serializers.ChoiceField(
        choices=[extra_reviews.NO_FREE_JUROR, extra_reviews.UNDER_WAY, extra_reviews.OTHERS_FIRST],
        allow_null=True,
    )


class ExtraReviewsAnswer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    plan_id = serializers.CharField()
    round = serializers.IntegerField()
    k = serializers.IntegerField()
    top_n = serializers.IntegerField()
    method = serializers.CharField()
    entries = EntryAtTheCutSerializer(many=True)
    new_assignments = serializers.ListField(child=serializers.DictField())
    loads = serializers.ListField(child=serializers.DictField())
    notes = serializers.ListField(child=serializers.CharField())


def answer(result, round_) -> dict:
    return {
        "dry_run": not result.applied,
        "plan_id": result.plan_id,
        "round": round_.number,
        "k": result.k,
        "top_n": result.top_n,
        "method": result.method,
        "entries": [entry.__dict__ for entry in result.entries],
        "new_assignments": [
            {"submission": s, "juror": j, "username": result.names.get(j)}
            for s, j in result.new_pairs
        ],
        "loads": [
            {"juror": j, "username": result.names.get(j), "before": before, "after": after}
            for j, (before, after) in result.loads.items()
        ],
        "notes": [notice.message for notice in result.notices],
    }


class ExtraReviewsView(APIView):
    @extend_schema(
        request=ExtraReviewsSerializer,
        responses={200: ExtraReviewsAnswer, 201: ExtraReviewsAnswer},
        description=(
            "k more reviews of the entries whose place in the top N is uncertain: where they "
            "go (the closest to even odds first, capped by the jurors free of conflicts who "
            "do not read an entry yet) and who reads them (the exact solver's top-up). A dry "
            "run writes nothing; applying creates the assignments in one transaction, audited, "
            "and emails the jurors. Reviews already assigned and not yet submitted count as "
            "given: applying the same k twice adds nothing."
        ),
    )
    def post(self, request, slug=None, number=None):
        call = managed_call(request.user, slug)
        data = ExtraReviewsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        round_ = round_of(call, number)
        result = extra_reviews.extra_reviews(
            request.user,
            call,
            round_,
            values["k"],
            method=values.get("method"),
            top_n=values.get("top_n"),
            dry_run=values["dry_run"],
            expected_plan=values.get("plan"),
        )
        return Response(
            answer(result, round_),
            status=status.HTTP_201_CREATED if result.applied else status.HTTP_200_OK,
        )
