"""Public pages, no sign-in: the winners of each call once its decisions are announced."""

import zoneinfo

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from scoring.public import announced_calls, public_results

HEADINGS = {
    "awarded": _("Winners"),
    "special_mention": _("Special mentions"),
    "selected": _("Selected projects"),
}


def _announced_on(moment, zone: str) -> str:
    return date_format(timezone.localtime(moment, zoneinfo.ZoneInfo(zone)), "DATE_FORMAT")


def winners_index(request):
    calls = [
        {
            "slug": call.slug,
            "title": call.title,
            "kind": call.kind,
            "announced_on": _announced_on(call.announcement_at, call.timezone),
            "count": call.public_count,
        }
        for call in announced_calls()
    ]
    return render(request, "frontend/public/winners_index.html", {"calls": calls})


def winners(request, slug: str):
    results = public_results(slug)
    if results is None:  # before the announcement nothing is public, not even that it exists
        raise Http404
    groups = [(outcome, HEADINGS[outcome], entries) for outcome, entries in results.groups]
    return render(
        request,
        "frontend/public/winners.html",
        {
            "call": results,
            "groups": groups,
            "announced_on": _announced_on(results.announced_at, results.timezone),
        },
    )
