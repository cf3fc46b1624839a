"""The Board report: one self-contained HTML file with interactive Plotly charts.

Pure: takes the round's Standings and plain facts about the entries, returns HTML. plotly.js
is inlined once, so the file opens offline; the charts and their readings are the Board
page's own (scoring.charts).
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from datetime import datetime

import pandas as pd
import plotly.io as pio
from plotly.offline import get_plotlyjs

from .agreement import LEVELS
from .charts import BLUE, TEAL, ChartNames, entry_label, figures
from .cut import cut_table
from .standings import Standings

METHOD_NAMES = {
    "mean": "the mean of the jurors' totals",
    "median": "the median of the jurors' totals",
    "trimmed": "the mean without the highest and lowest sheet (5 sheets or more)",
    "zscore": "each juror's totals standardised, to cancel out harsh and lenient marking",
    "fixed_effects": "a model that estimates each juror's severity and removes it",
    "borda": "each juror's own ranking turned into points",
}


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
            f"{html.escape(entry_label(facts, int(submission)))}</th>"
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


def board_report_html(
    st: Standings,
    facts: Mapping[int, Mapping],
    juror_names: Mapping,
    *,
    call_title: str,
    round_name: str,
    shortlist: list[int] | None = None,
    names: ChartNames | None = None,
    generated_at: datetime | None = None,
) -> str:
    shortlist = shortlist or []
    sections = []
    if st.ranking.empty:
        sections.append("<p>No submitted score sheets yet: there is nothing to chart.</p>")
    else:
        charts = figures(st, facts, juror_names, shortlist, names=names)
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
