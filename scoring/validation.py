"""Checks on rubrics and scores: pure functions on plain data, no database.

A criterion is a mapping with ``key``, ``label``, ``min_value``, ``max_value``, ``step`` and
``comment_required`` (``weight`` and ``levels`` for a rubric). A score is a mapping with
``criterion`` (a key), ``value`` (a Decimal, or None while a draft has no value yet) and
``comment``. Each function returns errors as ``{field: [message, ...]}``: empty means valid.
"""

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation

Errors = dict[str, list[str]]

SLUG_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-_")


def number(value: Decimal) -> str:
    """A Decimal as a person writes it: 7, 7.5, 0.25 (never 7.00 or 7E+1)."""
    text = format(Decimal(value).normalize(), "f")
    return text


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def on_step(value: Decimal, low: Decimal, step: Decimal) -> bool:
    try:
        return (Decimal(value) - Decimal(low)) % Decimal(step) == 0
    except InvalidOperation:
        return False


def value_problem(criterion: Mapping, value: Decimal) -> str | None:
    """Why a value does not fit the criterion's scale, or None if it does."""
    low, high, step = criterion["min_value"], criterion["max_value"], criterion["step"]
    if not Decimal(value).is_finite():
        return "Must be a number."
    if value < low or value > high:
        return f"Must be between {number(low)} and {number(high)}."
    if not on_step(value, low, step):
        below = low + ((value - low) // step) * step
        return (
            f"Must be a multiple of {number(step)} from {number(low)}, "
            f"such as {number(below)} or {number(min(below + step, high))}."
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
            _add(errors, key, f"Unknown criterion. This rubric's criteria are: {known}.")
            continue
        if key in seen:
            _add(errors, key, "This criterion is scored twice; send it once.")
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
                _add(errors, key, f"Give a score for {criterion['label']}.")
            elif criterion.get("comment_required") and not (score.get("comment") or "").strip():
                _add(errors, key, f"{criterion['label']} needs a comment explaining the score.")
    return errors


def validate_rubric(criteria: Sequence[Mapping]) -> Errors:
    """Errors of a whole rubric, keyed by criterion key (or "criteria" for the list)."""
    errors: Errors = {}
    if not criteria:
        _add(errors, "criteria", "A rubric needs at least one criterion.")
    seen: set[str] = set()
    for position, criterion in enumerate(criteria, start=1):
        key = criterion.get("key") or f"#{position}"
        if not criterion.get("key") or not set(criterion["key"]) <= SLUG_CHARS:
            _add(errors, key, "The key must be lower-case letters, digits, - or _.")
        if key in seen:
            _add(errors, key, "Two criteria have this key; each key must be unique.")
        seen.add(key)
        if not (criterion.get("label") or "").strip():
            _add(errors, key, "Give the criterion a label.")
        low, high, step = criterion["min_value"], criterion["max_value"], criterion["step"]
        if criterion["weight"] <= 0:
            _add(errors, key, "The weight must be above 0.")
        if step <= 0:
            _add(errors, key, "The step must be above 0.")
        if low >= high:
            _add(errors, key, f"The minimum ({number(low)}) must be below the maximum.")
        elif step > 0 and not on_step(high, low, step):
            _add(
                errors,
                key,
                f"The scale {number(low)}-{number(high)} is not a whole number of steps "
                f"of {number(step)}.",
            )
        for level in criterion.get("levels") or []:
            name = level.get("label") or "a level"
            if level["min"] > level["max"] or level["min"] < low or level["max"] > high:
                _add(
                    errors,
                    key,
                    f"The level '{name}' ({number(level['min'])}-{number(level['max'])}) must "
                    f"lie within {number(low)}-{number(high)}.",
                )
    return errors
