"""The Board report: one self-contained HTML file with interactive Plotly charts.

Pure: takes the round's Standings and plain facts about the entries, returns HTML. plotly.js
is inlined once, so the file opens offline; every chart carries a short reading in plain
words for Board members who are not statisticians. Large rounds are cut to the best
``TOP`` entries in the per-entry charts so that the file stays small and legible.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from datetime import datetime

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs

from .agreement import LEVELS
from .cut import cut_table
from .standings import Standings

TOP = 40
BLUE, TEAL, GREY, RED = "#0b3d91", "#138d90", "#8a94a6", "#c0392b"
METHOD_NAMES = {
    "mean": "the mean of the jurors' totals",
    "median": "the median of the jurors' totals",
    "trimmed": "the mean without the highest and lowest sheet (5 sheets or more)",
    "zscore": "each juror's totals standardised, to cancel out harsh and lenient marking",
    "fixed_effects": "a model that estimates each juror's severity and removes it",
    "borda": "each juror's own ranking turned into points",
}


def chart_text(value) -> str:
    """A text typed by a person, made safe for a Plotly figure. Plotly reads a subset of HTML in
    every label, legend, hover text and title (<a href>, <b>, <br>...): escaped, a title such as
    '<a href="https://evil.example">' is shown as typed, never drawn as a link. Only &, < and >
    are escaped: Plotly decodes those entities, not &quot;."""
    return html.escape(str(value), quote=False)


def _chart_label(facts: Mapping[int, Mapping], submission: int) -> str:
    return chart_text(_label(facts, submission))


def _label(facts: Mapping[int, Mapping], submission: int) -> str:
    """An entry's name for the readings (escaped again where they are shown); the figures take
    ``_chart_label``."""
    fact = facts.get(submission, {})
    title = str(fact.get("title") or f"Entry {submission}")
    short = title if len(title) <= 48 else title[:45] + "…"
    who = fact.get("organization")
    return f"{short} ({who})" if who else short


def _layout(fig: go.Figure, title: str, height: int = 480) -> go.Figure:
    fig.update_layout(
        title=title,
        height=height,
        template="plotly_white",
        margin={"l": 10, "r": 10, "t": 50, "b": 40},
        font={"family": "Inter, Segoe UI, Helvetica, Arial, sans-serif"},
    )
    return fig


def ranked_bars(st: Standings, facts) -> tuple[go.Figure, str]:
    top = st.ranking.head(TOP).iloc[::-1]
    labels = [
        f"{int(r)}. {_chart_label(facts, s)}" for s, r in zip(top.index, top["rank"], strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            x=top["score"],
            y=labels,
            orientation="h",
            marker_color=BLUE,
            error_x={
                "type": "data",
                "symmetric": False,
                "color": GREY,
                "array": (top["score_high"] - top["score"]).clip(lower=0),
                "arrayminus": (top["score"] - top["score_low"]).clip(lower=0),
            },
            hovertemplate="%{y}<br>score %{x:.2f}<extra></extra>",
        )
    )
    fig.update_xaxes(range=list(st.scale), title="score")
    _layout(fig, "Ranked entries with 95% score intervals", max(420, 22 * len(top) + 120))
    best = st.ranking.head(2)
    reading = (
        "Each bar is an entry's score; the thin line shows how much it could move if "
        "other jurors had read it (95% interval)."
    )
    if len(best) == 2:
        a, b = best.index
        overlap = st.ranking.at[a, "score_low"] <= st.ranking.at[b, "score_high"]
        reading += (
            f" The first two entries' intervals {'overlap' if overlap else 'do not overlap'}"
            f": the lead of {_label(facts, a)} is "
            f"{'not clear-cut' if overlap else 'clear'}."
        )
    return fig, reading


def rank_intervals(st: Standings, facts) -> tuple[go.Figure, str]:
    top = st.ranking.head(TOP).iloc[::-1]
    labels = [_chart_label(facts, s) for s in top.index]
    fig = go.Figure(
        go.Scatter(
            x=top["rank"],
            y=labels,
            mode="markers",
            marker={"color": TEAL, "size": 9},
            error_x={
                "type": "data",
                "symmetric": False,
                "color": TEAL,
                "array": top["rank_high"] - top["rank"],
                "arrayminus": top["rank"] - top["rank_low"],
            },
            hovertemplate="%{y}<br>rank %{x}<extra></extra>",
        )
    )
    fig.update_xaxes(title="rank (1 = best)", autorange="reversed")
    _layout(fig, "How sure is each rank? (90% rank intervals)", max(420, 22 * len(top) + 120))
    widths = (st.ranking["rank_high"] - st.ranking["rank_low"]).head(10)
    sure = int((widths == 0).sum())
    return fig, (
        "Each dot is an entry's rank; the line spans the ranks it takes in 90% of simulated "
        "re-runs of the jury. A long line means the jury's sheets do not settle the "
        f"place. Among the first ten, {sure} hold their place in every simulated re-run."
    )


def juror_heatmap(st: Standings, facts, juror_names) -> tuple[go.Figure, str]:
    top_ids = list(st.ranking.head(TOP).index)
    totals = st.totals[st.totals["submission"].isin(top_ids)]
    grid = totals.pivot_table(index="submission", columns="juror", values="total")
    grid = grid.reindex(top_ids)
    fig = go.Figure(
        go.Heatmap(
            z=grid.to_numpy(),
            x=[chart_text(juror_names.get(j, j)) for j in grid.columns],
            y=[_chart_label(facts, s) for s in grid.index],
            colorscale="Blues",
            zmin=st.scale[0],
            zmax=st.scale[1],
            colorbar={"title": "total"},
            hoverongaps=False,
            hovertemplate="%{y}<br>%{x}: %{z:.2f}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    _layout(
        fig, "Who scored what: each juror's total for each entry", max(420, 20 * len(grid) + 140)
    )
    return fig, (
        "Darker cells are higher totals; empty cells are entries a juror did not read. "
        "A column lighter than the others is a harsh juror, a darker one a lenient juror."
    )


def severity_boxes(st: Standings, juror_names) -> tuple[go.Figure, str]:
    totals = st.totals.copy()
    totals["deviation"] = totals["total"] - totals.groupby("submission")["total"].transform("mean")
    fig = go.Figure()
    order = st.jurors.sort_values("severity").index
    for juror in order:
        rows = totals[totals["juror"] == juror]
        fig.add_trace(
            go.Box(
                y=rows["deviation"],
                name=chart_text(juror_names.get(juror, juror)),
                marker_color=BLUE,
                boxmean=True,
                showlegend=False,
            )
        )
    fig.add_hline(y=0, line_color=GREY, line_dash="dot")
    fig.update_yaxes(title="points above (+) or below (-) the other jurors of the same entry")
    _layout(fig, "Juror severity: how each juror marks compared with colleagues")
    harsh = st.jurors["severity"].idxmin() if len(st.jurors) else None
    lenient = st.jurors["severity"].idxmax() if len(st.jurors) else None
    reading = (
        "Each box shows how far a juror's totals sit from the other jurors' totals for "
        "the same entries. Boxes below the line are harsh markers, above it lenient ones."
    )
    if harsh is not None and harsh != lenient:
        reading += (
            f" The harshest is {juror_names.get(harsh, harsh)} "
            f"({st.jurors.at[harsh, 'severity']:+.2f} points), the most lenient "
            f"{juror_names.get(lenient, lenient)} "
            f"({st.jurors.at[lenient, 'severity']:+.2f}); "
            "calibrated methods remove these differences."
        )
    return fig, reading


def criteria_profile(st: Standings, facts, shortlist: list[int]) -> tuple[go.Figure, str]:
    ids = [s for s in shortlist if s in st.criteria.index] or list(st.ranking.head(8).index)
    fig = go.Figure()
    for submission in ids:
        row = st.criteria.loc[submission]
        fig.add_trace(
            go.Scatter(
                x=[chart_text(key) for key in row.index],
                y=row.to_numpy(),
                mode="lines+markers",
                name=_chart_label(facts, submission),
            )
        )
    fig.update_yaxes(range=list(st.scale), title="mean score")
    _layout(fig, "Criteria profile of the shortlist")
    return fig, (
        "Each line is a shortlisted entry, each point its mean score on one criterion. "
        "Lines that cross show entries strong on different criteria: a choice between "
        "them is a choice between priorities."
    )


def raw_vs_calibrated(st: Standings, facts) -> tuple[go.Figure, str]:
    r = st.ranking
    fig = go.Figure(
        go.Scatter(
            x=r["raw_rank"],
            y=r["rank"],
            mode="markers",
            marker={"color": BLUE, "size": 8},
            text=[_chart_label(facts, s) for s in r.index],
            hovertemplate="%{text}<br>plain mean rank %{x}, calibrated rank %{y}<extra></extra>",
        )
    )
    n = len(r)
    fig.add_trace(
        go.Scatter(
            x=[1, n],
            y=[1, n],
            mode="lines",
            line={"color": GREY, "dash": "dot"},
            showlegend=False,
            hoverinfo="skip",
        )
    )
    fig.update_xaxes(title="rank by the plain mean", autorange="reversed")
    fig.update_yaxes(title=f"rank by {st.method}", autorange="reversed")
    _layout(fig, "Plain average against the calibrated ranking")
    moved = int((r["raw_rank"] - r["rank"]).abs().gt(2).sum())
    return fig, (
        f"Dots on the dotted line keep their place whatever the method; {moved} "
        "entries move by more than two places once juror severity is taken into "
        "account, usually because they were read by harsher or more lenient jurors."
    )


def spread_by_group(st: Standings, facts) -> tuple[go.Figure, str]:
    frame = pd.DataFrame(
        {
            "score": st.ranking["score"],
            "region": [facts.get(s, {}).get("region") or "unknown" for s in st.ranking.index],
            "theme": [facts.get(s, {}).get("theme") or "none" for s in st.ranking.index],
        }
    )
    fig = go.Figure()
    for group, color in (("region", BLUE), ("theme", TEAL)):
        fig.add_trace(
            go.Box(
                x=[f"{group}: {chart_text(v)}" for v in frame[group]],
                y=frame["score"],
                marker_color=color,
                name=group,
                boxpoints="all",
                jitter=0.4,
            )
        )
    fig.update_yaxes(title="score", range=list(st.scale))
    _layout(fig, "Scores by region and by theme")
    best_region = frame.groupby("region")["score"].median().idxmax() if len(frame) else "—"
    return fig, (
        "Each box gathers the entries of one region or theme. Similar boxes mean no "
        f"region or theme is favoured; here the highest median is in {best_region}."
    )


def agreement_table(st: Standings) -> str:
    a = st.agreement
    rows = []
    for form, value in a["icc"].items():
        shown = f"{value:.2f}" if value is not None else "—"
        note = "" if value is not None else a["icc_reasons"].get(form, "")
        rows.append(
            f"<tr><th scope='row'>{form}</th><td>{shown}</td><td>{html.escape(note)}</td></tr>"
        )
    w = a["kendall_w"]
    rows.append(
        f"<tr><th scope='row'>Kendall's W</th><td>{'—' if w is None else f'{w:.2f}'}"
        f"</td><td>{html.escape(kendall_note(a))}</td></tr>"
    )
    return (
        "<table class='agreement'><thead><tr><th>statistic</th><th>value</th><th>note</th>"
        "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )


def kendall_note(a: Mapping) -> str:
    """W's block (jurors x entries), or why W is not shown."""
    if a["kendall_w"] is not None:
        return (
            f"on the {a['kendall_block_jurors']} jurors x {a['kendall_block_entries']} entries "
            f"who all read the same entries ({a.get('kendall_block') or 'block'})"
        )
    return a.get("kendall_reason") or ""


def agreement_reading(st: Standings) -> str:
    lead = st.agreement["lead"]  # scoring.agreement.lead_reliability: no fallback on a 0
    if lead["value"] is None:
        return "Agreement could not be measured on these sheets (see the notes)."
    level = LEVELS[lead["level"]]
    return (
        f"The reliability of the jury's average ({lead['form']}) is {lead['value']:.2f}: "
        f"{level}. 1 would mean jurors fully agree on which entries are better, 0 or below "
        "that their averages are no better than chance. Kendall's W, from 0 to 1, measures "
        "how far jurors rank the same entries in the same order, among jurors who all read "
        "the same entries."
    )


def odds_table(st: Standings, facts: Mapping[int, Mapping]) -> str:
    """Each entry's chance of being in the top N, the entries whose place at the cut is
    uncertain first (scoring.cut.cut_table)."""
    cut = cut_table(st.ranking["p_top"], st.ranking["rank"])
    rows = []
    for submission, row in cut.iterrows():
        p = row["p_top"]
        chance = "unknown" if pd.isna(p) else f"{p:.0%}"
        place = "uncertain at the cut" if row["uncertain"] else "settled"
        rows.append(
            f"<tr><td>{int(row['rank'])}</td><th scope='row'>"
            f"{html.escape(_label(facts, int(submission)))}</th>"
            f"<td>{chance}</td><td>{place}</td></tr>"
        )
    n_uncertain = int(cut["uncertain"].sum())
    return (
        f"<h2>Chance of being in the top {st.top_n}</h2><p class='reading cut'>"
        f"{n_uncertain} of {len(cut)} entries have an uncertain place at the cut (between 5% "
        "and 95% in the resampled rankings); they are listed first, the closest to even odds "
        "first. A few more reviews of these settle the shortlist best.</p>"
        "<table class='agreement'><thead><tr><th>rank</th><th>entry</th>"
        f"<th>chance of the top {st.top_n}</th><th>place at the cut</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


STYLE = f"""
body{{font-family:Inter,Segoe UI,Helvetica,Arial,sans-serif;margin:0;color:#1b2430;
  background:#f5f7fa}}
header{{background:{BLUE};color:#fff;padding:24px 32px}}
main{{max-width:1100px;margin:auto;padding:16px}}
section{{background:#fff;border-radius:8px;padding:16px;margin:16px 0;
  box-shadow:0 1px 3px #0002}}
.reading{{font-size:1.05em;line-height:1.5;border-left:4px solid {TEAL};padding-left:12px}}
table.agreement{{border-collapse:collapse}}
table.agreement td,table.agreement th{{border-bottom:1px solid #dde;padding:6px 12px;
  text-align:left}}
"""


def figures(
    st: Standings,
    facts: Mapping[int, Mapping],
    juror_names: Mapping,
    shortlist: list[int],
    order: tuple[str, ...] | None = None,
) -> list[tuple[go.Figure, str]]:
    """The charts of a round with their readings, built once from one Standings, in `order`
    (the report's own by default): the Board report and the Board's page draw the same ones."""
    build = {
        "ranked_bars": lambda: ranked_bars(st, facts),
        "rank_intervals": lambda: rank_intervals(st, facts),
        "juror_heatmap": lambda: juror_heatmap(st, facts, juror_names),
        "severity_boxes": lambda: severity_boxes(st, juror_names),
        "criteria_profile": lambda: criteria_profile(st, facts, shortlist),
        "raw_vs_calibrated": lambda: raw_vs_calibrated(st, facts),
        "spread_by_group": lambda: spread_by_group(st, facts),
    }
    return [build[name]() for name in order or REPORT_ORDER]


REPORT_ORDER = (
    "ranked_bars",
    "rank_intervals",
    "juror_heatmap",
    "severity_boxes",
    "criteria_profile",
    "raw_vs_calibrated",
    "spread_by_group",
)


def board_report_html(
    st: Standings,
    facts: Mapping[int, Mapping],
    juror_names: Mapping,
    *,
    call_title: str,
    round_name: str,
    shortlist: list[int] | None = None,
    generated_at: datetime | None = None,
) -> str:
    shortlist = shortlist or []
    sections = []
    if st.ranking.empty:
        sections.append("<p>No submitted score sheets yet: there is nothing to chart.</p>")
    else:
        charts = figures(st, facts, juror_names, shortlist)
        for number, (fig, reading) in enumerate(charts, start=1):
            div = pio.to_html(
                fig,
                full_html=False,
                include_plotlyjs=False,
                div_id=f"chart-{number}",
                config={"displaylogo": False, "responsive": True},
            )
            sections.append(
                f"<section class='chart'>{div}<p class='reading'>"
                f"{html.escape(reading)}</p></section>"
            )
    if st.top_n and not st.ranking.empty:
        sections.append(f"<section>{odds_table(st, facts)}</section>")
    sections.append(
        f"<section><h2>Jury agreement</h2>{agreement_table(st)}"
        f"<p class='reading'>{html.escape(agreement_reading(st))}</p></section>"
    )
    warnings = "".join(f"<li>{html.escape(w)}</li>" for w in st.warnings)
    stamp = (generated_at or datetime.now()).strftime("%d %B %Y %H:%M")
    method = METHOD_NAMES.get(st.method, st.method)
    n = len(st.ranking)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Board report · {html.escape(call_title)} · {html.escape(round_name)}</title>
<style>{STYLE}</style>
<script>{get_plotlyjs()}</script>
</head><body>
<header><h1>{html.escape(call_title)}</h1>
<p>{html.escape(round_name)} · {n} entries ranked by {html.escape(method)} ·
report of {stamp}</p></header>
<main>
{"<section><h2>Notes</h2><ul>" + warnings + "</ul></section>" if warnings else ""}
{"".join(sections)}
</main></body></html>"""
