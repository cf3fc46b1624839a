"""The floor for saving a sheet: a bare Django view writing the same rows as the API.

Token check, the sheet's version bumped if it is still the one sent, the scores updated and
one audit row per changed value, in one transaction. No DRF, no serializers, no rubric
checks, no re-read for the answer: what is left is the cost of the rows themselves.
"""

import json

from django.db import transaction
from django.db.models import F
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework.authtoken.models import Token

from scoring.models import Score, ScoreChange, ScoreSheet


@csrf_exempt
def save_sheet(request: HttpRequest, sheet_id: int) -> JsonResponse:
    key = request.headers.get("Authorization", "").removeprefix("Token ")
    token = Token.objects.filter(key=key).values_list("user_id", flat=True).first()
    if token is None:
        return JsonResponse({"error": "unauthenticated"}, status=401)
    body = json.loads(request.body)
    version = int(request.headers["If-Match"].strip('"').rsplit("-v", 1)[1])
    wanted = {line["criterion"]: line["value"] for line in body["scores"]}
    with transaction.atomic():
        moved = ScoreSheet.objects.filter(
            pk=sheet_id, assignment__juror_id=token, version=version
        ).update(version=F("version") + 1)
        if not moved:
            return JsonResponse({"error": "stale"}, status=412)
        scores = list(Score.objects.filter(sheet_id=sheet_id).select_related("criterion"))
        changes = []
        for score in scores:
            new = wanted[score.criterion.key]
            changes.append(
                ScoreChange(
                    sheet_id=sheet_id,
                    actor_id=token,
                    field=score.criterion.key,
                    old_value=str(score.value),
                    new_value=str(new),
                )
            )
            score.value = new
        Score.objects.bulk_update(scores, ["value"])
        ScoreChange.objects.bulk_create(changes)
    response = JsonResponse({"id": sheet_id, "version": version + 1})
    response["ETag"] = f'"sheet-{sheet_id}-v{version + 1}"'
    return response
