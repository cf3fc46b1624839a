"""Conflict-of-interest rules: pure, on plain facts about a juror and an entrant."""

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Party:
    organization_id: int | None
    city: str
    country: str


def _normal(text: str) -> str:
    # "Medellín" and "medellin " are the same city.
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def conflict_rule(juror: Party, entrant: Party, *, same_country: bool) -> str | None:
    """The first rule that puts the juror in conflict with the entrant, or None."""
    if juror.organization_id and juror.organization_id == entrant.organization_id:
        return "organization"
    if _normal(juror.city) and _normal(juror.city) == _normal(entrant.city):
        return "city"
    if (
        same_country
        and _normal(juror.country)
        and _normal(juror.country) == _normal(entrant.country)
    ):
        return "country"
    return None


RULE_REASONS = {
    "organization": "The juror belongs to the submitting organization.",
    "city": "The juror lives or works in the submitting city.",
    "country": "The juror comes from the submitting organization's country.",
}
