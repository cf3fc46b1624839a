"""The computations' notices worded for a person, in the reader's language.

Pure code says what it noticed as a ``Notice`` (a code, its figures and an English sentence for
logs and the API). A page never shows that sentence: it words the code here, with the figures,
names for juror ids and no method's internal name. A code without a sentence here falls back
to the English one, so that nothing noticed is ever hidden.
"""

from collections.abc import Callable, Mapping

from django.utils.translation import gettext, ngettext

from submissions.errors import translatable

from .charts import REGION_LABELS

# Said once by the page itself (the empty ranking), never as a notice beside it.
NOTHING_RANKED = ("no_sheets", "no_scores")


def _people(ids, names: Mapping[int, str]) -> str:
    return ", ".join(str(names.get(i) or gettext("juror no. %(id)s") % {"id": i}) for i in ids)


def _count(singular: str, plural: str) -> Callable[[dict, Mapping], str]:
    return lambda p, _names: ngettext(singular, plural, p["count"]) % p


WORDS: dict[str, Callable[[dict, Mapping], str]] = {
    "incomplete_sheets": _count(
        "%(count)s sheet lacks some criteria: its total averages the criteria it has.",
        "%(count)s sheets lack some criteria: their totals average the criteria they have.",
    ),
    "single_sheet_submissions": _count(
        "%(count)s entry was read by one juror only: its score rests on that juror alone.",
        "%(count)s entries were read by one juror only: their scores rest on that juror alone.",
    ),
    "fixed_effects_clipped": _count(
        "%(count)s calibrated score fell outside the scale and is shown at its limit; the "
        "ranking uses the calibrated value.",
        "%(count)s calibrated scores fell outside the scale and are shown at its limits; the "
        "ranking uses the calibrated values.",
    ),
    "fixed_effects_single_sheet_jurors": lambda p, names: (
        ngettext(
            "%(jurors)s scored a single entry: the calibration cannot tell how strict that juror "
            "is, so the sheet does not move the entry against the others.",
            "%(jurors)s each scored a single entry: the calibration cannot tell how strict these "
            "jurors are, so their sheets do not move the entries against the others.",
            p["count"],
        )
        % {"jurors": _people(p["jurors"], names)}
    ),
    "borda_single_sheet_jurors": lambda p, names: (
        ngettext(
            "%(jurors)s scored a single entry and so ranks nothing: the sheet counts as neutral in "
            "the Borda count.",
            "%(jurors)s each scored a single entry and so rank nothing: their sheets count as "
            "neutral in the Borda count.",
            p["count"],
        )
        % {"jurors": _people(p["jurors"], names)}
    ),
    "zscore_few_sheets": lambda p, names: (
        gettext(
            "%(juror)s scored only %(sheets)s entries: the standardised scores of this juror are "
            "unreliable (%(minimum)s entries at least are needed)."
        )
        % {**p, "juror": _people([p["juror"]], names)}
    ),
    "fixed_effects_disconnected": lambda p, _names: (
        gettext(
            "The jurors form %(groups)s groups that read none of each other's entries, so nothing "
            "says whether one group marked harder than another: the calibrated ranking compares "
            "the groups no better than the plain mean. Rank by the standardised method (z-score), "
            "or ask for a few bridge reviews: jurors of one group reading a few entries of another."
        )
        % p
    ),
    "isolated_submissions": lambda p, _names: (
        ngettext(
            "%(count)s entry was read only by jurors who read nothing else: its place cannot be "
            "told, so it may take any rank from 1 to %(n_ranked)s. Ask a juror who read other "
            "entries to read it too.",
            "%(count)s entries were read only by jurors who read nothing else: their places cannot "
            "be told, so they may take any rank from 1 to %(n_ranked)s. Ask a juror who read other "
            "entries to read them too.",
            p["count"],
        )
        % p
    ),
    "noise_not_estimable": lambda _p, _names: gettext(
        "The sheets are still too few to tell the jurors' disagreement from real differences "
        "between entries: the intervals count every difference as disagreement, so they are "
        "as wide as can be."
    ),
}


def worded(notice: Mapping, names: Mapping[int, str]) -> str:
    """A notice (``Notice.as_dict()``) as a sentence for a person, in the active language."""
    words = WORDS.get(notice["code"])
    if words is None:
        return notice["message"]
    try:
        return words(dict(notice.get("params") or {}), names)
    except (KeyError, TypeError):  # figures missing: the English sentence still says it
        return notice["message"]


def notices_for_page(notices, names: Mapping[int, str]) -> list[str]:
    """The notices a results page shows: worded, each once, without those the page already
    says by showing an empty ranking."""
    shown = [worded(n, names) for n in notices if n["code"] not in NOTHING_RANKED]
    return list(dict.fromkeys(shown))


REGION = translatable(REGION_LABELS)  # the charts' names of the regions (one list)


def region_name(code: str | None) -> str:
    """A region's name for a person (the model keeps the code)."""
    return str(REGION.get(code, code or ""))
