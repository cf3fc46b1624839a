"""The Board report: one self-contained HTML file with interactive Plotly charts.

Pure: takes the round's Standings and plain facts about the entries, returns HTML. plotly.js
is inlined once, so the file opens offline; the charts and their readings are the Board
page's own (scoring.charts). Every word the report prints is a Phrase worded by the caller's
`say` (ChartNames.say: the reader's language, English by default), and its figures and date
are written by the caller's ReportStyle (the reader's decimal mark and month names).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
import plotly.io as pio
from plotly.offline import get_plotlyjs

from submissions.notices import Phrase

from .charts import BLUE, TEAL, ChartNames, Say, entry_label, figures
from .cut import cut_table
from .kendall import MIN_W_JURORS, MIN_W_SUBMISSIONS
from .standings import Standings

METHOD_NAMES = {
    "mean": Phrase("the mean of the jurors' totals"),
    "median": Phrase("the median of the jurors' totals"),
    "trimmed": Phrase("the mean without the highest and lowest sheet (5 sheets or more)"),
    "zscore": Phrase("each juror's totals standardised, to cancel out harsh and lenient marking"),
    "fixed_effects": Phrase("a model that estimates each juror's severity and removes it"),
    "borda": Phrase("each juror's own ranking turned into points"),
}
LEVELS = {
    "none": Phrase("no agreement beyond chance"),
    "weak": Phrase("weak"),
    "moderate": Phrase("moderate"),
    "strong": Phrase("strong"),
}
# Why an ICC form or Kendall's W is not shown, by the reason codes of scoring.agreement and
# scoring.kendall (worded as they are in English there); an unknown code keeps its sentence.
ICC_REASONS = {
    "too_small": Phrase("needs at least 2 jurors and 2 submissions"),
    "no_variance": Phrase("the sheet totals have no variance between submissions to compare"),
    "no_replication": Phrase("needs at least one submission scored by 2 or more jurors"),
    "too_sparse": Phrase(
        "needs more sheets than the two-way fit has parameters (design is too sparse)"
    ),
    "degenerate": Phrase("variance estimates are degenerate (denominator <= 0)"),
    "no_sheets": Phrase("no submitted score sheets yet"),
}
KENDALL_REASONS = {
    "no_block": Phrase(
        "no complete block of at least 2 jurors who all scored the same 2 or more submissions"
    ),
    "all_tied": Phrase("every juror in the block gave all its submissions the same total"),
    "no_sheets": Phrase("no submitted score sheets yet"),
}
BLOCKS = {
    "complete design": Phrase("complete design"),
    "largest complete block": Phrase("largest complete block"),
}


def english_number(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}"


def english_date(when: datetime) -> str:
    return when.strftime("%d %B %Y %H:%M")


@dataclass(frozen=True)
class ReportStyle:
    """How the report writes what is not a sentence, in the reader's language: the page's
    `lang`, figures (`number(value, decimals)`) and the date it was made (`dated`)."""

    language: str = "en"
    number: Callable[[float, int], str] = english_number
    dated: Callable[[datetime], str] = english_date


ENGLISH = ReportStyle()


def agreement_table(st: Standings, say: Say = str, style: ReportStyle = ENGLISH) -> str:
    a = st.agreement
    codes = a.get("icc_reason_codes") or {}
    rows = []
    for form, value in a["icc"].items():
        shown = style.number(value, 2) if value is not None else "—"
        note = "" if value is not None else _icc_reason(a, codes, form, say)
        rows.append(
            f"<tr><th scope='row'>{form}</th><td>{shown}</td><td>{html.escape(note)}</td></tr>"
        )
    w = a["kendall_w"]
    kendall = html.escape(say(Phrase("Kendall's W")))
    rows.append(
        f"<tr><th scope='row'>{kendall}</th>"
        f"<td>{'—' if w is None else style.number(w, 2)}"
        f"</td><td>{html.escape(kendall_note(a, say))}</td></tr>"
    )
    head = "".join(
        f"<th>{html.escape(say(word))}</th>"
        for word in (Phrase("statistic"), Phrase("value"), Phrase("note"))
    )
    return (
        f"<table class='agreement'><thead><tr>{head}</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def _icc_reason(a: Mapping, codes: Mapping, form: str, say: Say) -> str:
    phrase = ICC_REASONS.get(codes.get(form, ""))
    return say(phrase) if phrase else a["icc_reasons"].get(form, "")


def kendall_note(a: Mapping, say: Say = str) -> str:
    """W's block (jurors x entries), or why W is not shown."""
    if a["kendall_w"] is not None:
        block = a.get("kendall_block")
        return say(
            Phrase(
                "on the %(jurors)s jurors x %(entries)s entries who all read the same entries "
                "(%(block)s)",
                jurors=a["kendall_block_jurors"],
                entries=a["kendall_block_entries"],
                block=say(BLOCKS[block]) if block in BLOCKS else block or say(Phrase("block")),
            )
        )
    code = a.get("kendall_reason_code")
    if code == "block_too_small":
        return say(
            Phrase(
                "the largest complete block is %(jurors)s jurors x %(entries)s entries; "
                "Kendall's W is shown only for at least %(min_jurors)s jurors who all read the "
                "same %(min_entries)s entries",
                jurors=a["kendall_block_jurors"],
                entries=a["kendall_block_entries"],
                min_jurors=MIN_W_JURORS,
                min_entries=MIN_W_SUBMISSIONS,
            )
        )
    if code in KENDALL_REASONS:
        return say(KENDALL_REASONS[code])
    return a.get("kendall_reason") or ""


def agreement_reading(st: Standings, say: Say = str, style: ReportStyle = ENGLISH) -> str:
    lead = st.agreement["lead"]  # scoring.agreement.lead_reliability: no fallback on a 0
    if lead["value"] is None:
        return say(Phrase("Agreement could not be measured on these sheets (see the notes)."))
    return say(
        Phrase(
            "The reliability of the jury's average (%(form)s) is %(value)s: %(level)s. 1 would "
            "mean jurors fully agree on which entries are better, 0 or below that their "
            "averages are no better than chance. Kendall's W, from 0 to 1, measures how far "
            "jurors rank the same entries in the same order, among jurors who all read the "
            "same entries.",
            form=lead["form"],
            value=style.number(lead["value"], 2),
            level=say(LEVELS[lead["level"]]),
        )
    )


def odds_table(
    st: Standings, facts: Mapping[int, Mapping], say: Say = str, style: ReportStyle = ENGLISH
) -> str:
    """Each entry's chance of being in the top N, the entries whose place at the cut is
    uncertain first (scoring.cut.cut_table)."""
    cut = cut_table(st.ranking["p_top"], st.ranking["rank"])
    unknown, uncertain, settled = (
        say(Phrase("unknown")),
        say(Phrase("uncertain at the cut")),
        say(Phrase("settled")),
    )
    rows = []
    for submission, row in cut.iterrows():
        p = row["p_top"]
        chance = (
            unknown
            if pd.isna(p)
            else say(Phrase("%(percent)s%%", percent=style.number(100 * p, 0)))
        )
        place = uncertain if row["uncertain"] else settled
        rows.append(
            f"<tr><td>{int(row['rank'])}</td><th scope='row'>"
            f"{html.escape(entry_label(facts, int(submission)))}</th>"
            f"<td>{html.escape(chance)}</td><td>{html.escape(place)}</td></tr>"
        )
    head = "".join(
        f"<th>{html.escape(say(word))}</th>"
        for word in (
            Phrase("rank"),
            Phrase("entry"),
            Phrase("chance of the top %(n)s", n=st.top_n),
            Phrase("place at the cut"),
        )
    )
    reading = say(
        Phrase(
            "%(uncertain)s of %(entries)s entries have an uncertain place at the cut (between "
            "5%% and 95%% in the resampled rankings); they are listed first, the closest to "
            "even odds first. A few more reviews of these settle the shortlist best.",
            uncertain=int(cut["uncertain"].sum()),
            entries=len(cut),
        )
    )
    title = say(Phrase("Chance of being in the top %(n)s", n=st.top_n))
    return (
        f"<h2>{html.escape(title)}</h2><p class='reading cut'>{html.escape(reading)}</p>"
        f"<table class='agreement'><thead><tr>{head}</tr></thead><tbody>"
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
    style: ReportStyle = ENGLISH,
    notes: list[str] | None = None,
) -> str:
    """The report in the words of ``names.say`` (the charts' too) and the figures and date of
    ``style``: English unless the caller words it in the reader's language. ``notes``: the
    computations' notices as the caller worded them (the English sentences by default)."""
    shortlist = shortlist or []
    names = names or ChartNames()
    say = names.say
    sections = []
    if st.ranking.empty:
        nothing = say(Phrase("No submitted score sheets yet: there is nothing to chart."))
        sections.append(f"<p>{html.escape(nothing)}</p>")
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
        sections.append(f"<section>{odds_table(st, facts, say, style)}</section>")
    sections.append(
        f"<section><h2>{html.escape(say(Phrase('Jury agreement')))}</h2>"
        f"{agreement_table(st, say, style)}"
        f"<p class='reading'>{html.escape(agreement_reading(st, say, style))}</p></section>"
    )
    notes = st.warnings if notes is None else notes
    warnings = "".join(f"<li>{html.escape(w)}</li>" for w in notes)
    notes = (
        f"<section><h2>{html.escape(say(Phrase('Notes')))}</h2><ul>{warnings}</ul></section>"
        if warnings
        else ""
    )
    method = say(METHOD_NAMES[st.method]) if st.method in METHOD_NAMES else st.method
    title = say(Phrase("Board report · %(call)s · %(round)s", call=call_title, round=round_name))
    summary = say(
        Phrase(
            "%(round)s · %(count)s entries ranked by %(method)s · report of %(date)s",
            round=round_name,
            count=len(st.ranking),
            method=method,
            date=style.dated(generated_at or datetime.now()),
        )
    )
    return f"""<!doctype html>
<html lang="{html.escape(style.language)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>{STYLE}</style>
<script>{get_plotlyjs()}</script>
</head><body>
<header><h1>{html.escape(call_title)}</h1>
<p>{html.escape(summary)}</p></header>
<main>
{notes}
{"".join(sections)}
</main></body></html>"""
