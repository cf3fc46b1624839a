"""Results of a round, computed on request from the current sheets: reads, rights, release."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jury.models import Round
from jury.rules import conflicted_submission_ids, juror_conflicted_with_entry
from jury.selectors import round_entries
from submissions import audit
from submissions.errors import Conflict as ConflictError
from submissions.errors import DomainError, translatable
from submissions.models import Call, Submission, User
from submissions.rules import VERDICT_STATUSES, ensure_secretariat
from submissions.visibility import identity_hidden_for, title_shown_to

from . import rules
from .aggregation import METHODS
from .charts import ChartNames
from .cut import cut_table
from .models import Criterion, Score, ScoreSheet
from .notice_words import worded
from .report import ReportStyle, board_report_html
from .standings import Standings, compute_standings, juror_rows, ranking_rows

DEFAULT_METHOD = "fixed_effects"
DEFAULT_TOP_N = 10  # the cut the odds refer to when the reader names none
MAX_TOP_N = 10_000


def check_method(method: str | None) -> str:
    method = method or DEFAULT_METHOD
    if method not in METHODS:
        raise DomainError(
            _("Unknown method '%(method)s'. Choose one of: %(methods)s."),
            fields={"method": [_("Unknown method.")]},
            method=method,
            methods=", ".join(METHODS),
        )
    return method


def check_top_n(top_n) -> int:
    """The N of "the chance of being in the top N": a whole number of at least 1."""
    if top_n in (None, ""):
        return DEFAULT_TOP_N
    try:
        number = int(str(top_n).strip())
    except ValueError:
        number = None
    if number is None or not 1 <= number <= MAX_TOP_N:
        raise DomainError(
            _("top_n must be a whole number of entries, at least 1 (for example 8)."),
            fields={"top_n": [_("A whole number, at least 1.")]},
            code="bad_top_n",
        )
    return number


def rubric_of(round_: Round) -> tuple[dict[str, float], tuple[float, float]]:
    criteria = list(
        Criterion.objects.filter(round=round_).values_list(
            "key", "weight", "min_value", "max_value"
        )
    )
    if not criteria:
        raise DomainError(
            _("This round has no rubric yet, so there is nothing to rank."), code="no_rubric"
        )
    weights = {key: float(weight) for key, weight, _low, _high in criteria}
    scale = (float(min(c[2] for c in criteria)), float(max(c[3] for c in criteria)))
    return weights, scale


def round_values(round_: Round, viewer: User) -> pd.DataFrame:
    """Every submitted score of the round as a long table, one query.

    Left out: sheets whose juror has since been found conflicted with the entry, and
    every entry the viewer is conflicted with (so its place shows in no ranking they see).
    """
    scores = Score.objects.filter(
        sheet__status=ScoreSheet.Status.SUBMITTED,
        sheet__assignment__round=round_,
        # An entry withdrawn or found ineligible after it was scored is no longer ranked.
        sheet__assignment__submission__in=round_entries(round_),
    ).exclude(juror_conflicted_with_entry("sheet__assignment__"))
    if viewer.pk:  # the board_report command reads as an unsaved secretariat user
        scores = scores.exclude(
            sheet__assignment__submission_id__in=conflicted_submission_ids(viewer)
        )
    rows = scores.values_list(
        "sheet__assignment__submission_id",
        "sheet__assignment__juror_id",
        "criterion__key",
        "value",
    )
    values = pd.DataFrame.from_records(
        list(rows), columns=["submission", "juror", "criterion", "value"]
    )
    values["value"] = values["value"].astype(float)
    return values


def standings_for(
    viewer: User, call: Call, round_: Round, method: str | None = None, top_n: int | None = None
) -> Standings:
    """The round's standings as the viewer may read them, with each entry's chance of being
    in the top ``top_n`` (``p_top``, from the same bootstrap)."""
    rules.ensure_can_view_results(viewer, call, round_)
    method = check_method(method)
    top_n = check_top_n(top_n)
    weights, scale = rubric_of(round_)
    return compute_standings(round_values(round_, viewer), weights, scale, method, top_n=top_n)


def entry_facts(ids, viewer: User, call: Call) -> dict[int, dict]:
    """What a results reader learns of each entry. In a blind call the jury's chair and the
    Board read redacted titles and no organization, city or region: only the secretariat
    unblinds (submissions.visibility)."""
    entries = Submission.objects.filter(pk__in=list(ids)).select_related("call", "organization")
    hidden = identity_hidden_for(viewer, call)
    facts = {}
    for entry in entries:
        organization = entry.organization
        facts[entry.pk] = {
            "pk": entry.pk,
            "title": title_shown_to(viewer, entry),
            "theme": entry.theme,
            "status": entry.status,
            "organization__name": None if hidden else organization.name,
            "organization__city": None if hidden else organization.city,
            "organization__region": None if hidden else organization.region,
        }
    return facts


@dataclass(frozen=True)
class BoardView:
    """A round's results as one reader sees them, computed once per request and read by the
    results endpoint, the exports, the Board's page, the Board report and `board_report`: the
    standings (the bootstrap included), what the reader may read of each entry (`facts`, as
    the charts show them) and of each juror (`names`, their usernames, and `juror_names`, the
    names the pages' tables use), the entries with a verdict (`shortlist`), the results
    endpoint's answer (`answer`) and the rubric's labels (`criteria`, by key)."""

    standings: Standings
    facts: dict[int, dict]
    names: dict[int, str]
    shortlist: list[int]
    answer: dict
    juror_names: dict[int, str] = field(default_factory=dict)
    criteria: dict[str, str] = field(default_factory=dict)

    def chart_names(self, say=str) -> ChartNames:
        """What the charts call things: jurors and criteria by the names the tables use, in
        the words of `say` (English by default; `in_reader_language` for a page)."""
        return ChartNames(say=say, criteria=self.criteria, jurors=self.juror_names)


def in_reader_language(phrase) -> str:
    """A pure module's Phrase in the language active now."""
    return str(translatable(phrase))


def board_view(
    viewer: User, call: Call, round_: Round, method: str | None = None, top_n=None
) -> BoardView:
    standings = standings_for(viewer, call, round_, method, top_n)
    found = entry_facts(standings.ranking.index, viewer, call)
    jurors = User.objects.filter(pk__in=list(standings.jurors.index))
    names, juror_names = {}, {}
    for juror in jurors.only("pk", "username", "first_name", "last_name"):
        names[juror.pk] = juror.username
        juror_names[juror.pk] = juror.display_name
    criteria = dict(Criterion.objects.filter(round=round_).values_list("key", "label"))
    facts = {
        pk: {
            "title": row["title"],
            "organization": row["organization__name"],
            "region": row["organization__region"],
            "theme": row["theme"],
        }
        for pk, row in found.items()
    }
    shortlist = [pk for pk, row in found.items() if row["status"] in VERDICT_STATUSES]
    answer = _answer(round_, standings, found, names)
    return BoardView(standings, facts, names, shortlist, answer, juror_names, criteria)


def results_for(
    viewer: User, call: Call, round_: Round, method: str | None = None, top_n=None
) -> dict:
    """The answer of the results endpoint, shaped for JSON."""
    return board_view(viewer, call, round_, method, top_n).answer


def at_the_cut(standings: Standings) -> pd.DataFrame:
    """The ranking's entries with ``p_top``, ``rank`` and ``uncertain``, the ones whose place
    at the cut is uncertain first (scoring.cut.cut_table)."""
    ranking = standings.ranking
    return cut_table(ranking["p_top"], ranking["rank"])


def _answer(round_: Round, standings: Standings, found: dict, names: dict) -> dict:
    cut = at_the_cut(standings)
    uncertain = [int(s) for s in cut.index[cut["uncertain"].to_numpy(dtype=bool)]]
    unsettled = set(uncertain)
    ranking = []
    for row in ranking_rows(standings):
        fact = found.get(row["submission"], {})
        ranking.append(
            {
                "submission": row["submission"],
                "title": fact.get("title"),
                "organization": fact.get("organization__name"),
                "theme": fact.get("theme"),
                "status": fact.get("status"),
                **{k: v for k, v in row.items() if k != "submission"},
                "uncertain": row["submission"] in unsettled,
            }
        )
    agreement = standings.agreement
    return {
        "method": standings.method,
        "round": round_.number,
        "scale": list(standings.scale),
        "released_at": round_.results_released_at,
        "agreement": {
            "icc": agreement["icc"],
            "icc_reasons": {
                k: v for k, v in agreement["icc_reasons"].items() if agreement["icc"].get(k) is None
            },
            "icc_design": agreement["icc_design"],
            "kendall_w": agreement["kendall_w"],
            "kendall_w_reason": agreement["kendall_reason"],
            "kendall_w_block": agreement["kendall_block"],
            # Issue 13: W is shown with the block it was computed on, and the reliability
            # of the jury's average leads (scoring.agreement.lead_reliability).
            "kendall_w_block_size": {
                "jurors": agreement["kendall_block_jurors"],
                "entries": agreement["kendall_block_entries"],
            },
            "lead": agreement["lead"],
            "n_jurors": agreement["n_jurors"],
            "n_submissions": agreement["n_submissions"],
        },
        "jurors": [{**row, "username": names.get(row["juror"])} for row in juror_rows(standings)],
        "ranking": ranking,
        # Issue 13: the chance of being in the top N, and the entries whose place at the cut
        # is uncertain, the closest to even odds first.
        "top_n": standings.top_n,
        "at_the_cut": uncertain,
        "warnings": standings.warnings,
        "notices": [notice.as_dict() for notice in standings.notices],
    }


@transaction.atomic
def release(actor: User, round_: Round) -> Round:
    ensure_secretariat(actor, _("Only the secretariat releases results to the Board."))
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if rules.is_released(round_):
        raise ConflictError(_("These results were already released."), code="already_released")
    if not ScoreSheet.objects.filter(assignment__round=round_, status="submitted").exists():
        raise DomainError(
            _("No score sheet of this round is submitted yet: nothing to release."),
            code="nothing_to_release",
        )
    round_.results_released_at = timezone.now()
    round_.save(update_fields=["results_released_at"])
    audit.record(actor, "results.released", round_, call=round_.call, round=round_.number)
    return round_


def record_export(actor: User, call: Call, round_: Round, kind: str, method: str) -> None:
    audit.record(actor, "results.exported", round_, call=call, format=kind, method=method)


def report_style() -> ReportStyle:
    """The report's figures and date as the pages write them in the language active now."""
    return ReportStyle(
        language=get_language() or "en",
        number=lambda value, decimals: number_format(value, decimals),
        dated=lambda when: date_format(when, "DATETIME_FORMAT"),
    )


def board_report(
    viewer: User, call: Call, round_: Round, method: str | None = None, top_n=None
) -> str:
    """The Board report of a round as one self-contained HTML document, in the language active
    now (the reader's on a request; `board_report --language` overrides it)."""
    view = board_view(viewer, call, round_, method, top_n)
    return board_report_html(
        view.standings,
        view.facts,
        view.names,
        call_title=call.title,
        round_name=round_.name,
        shortlist=view.shortlist,
        names=view.chart_names(in_reader_language),
        generated_at=timezone.localtime(timezone.now(), call.tzinfo),
        style=report_style(),
        notes=list(dict.fromkeys(worded(n, view.names) for n in view.answer["notices"])),
    )
