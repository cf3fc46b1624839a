"""Board: the shortlist with the report's interactive charts, an entry with its scores and the
jury's comments, and the decision with its rationale.

Results come from scoring.results (the API's own function) and the charts from scoring.charts,
in the reader's language, drawn here with plotly.js's cartesian bundle sent compressed
(frontend/vendor/plotly)."""

import json
import re
from pathlib import Path
from urllib.parse import urlencode

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers
from plotly.io.json import to_json_plotly

from scoring import charts, results
from scoring.decisions import decisions_visible_to, record_decision
from scoring.deliberation import released_consensus
from scoring.rules import is_released
from scoring.selectors import (
    board_round,
    released_sheets_of,
    rounds_for_board,
    shortlist_progress,
)
from submissions.errors import DomainError
from submissions.models import Attachment, Call, Submission
from submissions.rules import VERDICT_STATUSES, is_announced
from submissions.visibility import (
    entry_shown_to,
    file_name_shown_to,
    submissions_visible_to,
    title_shown_to,
)

from ..forms import DecisionForm
from .common import board_required, render_refused, show_error

# The version the plotly Python package writes its figures for (tests hold the two equal).
PLOTLY_JS_VERSION = "3.7.0"
PLOTLY_BUNDLE = (
    Path(__file__).resolve().parent.parent
    / "vendor"
    / "plotly"
    / f"plotly-cartesian-{PLOTLY_JS_VERSION}.min.js"
)
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


@cache_control(public=True, max_age=60 * 60 * 24 * 365, immutable=True)
@vary_on_headers("Accept-Encoding")
def plotly_js(request, version: str):
    """plotly.js's cartesian bundle, compressed once ahead (0.47 MB on the wire instead of
    1.4 MB) for every browser that accepts gzip; the version in the address busts caches."""
    if version != PLOTLY_JS_VERSION:
        raise Http404
    if ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")):
        compressed = PLOTLY_BUNDLE.with_name(PLOTLY_BUNDLE.name + ".gz")
        response = FileResponse(compressed.open("rb"), content_type="application/javascript")
        response["Content-Encoding"] = "gzip"
        return response
    return FileResponse(PLOTLY_BUNDLE.open("rb"), content_type="application/javascript")


@board_required
def home(request):
    rounds = list(rounds_for_board(request.user))
    progress = shortlist_progress({round_.call_id for round_ in rounds})
    for round_ in rounds:
        round_.released = is_released(round_)
        round_.shortlist = progress[round_.call_id]
    return render(request, "frontend/board/home.html", {"rounds": rounds})


# The page shows the entries' charts first, then the jurors'.
PAGE_ORDER = (
    "ranked_bars",
    "rank_intervals",
    "criteria_profile",
    "raw_vs_calibrated",
    "juror_heatmap",
    "severity_boxes",
    "spread_by_group",
)


def _charts(view: results.BoardView) -> list[dict]:
    """The report's charts, as Plotly figures for the page to draw (with their readings), from
    the standings the page already computed."""
    if view.standings.ranking.empty:
        return []
    names = view.chart_names(results.in_reader_language)
    figures = charts.figures(
        view.standings, view.facts, view.names, view.shortlist, PAGE_ORDER, names=names
    )
    drawn = []
    for number, (figure, reading) in enumerate(figures, start=1):
        # The page prints the title above the chart, where it wraps on a phone and no toolbar
        # covers it; the chart keeps a small top margin for its toolbar.
        title = figure.layout.title.text or ""
        figure.update_layout(
            title=None,
            margin={"t": 30},
            font={"family": "Inter, Segoe UI, Helvetica Neue, Arial, sans-serif"},
        )
        drawn.append(
            {
                "id": f"chart-{number}",
                "spec_id": f"chart-{number}-spec",
                "title": title,
                "height": int(figure.layout.height or 480),
                "spec": figure.to_plotly_json(),
                "reading": reading,
            }
        )
    return drawn


@board_required
def call(request, slug: str):
    call = get_object_or_404(Call, slug=slug)
    method = request.GET.get("method") or results.DEFAULT_METHOD
    context = {"call": call, "method": method, "methods": list(results.METHODS)}
    try:
        round_ = board_round(call, request.GET.get("round"))
        view = results.board_view(request.user, call, round_, method)
        answer, charts = view.answer, _charts(view)
    except DomainError as error:
        context["problem"] = error.message
        return render_refused(request, "frontend/board/call.html", context, error)
    decided = {d.submission_id: d for d in decisions_visible_to(request.user, call)}
    for row in answer["ranking"]:
        decision = decided.get(row["submission"])
        row["decision"] = decision.outcome if decision else None
    shortlist = [row for row in answer["ranking"] if row["status"] in VERDICT_STATUSES]
    # The entry pages step through the shortlist in the order this page shows it.
    request.session[_shortlist_key(call)] = [row["submission"] for row in shortlist]
    context.update(
        {
            "round": round_,
            "released": is_released(round_),
            "results": answer,
            "shortlist": shortlist,
            "decided_count": sum(1 for row in shortlist if row["decision"]),
            "charts": [{**c, "spec": _json_ready(c["spec"])} for c in charts],
            "plotly_version": PLOTLY_JS_VERSION,
            "report_url": f"/api/v1/calls/{call.slug}/report/?"
            + urlencode(
                {"round": round_.number, "method": answer["method"], "language": get_language()}
            ),
        }
    )
    return render(request, "frontend/board/call.html", context)


def _json_ready(spec):
    """Plotly's own encoder turns numpy arrays and dates into plain JSON values."""
    return json.loads(to_json_plotly(spec))


def _shortlist_key(call: Call) -> str:
    return f"board-shortlist-{call.pk}"


def _neighbours(request, call: Call, entry: Submission) -> dict:
    """Where the entry stands in the shortlist (the call page's order, or the entries' numbers
    for a reader who came straight here) and its previous and next entries."""
    shortlisted = list(
        submissions_visible_to(request.user)
        .filter(call=call, status__in=VERDICT_STATUSES)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    shown = request.session.get(_shortlist_key(call)) or []
    order = [pk for pk in shown if pk in shortlisted]
    order += [pk for pk in shortlisted if pk not in order]
    if entry.pk not in order:
        return {}
    at = order.index(entry.pk)
    return {
        "position": at + 1,
        "count": len(order),
        "previous": order[at - 1] if at > 0 else None,
        "next": order[at + 1] if at + 1 < len(order) else None,
    }


def _entry_context(request, call: Call, entry: Submission, form=None) -> dict:
    decision = decisions_visible_to(request.user, call).filter(submission=entry).first()
    initial = {"decision": decision.outcome, "rationale": decision.rationale} if decision else {}
    sheets = list(released_sheets_of(entry))
    # One row per criterion, one column per juror: a handful of jurors fit across the page.
    rows: dict[str, dict] = {}
    for column, sheet in enumerate(sheets):
        for score in sheet.scores.all():
            row = rows.setdefault(
                score.criterion.key,
                {"label": score.criterion.label, "values": [None] * len(sheets)},
            )
            row["values"][column] = score.value
    # On a phone each criterion is a card whose values are labelled by the juror's name.
    jurors = [sheet.assignment.juror.display_name for sheet in sheets]
    for row in rows.values():
        row["cells"] = [
            {"juror": juror, "value": value}
            for juror, value in zip(jurors, row["values"], strict=True)
        ]
    files = list(entry.attachments.filter(state=Attachment.State.COMPLETE))
    for file in files:
        file.shown_name = file_name_shown_to(request.user, file)
    shown = entry_shown_to(request.user, entry)
    organization = shown["organization"]
    return {
        "call": call,
        "entry": entry,
        "shown": {
            **shown,
            "organization": organization.name if organization else "",
            "country": organization.country if organization else "",
        },
        "files": files,
        "sheets": sheets,
        "score_rows": list(rows.values()),
        "several_rounds": len({sheet.assignment.round_id for sheet in sheets}) > 1,
        "decision": decision,
        "shortlist": _neighbours(request, call, entry),
        "form": form or DecisionForm(initial=initial),
        "announced": is_announced(call),
        "consensus_notes": released_consensus(request.user, entry),
    }


def _visible_entry(request, call: Call, pk: int) -> Submission:
    return get_object_or_404(
        submissions_visible_to(request.user)
        .filter(call=call)
        .select_related("call", "organization"),
        pk=pk,
    )


@board_required
def entry(request, slug: str, pk: int):
    call = get_object_or_404(Call, slug=slug)
    entry = _visible_entry(request, call, pk)
    return render(request, "frontend/board/entry.html", _entry_context(request, call, entry))


@require_POST
@board_required
def decide(request, slug: str, pk: int):
    call = get_object_or_404(Call, slug=slug)
    entry = _visible_entry(request, call, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        context = _entry_context(request, call, entry, form)
        return render(request, "frontend/board/entry.html", context, status=400)
    try:
        record_decision(
            request.user,
            call,
            entry,
            form.cleaned_data["decision"],
            form.cleaned_data["rationale"],
        )
    except DomainError as error:
        show_error(form, error)
        context = _entry_context(request, call, entry, form)
        return render_refused(request, "frontend/board/entry.html", context, error)
    messages.success(
        request,
        _("The decision on “%(title)s” is recorded.")
        % {"title": title_shown_to(request.user, entry)},
    )
    return redirect(reverse("board:call", kwargs={"slug": call.slug}) + "#shortlist")
