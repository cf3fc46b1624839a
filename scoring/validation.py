"""Checks on rubrics and scores: pure functions on plain data, no database.

A criterion is a mapping with ``key``, ``label``, ``min_value``, ``max_value``, ``step`` and
``comment_required`` (``weight`` and ``levels`` for a rubric). A score is a mapping with
``criterion`` (a key), ``value`` (a Decimal, or None while a draft has no value yet) and
``comment``. Each function returns errors as ``{field: [message, ...]}``: empty means valid.
Each message is a Phrase: the English sentence, which keeps its template and parameters for the
edges to word it in the reader's language.
"""

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation

from submissions.notices import Phrase

Errors = dict[str, list[Phrase]]

SLUG_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-_")


def number(value: Decimal) -> str:
    """A Decimal as a person writes it: 7, 7.5, 0.25 (never 7.00 or 7E+1)."""
    text = format(Decimal(value).normalize(), "f")
    return text


def _add(errors: Errors, field: str, message: Phrase) -> None:
    errors.setdefault(field, []).append(message)


def on_step(value: Decimal, low: Decimal, step: Decimal) -> bool:
    try:
        return (Decimal(value) - Decimal(low)) % Decimal(step) == 0
    except InvalidOperation:
        return False


def value_problem(criterion: Mapping, value: Decimal) -> Phrase | None:
    """Why a value does not fit the criterion's scale, or None if it does."""
    low, high, step = criterion["min_value"], criterion["max_value"], criterion["step"]
    if not Decimal(value).is_finite():
        return Phrase("Must be a number.")
    if value < low or value > high:
        return Phrase("Must be between %(low)s and %(high)s.", low=number(low), high=number(high))
    if not on_step(value, low, step):
        below = low + ((value - low) // step) * step
        return Phrase(
            "Must be a multiple of %(step)s from %(low)s, such as %(a)s or %(b)s.",
            step=number(step),
            low=number(low),
            a=number(below),
            b=number(min(below + step, high)),
        )
    return None


def validate_scores(
    criteria: Sequence[Mapping], scores: Sequence[Mapping], *, complete: bool = False
) -> Errors:
    """Errors of a set of scores against a rubric, keyed by criterion key.

    A draft (complete=False) may leave criteria out or without a value; a sheet to submit
    (complete=True) needs a value for every criterion and the comments the rubric requires.
    """
    by_key = {c["key"]: c for c in criteria}
    errors: Errors = {}
    seen: set[str] = set()
    for score in scores:
        key = score["criterion"]
        criterion = by_key.get(key)
        if criterion is None:
            known = ", ".join(by_key) or "none"
            _add(
                errors,
                key,
                Phrase("Unknown criterion. This rubric's criteria are: %(known)s.", known=known),
            )
            continue
        if key in seen:
            _add(errors, key, Phrase("This criterion is scored twice; send it once."))
            continue
        seen.add(key)
        value = score.get("value")
        if value is not None:
            problem = value_problem(criterion, value)
            if problem:
                _add(errors, key, problem)
    if complete:
        given = {s["criterion"]: s for s in scores if s["criterion"] in by_key}
        for key, criterion in by_key.items():
            score = given.get(key)
            if score is None or score.get("value") is None:
                _add(errors, key, Phrase("Give a score for %(label)s.", label=criterion["label"]))
            elif criterion.get("comment_required") and not (score.get("comment") or "").strip():
                _add(
                    errors,
                    key,
                    Phrase(
                        "%(label)s needs a comment explaining the score.", label=criterion["label"]
                    ),
                )
    return errors


def validate_rubric(criteria: Sequence[Mapping]) -> Errors:
    """Errors of a whole rubric, keyed by criterion key (or "criteria" for the list)."""
    errors: Errors = {}
    if not criteria:
        _add(errors, "criteria", Phrase("A rubric needs at least one criterion."))
    seen: set[str] = set()
    for position, criterion in enumerate(criteria, start=1):
        key = criterion.get("key") or f"#{position}"
        if not criterion.get("key") or not set(criterion["key"]) <= SLUG_CHARS:
            _add(errors, key, Phrase("The key must be lower-case letters, digits, - or _."))
        if key in seen:
            _add(errors, key, Phrase("Two criteria have this key; each key must be unique."))
        seen.add(key)
        if not (criterion.get("label") or "").strip():
            _add(errors, key, Phrase("Give the criterion a label."))
        low, high, step = criterion["min_value"], criterion["max_value"], criterion["step"]
        if criterion["weight"] <= 0:
            _add(errors, key, Phrase("The weight must be above 0."))
        if step <= 0:
            _add(errors, key, Phrase("The step must be above 0."))
        if low >= high:
            _add(
                errors,
                key,
                Phrase("The minimum (%(low)s) must be below the maximum.", low=number(low)),
            )
        elif step > 0 and not on_step(high, low, step):
            _add(
                errors,
                key,
                Phrase(
                    "The scale %(low)s-%(high)s is not a whole number of steps of %(step)s.",
                    low=number(low),
                    high=number(high),
                    step=number(step),
                ),
            )
        for level in criterion.get("levels") or []:
            if level["min"] > level["max"] or level["min"] < low or level["max"] > high:
                _add(
                    errors,
                    key,
                    Phrase(
                        "The level '%(name)s' (%(min)s-%(max)s) must lie within %(low)s-%(high)s.",
                        name=level.get("label") or "—",
                        min=number(level["min"]),
                        max=number(level["max"]),
                        low=number(low),
                        high=number(high),
                    ),
                )
    return errors
