"""Issue 10, item 8: redaction in blind calls finds the entrant in every spelling (case,
accents, city, country) and in the keys of the form's further answers."""

from types import SimpleNamespace

from submissions.visibility import REDACTED, entrant_names, redact

MEDELLIN = SimpleNamespace(name="Alcaldía de Medellín", city="Medellín", country="Colombia")


def test_accent_free_and_upper_case_spellings_are_redacted():
    names = entrant_names(MEDELLIN)
    text = "Metrocable: MEDELLÍN, Medellin and medellín, for the Alcaldia de Medellin (COLOMBIA)."
    shown = redact(text, names)
    assert "edell" not in shown.lower() and "colombia" not in shown.lower()
    assert "alcald" not in shown.lower()
    assert shown.startswith("Metrocable: ") and shown.count(REDACTED) == 5


def test_decomposed_accents_are_redacted_too():
    text = "Medelli\u0301n"  # "i" followed by a combining acute accent
    assert redact(text, entrant_names(MEDELLIN)) == REDACTED


def test_the_keys_of_answers_are_redacted_as_well_as_the_values():
    answers = {"Partners in Medellín": ["EPM Medellin"], "budget": {"Colombia": 12}}
    shown = redact(answers, entrant_names(MEDELLIN))
    assert shown == {
        f"Partners in {REDACTED}": [f"EPM {REDACTED}"],
        "budget": {REDACTED: 12},
    }


def test_other_words_are_kept():
    assert redact("Superblocks for people", entrant_names(MEDELLIN)) == "Superblocks for people"
