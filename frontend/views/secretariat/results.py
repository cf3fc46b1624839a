"""A round's results for the secretariat: the entries uncertain at the cut first with their odds,
the ranking with its filters (the deliberation's "to discuss" list among them, each entry on it
linked to its discussion), the exports; the shortlist drawn from them and their release to
the Board, each after a confirmation step (through scoring's services, as the API)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jury.selectors import round_of
from scoring import decisions, results
from scoring.cut import shortlist as shortlist_of
from scoring.deliberation import to_discuss
from scoring.notice_words import notices_for_page, region_name
from scoring.rules import is_released
from scoring.selectors import rounds_of
from submissions.errors import DomainError
from submissions.models import Call

from ..common import render_refused, secretariat_required
from .shared import round_shown, url_of

TEMPLATE = "frontend/secretariat/results.html"


def _filters(query) -> dict:
    """The filters a reader chose: theme, region, uncertain at the cut, on the deliberation's
    "to discuss" list."""
    return {
        "theme": query.get("theme") or "",
        "region": query.get("region") or "",
        "uncertain": query.get("uncertain") == "1",
        "to_discuss": query.get("to_discuss") == "1",
    }


def _kept(row: dict, filters: dict) -> bool:
    return (
        (not filters["theme"] or row["theme"] == filters["theme"])
        and (not filters["region"] or row["region"] == filters["region"])
        and (not filters["uncertain"] or row["uncertain"])
        and (not filters["to_discuss"] or bool(row["discussion_url"]))
    )


def _to_discuss(request, call: Call, round_, view) -> list[dict]:
    """The round's "to discuss" list as the To discuss page draws it (scoring.deliberation),
    at this page's cut and from the standings this page computed already; each entry with the
    address of its discussion."""
    listed = to_discuss(
        request.user,
        call,
        round_,
        top_n=view.standings.top_n,
        method=view.standings.method,
        standings=view.standings,
    )
    for entry in listed["entries"]:
        page = reverse(
            "secretariat:discussion", kwargs={"slug": call.slug, "pk": entry["submission"]}
        )
        entry["discussion_url"] = f"{page}?round={round_.number}"
    return listed["entries"]


def _ranking_view(view, listed: list[dict]) -> dict:
    """The results as the page shows them: rows with their region and, for the entries to
    discuss, their discussion's address; the entries at the cut (the closest to even odds
    first); the entries to discuss the ranking does not hold; the notices worded for a person;
    the filters' choices."""
    answer = view.answer
    discussions = {entry["submission"]: entry["discussion_url"] for entry in listed}
    rows = []
    for row in answer["ranking"]:
        region = view.facts.get(row["submission"], {}).get("region")
        rows.append(
            {
                **row,
                "region": region,
                "region_name": region_name(region),
                "discussion_url": discussions.get(row["submission"]),
            }
        )
    by_entry = {row["submission"]: row for row in rows}
    return {
        "rows": rows,
        "unranked_to_discuss": [entry for entry in listed if entry["submission"] not in by_entry],
        "at_the_cut": [by_entry[s] for s in answer["at_the_cut"] if s in by_entry],
        "notices": notices_for_page(answer["notices"], view.names),
        "themes": sorted({row["theme"] for row in rows if row["theme"]}),
        "regions": sorted(
            {(row["region"], row["region_name"]) for row in rows if row["region"]},
            key=lambda pair: pair[1],
        ),
    }


def _export_links(call: Call, round_, method: str, top_n: int) -> dict:
    query = urlencode({"round": round_.number, "method": method, "top_n": top_n})
    return {
        kind: f"{reverse(f'call-results-{kind}', kwargs={'slug': call.slug})}?{query}"
        for kind in ("csv", "xlsx")
    }


@secretariat_required
def results_page(request, slug: str):
    call = get_object_or_404(Call, slug=slug)
    round_, no_round = round_shown(
        call, request.GET.get("round"), busy={"assignments__sheet__status": "submitted"}
    )
    method = request.GET.get("method") or results.DEFAULT_METHOD
    filters = _filters(request.GET)
    context = {
        "call": call,
        "round": round_,
        "released": bool(round_ and is_released(round_)),
        "rounds": rounds_of(call),
        "method": method,
        "methods": list(results.METHODS),
        "top_n": request.GET.get("top_n") or results.DEFAULT_TOP_N,
        "filters": filters,
        "results": None,
        "problem": no_round,
    }
    if round_ is None:
        return render(request, TEMPLATE, context)
    try:
        view = results.board_view(request.user, call, round_, method, request.GET.get("top_n"))
    except DomainError as error:
        context["problem"] = error.message
        return render_refused(request, TEMPLATE, context, error)
    shown = _ranking_view(view, _to_discuss(request, call, round_, view))
    context.update(
        results=view.answer,
        top_n=view.answer["top_n"],
        rows=[row for row in shown["rows"] if _kept(row, filters)],
        filtered=any(filters.values()),
        exports=_export_links(call, round_, method, view.answer["top_n"]),
        **{
            key: shown[key]
            for key in ("at_the_cut", "notices", "themes", "regions", "unranked_to_discuss")
        },
    )
    return render(request, TEMPLATE, context)


def _back(call: Call, round_number, method: str | None = None, top_n: int | None = None):
    query = {"round": round_number or ""}
    if method:
        query["method"] = method
    if top_n:
        query["top_n"] = top_n
    return redirect(f"{url_of('secretariat:results', call.slug)}?{urlencode(query)}")


def _confirm(request, call: Call, action: str, details: dict):
    """The confirmation step of a Shortlist or a Release: a page that says what will happen,
    with a button that confirms (no script needed)."""
    return render(
        request,
        "frontend/secretariat/results_confirm.html",
        {"call": call, "action": action, **details},
    )


@require_POST
@secretariat_required
def shortlist(request, slug: str):
    call = get_object_or_404(Call, slug=slug)
    method = request.POST.get("method") or results.DEFAULT_METHOD
    try:
        top_n = int(request.POST.get("top_n") or 0)
    except ValueError:
        top_n = 0
    try:
        round_ = round_of(call, request.POST.get("round"))
        if request.POST.get("confirmed") != "1":
            if top_n < 1:
                raise DomainError(_("Say how many entries to shortlist: 1 or more."))
            view = results.board_view(request.user, call, round_, method, top_n)
            picked = shortlist_of(view.standings.ranking["rank"], top_n)
            chosen = [row for row in view.answer["ranking"] if row["submission"] in picked]
            return _confirm(
                request,
                call,
                "shortlist",
                {"round": round_, "top_n": top_n, "chosen": chosen, "method": method},
            )
        chosen, _next_round = decisions.shortlist(
            request.user, call, round_, method=method, top_n=top_n or None
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(count)s entries are shortlisted.") % {"count": len(chosen)})
    return _back(call, request.POST.get("round"), method, top_n)


@require_POST
@secretariat_required
def release(request, slug: str):
    call = get_object_or_404(Call, slug=slug)
    try:
        round_ = round_of(call, request.POST.get("round"))
        if request.POST.get("confirmed") != "1":
            return _confirm(request, call, "release", {"round": round_})
        results.release(request.user, round_)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The results of %(round)s are released to the Board.") % {"round": round_.name},
        )
    return _back(call, request.POST.get("round"))
