"""The secretariat's pages, one module per task: calls (and their deadlines), eligibility, the
assignment (preview, then apply), progress and reminders, results (shortlist and release).
Assignment and progress are open to the jury's chair too, as in the API. The Django admin stays
for raw data. The secretariat's home lists the calls with their counts."""

from collections import Counter

from django.shortcuts import render

from submissions.models import Call

from ..common import secretariat_required
from .shared import pending_reminders, status_counts


@secretariat_required
def home(request):
    calls = list(Call.objects.order_by("-deadline"))
    counts = status_counts([c.pk for c in calls])
    for call in calls:
        call.counts = counts.get(call.pk, Counter())
    pending, _sent = pending_reminders()
    return render(
        request,
        "frontend/secretariat/home.html",
        {"calls": calls, "pending_reminders": pending},
    )
