"""The charts of a round, for the Board's page and the Board report: Plotly figures, each with
a short reading in plain words for Board members who are not statisticians.

Pure: takes the round's Standings and plain facts about the entries. Every word a reader sees
is a Phrase worded by the caller's `say` (the reader's language), criteria are shown by their
labels, regions by their names and jurors by the names the tables use (ChartNames). Large
rounds are cut to the best ``TOP`` entries in the per-entry charts.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from submissions.notices import Phrase

from .standings import Standings

TOP = 40
BLUE, TEAL, GREY, RED = "#0b3d91", "#138d90", "#8a94a6", "#c0392b"


def chart_text(value) -> str:
    """A text typed by a person, made safe for a Plotly figure. Plotly reads a subset of HTML in
    every label, legend, hover text and title (<a href>, <b>, <br>...): escaped, a title such as
    '<a href="https://evil.example">' is shown as typed, never drawn as a link. Only &, < and >
    are escaped: Plotly decodes those entities, not &quot;."""
    return html.escape(str(value), quote=False)


def _chart_label(facts: Mapping[int, Mapping], submission: int) -> str:
    return chart_text(entry_label(facts, submission))


def entry_label(facts: Mapping[int, Mapping], submission: int) -> str:
    """An entry's name for the readings (escaped again where they are shown); the figures take
    ``_chart_label``."""
    fact = facts.get(submission, {})
    title = str(fact.get("title") or f"Entry {submission}")
    short = title if len(title) <= 48 else title[:45] + "…"
    who = fact.get("organization")
    return f"{short} ({who})" if who else short


# The charts' words: each a Phrase, worded by `say` in the reader's language (the page passes
# the catalog's translation, submissions.errors.translatable; English by default).
Say = Callable[[Phrase], str]
METHOD_LABELS = {
    "mean": Phrase("Mean"),
    "median": Phrase("Median"),
    "trimmed": Phrase("Trimmed mean"),
    "zscore": Phrase("Standardised (z-score)"),
    "fixed_effects": Phrase("Calibrated for juror severity"),
    "borda": Phrase("Borda count"),
}
REGION_LABELS = {
    "africa": Phrase("Africa"),
    "asia_pacific": Phrase("Asia-Pacific"),
    "europe": Phrase("Europe"),
    "latin_america": Phrase("Latin America & Caribbean"),
    "middle_east": Phrase("Middle East"),
    "north_america": Phrase("North America"),
}


@dataclass(frozen=True)
class ChartNames:
    """What the charts call things: the reader's words (`say`), the rubric's criteria by their
    labels and the jurors by the names the tables use."""

    say: Say = str
    criteria: Mapping[str, str] = field(default_factory=dict)
    jurors: Mapping = field(default_factory=dict)

    def juror(self, juror) -> str:
        return chart_text(self.jurors.get(juror, juror))

    def criterion(self, key: str) -> str:
        return chart_text(self.criteria.get(key, key))

    def method(self, method: str) -> str:
        return self.say(METHOD_LABELS[method]) if method in METHOD_LABELS else method

    def region(self, code) -> str:
        if not code:
            return self.say(Phrase("Unknown"))
        return self.say(REGION_LABELS[code]) if code in REGION_LABELS else chart_text(code)


# plotly_white's look, as far as these charts use it, set on each figure: assigning plotly's
# template costs a tenth of a second per figure (it is deep-copied) and weighs 7 kB per chart.
AXIS_LOOK = {
    "gridcolor": "#EBF0F8",
    "linecolor": "#EBF0F8",
    "zerolinecolor": "#EBF0F8",
    "zerolinewidth": 2,
    "ticks": "",
    "automargin": True,
    "title": {"standoff": 15},
}
LOOK = {
    "template": "none",
    "paper_bgcolor": "white",
    "plot_bgcolor": "white",
    "hovermode": "closest",
    "hoverlabel": {"align": "left"},
    "colorway": [BLUE, TEAL, "#e07b39", "#6c4f9c", RED, "#2e86c1", "#7d6608", GREY],
}


def _layout(fig: go.Figure, title: str, height: int = 480) -> go.Figure:
    fig.update_layout(
        title=title,
        height=height,
        autosize=True,
        margin={"l": 10, "r": 10, "t": 50, "b": 40},
        font={"family": "Inter, Segoe UI, Helvetica, Arial, sans-serif", "color": "#2a3f5f"},
        # Below the plot, across: a legend on the side would take half of a phone's width.
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0},
        **LOOK,
    )
    fig.update_xaxes(**AXIS_LOOK)
    fig.update_yaxes(**AXIS_LOOK)
    return fig


def ranked_bars(st: Standings, facts, say: Say = str) -> tuple[go.Figure, str]:
    top = st.ranking.head(TOP).iloc[::-1]
    labels = [
        f"{int(r)}. {_chart_label(facts, s)}" for s, r in zip(top.index, top["rank"], strict=True)
    ]
    score = say(Phrase("Score"))
    fig = go.Figure(
        go.Bar(
            x=top["score"],
            y=labels,
            orientation="h",
            name=score,
            showlegend=False,
            marker_color=BLUE,
            error_x={
                "type": "data",
                "symmetric": False,
                "color": GREY,
                "array": (top["score_high"] - top["score"]).clip(lower=0),
                "arrayminus": (top["score"] - top["score_low"]).clip(lower=0),
            },
            hovertemplate=f"%{{y}}<br>{score} %{{x:.2f}}<extra></extra>",
        )
    )
    fig.update_xaxes(range=list(st.scale), title=score)
    title = say(Phrase("Ranked entries with 95% score intervals"))
    _layout(fig, title, max(420, 22 * len(top) + 120))
    best = st.ranking.head(2)
    reading = say(
        Phrase(
            "Each bar is an entry's score; the thin line shows how much it could move if "
            "other jurors had read it (95% interval)."
        )
    )
    if len(best) == 2:
        a, b = best.index
        overlap = st.ranking.at[a, "score_low"] <= st.ranking.at[b, "score_high"]
        lead = (
            Phrase(
                "The first two entries' intervals overlap: the lead of %(entry)s is not clear-cut.",
                entry=entry_label(facts, a),
            )
            if overlap
            else Phrase(
                "The first two entries' intervals do not overlap: the lead of %(entry)s is clear.",
                entry=entry_label(facts, a),
            )
        )
        reading += " " + say(lead)
    return fig, reading


def rank_intervals(st: Standings, facts, say: Say = str) -> tuple[go.Figure, str]:
    top = st.ranking.head(TOP).iloc[::-1]
    labels = [_chart_label(facts, s) for s in top.index]
    rank = say(Phrase("Rank"))
    fig = go.Figure(
        go.Scatter(
            x=top["rank"],
            y=labels,
            mode="markers",
            name=rank,
            showlegend=False,
            marker={"color": TEAL, "size": 9},
            error_x={
                "type": "data",
                "symmetric": False,
                "color": TEAL,
                "array": top["rank_high"] - top["rank"],
                "arrayminus": top["rank"] - top["rank_low"],
            },
            hovertemplate=f"%{{y}}<br>{rank} %{{x}}<extra></extra>",
        )
    )
    fig.update_xaxes(title=say(Phrase("rank (1 = best)")), autorange="reversed")
    title = say(Phrase("How sure is each rank? (90% rank intervals)"))
    _layout(fig, title, max(420, 22 * len(top) + 120))
    widths = (st.ranking["rank_high"] - st.ranking["rank_low"]).head(10)
    sure = int((widths == 0).sum())
    return fig, say(
        Phrase(
            "Each dot is an entry's rank; the line spans the ranks it takes in 90%% of "
            "simulated re-runs of the jury. A long line means the jury's sheets do not settle "
            "the place. Among the first ten, %(sure)s hold their place in every simulated "
            "re-run.",
            sure=sure,
        )
    )


def juror_heatmap(st: Standings, facts, names: ChartNames) -> tuple[go.Figure, str]:
    say = names.say
    top_ids = list(st.ranking.head(TOP).index)
    totals = st.totals[st.totals["submission"].isin(top_ids)]
    grid = totals.pivot_table(index="submission", columns="juror", values="total")
    grid = grid.reindex(top_ids)
    total = say(Phrase("Total"))
    fig = go.Figure(
        go.Heatmap(
            z=grid.to_numpy(),
            x=[names.juror(j) for j in grid.columns],
            y=[_chart_label(facts, s) for s in grid.index],
            name=total,
            colorscale="Blues",
            zmin=st.scale[0],
            zmax=st.scale[1],
            colorbar={"title": {"text": total}, "thickness": 12},
            hoverongaps=False,
            hovertemplate="%{y}<br>%{x}: %{z:.2f}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    title = say(Phrase("Who scored what: each juror's total for each entry"))
    _layout(fig, title, max(420, 20 * len(grid) + 140))
    return fig, say(
        Phrase(
            "Darker cells are higher totals; empty cells are entries a juror did not read. "
            "A column lighter than the others is a harsh juror, a darker one a lenient juror."
        )
    )


def severity_boxes(st: Standings, names: ChartNames) -> tuple[go.Figure, str]:
    say = names.say
    totals = st.totals.copy()
    totals["deviation"] = totals["total"] - totals.groupby("submission")["total"].transform("mean")
    fig = go.Figure()
    order = st.jurors.sort_values("severity").index
    for juror in order:
        rows = totals[totals["juror"] == juror]
        fig.add_trace(
            go.Box(
                y=rows["deviation"],
                name=names.juror(juror),
                marker_color=BLUE,
                boxmean=True,
                showlegend=False,
            )
        )
    fig.add_hline(y=0, line_color=GREY, line_dash="dot")
    fig.update_yaxes(
        title=say(Phrase("points above (+) or below (-) the other jurors of the same entry"))
    )
    _layout(fig, say(Phrase("Juror severity: how each juror marks compared with colleagues")))
    harsh = st.jurors["severity"].idxmin() if len(st.jurors) else None
    lenient = st.jurors["severity"].idxmax() if len(st.jurors) else None
    reading = say(
        Phrase(
            "Each box shows how far a juror's totals sit from the other jurors' totals for "
            "the same entries. Boxes below the line are harsh markers, above it lenient ones."
        )
    )
    if harsh is not None and harsh != lenient:
        reading += " " + say(
            Phrase(
                "The harshest is %(harsh)s (%(harsh_points)s points), the most lenient "
                "%(lenient)s (%(lenient_points)s); calibrated methods remove these differences.",
                harsh=names.jurors.get(harsh, harsh),
                harsh_points=f"{st.jurors.at[harsh, 'severity']:+.2f}",
                lenient=names.jurors.get(lenient, lenient),
                lenient_points=f"{st.jurors.at[lenient, 'severity']:+.2f}",
            )
        )
    return fig, reading


def criteria_profile(
    st: Standings, facts, shortlist: list[int], names: ChartNames
) -> tuple[go.Figure, str]:
    say = names.say
    ids = [s for s in shortlist if s in st.criteria.index] or list(st.ranking.head(8).index)
    fig = go.Figure()
    mean_score = say(Phrase("mean score"))
    for submission in ids:
        row = st.criteria.loc[submission]
        fig.add_trace(
            go.Scatter(
                x=[names.criterion(key) for key in row.index],
                y=row.to_numpy(),
                mode="lines+markers",
                name=_chart_label(facts, submission),
                hovertemplate=f"%{{x}}<br>{mean_score} %{{y:.2f}}",
            )
        )
    fig.update_yaxes(range=list(st.scale), title=mean_score)
    _layout(fig, say(Phrase("Criteria profile of the shortlist")))
    return fig, say(
        Phrase(
            "Each line is a shortlisted entry, each point its mean score on one criterion. "
            "Lines that cross show entries strong on different criteria: a choice between "
            "them is a choice between priorities."
        )
    )


def raw_vs_calibrated(st: Standings, facts, names: ChartNames) -> tuple[go.Figure, str]:
    say = names.say
    r = st.ranking
    plain_mean = say(Phrase("rank by the plain mean"))
    by_method = say(Phrase("rank by %(method)s", method=names.method(st.method)))
    fig = go.Figure(
        go.Scatter(
            x=r["raw_rank"],
            y=r["rank"],
            mode="markers",
            name=say(Phrase("Entries")),
            showlegend=False,
            marker={"color": BLUE, "size": 8},
            text=[_chart_label(facts, s) for s in r.index],
            hovertemplate=f"%{{text}}<br>{plain_mean}: %{{x}}<br>{by_method}: %{{y}}"
            "<extra></extra>",
        )
    )
    n = len(r)
    fig.add_trace(
        go.Scatter(
            x=[1, n],
            y=[1, n],
            mode="lines",
            name=say(Phrase("Same rank by both methods")),
            line={"color": GREY, "dash": "dot"},
            showlegend=False,
            hoverinfo="skip",
        )
    )
    fig.update_xaxes(title=plain_mean, autorange="reversed")
    fig.update_yaxes(title=by_method, autorange="reversed")
    _layout(fig, say(Phrase("Plain average against the calibrated ranking")))
    moved = int((r["raw_rank"] - r["rank"]).abs().gt(2).sum())
    return fig, say(
        Phrase(
            "Dots on the dotted line keep their place whatever the method; %(moved)s entries "
            "move by more than two places once juror severity is taken into account, usually "
            "because they were read by harsher or more lenient jurors.",
            moved=moved,
        )
    )


def spread_by_group(st: Standings, facts, names: ChartNames) -> tuple[go.Figure, str]:
    say = names.say
    frame = pd.DataFrame(
        {
            "score": st.ranking["score"],
            "region": [names.region(facts.get(s, {}).get("region")) for s in st.ranking.index],
            "theme": [
                chart_text(facts.get(s, {}).get("theme") or say(Phrase("No theme")))
                for s in st.ranking.index
            ],
        }
    )
    fig = go.Figure()
    score = say(Phrase("Score"))
    groups = (("region", say(Phrase("Region")), BLUE), ("theme", say(Phrase("Theme")), TEAL))
    for group, name, color in groups:
        fig.add_trace(
            go.Box(
                x=list(frame[group]),
                y=frame["score"],
                marker_color=color,
                name=name,
                boxpoints="all",
                jitter=0.4,
                hovertemplate=f"%{{x}}<br>{score} %{{y:.2f}}<extra>{name}</extra>",
            )
        )
    fig.update_yaxes(title=score, range=list(st.scale))
    _layout(fig, say(Phrase("Scores by region and by theme")))
    best_region = frame.groupby("region")["score"].median().idxmax() if len(frame) else "—"
    return fig, say(
        Phrase(
            "Each box gathers the entries of one region or theme. Similar boxes mean no "
            "region or theme is favoured; here the highest median is in %(region)s.",
            region=html.unescape(best_region),
        )
    )


def figures(
    st: Standings,
    facts: Mapping[int, Mapping],
    juror_names: Mapping,
    shortlist: list[int],
    order: tuple[str, ...] | None = None,
    *,
    names: ChartNames | None = None,
) -> list[tuple[go.Figure, str]]:
    """The charts of a round with their readings, built once from one Standings, in `order`
    (the report's own by default): the Board report and the Board's page draw the same ones,
    in the words of `names` (English, criteria by their keys, by default)."""
    names = names or ChartNames(jurors=juror_names)
    say = names.say
    build = {
        "ranked_bars": lambda: ranked_bars(st, facts, say),
        "rank_intervals": lambda: rank_intervals(st, facts, say),
        "juror_heatmap": lambda: juror_heatmap(st, facts, names),
        "severity_boxes": lambda: severity_boxes(st, names),
        "criteria_profile": lambda: criteria_profile(st, facts, shortlist, names),
        "raw_vs_calibrated": lambda: raw_vs_calibrated(st, facts, names),
        "spread_by_group": lambda: spread_by_group(st, facts, names),
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
