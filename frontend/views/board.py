"""Board: the shortlist with the report's interactive charts, an entry with its scores and the
jury's comments, and the decision with its rationale.

Results come from scoring.results (the API's own function) and the charts from scoring.report's
chart builders, drawn here with the plotly.js file that the plotly package ships."""

import json
from pathlib import Path
from urllib.parse import urlencode

import plotly
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST
from plotly.io.json import to_json_plotly

from scoring import report, results
from scoring.decisions import decisions_visible_to, record_decision
from scoring.deliberation import released_consensus
from scoring.rules import is_released
from scoring.selectors import board_round, released_sheets_of, rounds_for_board
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

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


@cache_control(public=True, max_age=60 * 60 * 24 * 365, immutable=True)
def plotly_js(request, version: str):
    """plotly.js as the plotly package ships it; the version in the address busts caches."""
    if version != plotly.__version__ or not PLOTLY_JS.exists():
        raise Http404
    return FileResponse(PLOTLY_JS.open("rb"), content_type="application/javascript")


@board_required
def home(request):
    rounds = list(rounds_for_board(request.user))
    for round_ in rounds:
        round_.released = is_released(round_)
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
    figures = report.figures(view.standings, view.facts, view.names, view.shortlist, PAGE_ORDER)
    charts = []
    for number, (figure, reading) in enumerate(figures, start=1):
        figure.update_layout(font={"family": "Inter, Segoe UI, Helvetica Neue, Arial, sans-serif"})
        charts.append(
            {
                "id": f"chart-{number}",
                "spec_id": f"chart-{number}-spec",
                "title": figure.layout.title.text or "",
                "spec": figure.to_plotly_json(),
                "reading": reading,
            }
        )
    return charts


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
    context.update(
        {
            "round": round_,
            "released": is_released(round_),
            "results": answer,
            "shortlist": shortlist,
            "charts": [{**c, "spec": _json_ready(c["spec"])} for c in charts],
            "plotly_version": plotly.__version__,
            "report_url": f"/api/v1/calls/{call.slug}/report/?"
            + urlencode({"round": round_.number, "method": answer["method"]}),
        }
    )
    return render(request, "frontend/board/call.html", context)


def _json_ready(spec):
    """Plotly's own encoder turns numpy arrays and dates into plain JSON values."""
    return json.loads(to_json_plotly(spec))


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
