"""How far the jurors agree, as the results and Board pages show it (issue 13)."""

import pytest
from django.template.loader import render_to_string
from django.utils import translation

TIMES = "\N{MULTIPLICATION SIGN}"


def agreement(**overrides) -> dict:
    base = {
        "icc": {"ICC2": 0.31, "ICC2k": 0.58},
        "lead": {"form": "ICC2k", "value": 0.58, "level": "moderate"},
        "kendall_w": 0.62,
        "kendall_w_block_size": {"jurors": 4, "entries": 5},
        "n_jurors": 4,
        "n_submissions": 5,
    }
    return {**base, **overrides}


def shown(**overrides) -> str:
    html = render_to_string(
        "frontend/includes/agreement.html", {"results": {"agreement": agreement(**overrides)}}
    )
    return " ".join(html.split())


def test_the_reliability_of_the_average_leads_and_w_comes_with_its_block():
    html = shown()
    assert html.index("Reliability of the jury's average (ICC2k)") < html.index("Kendall")
    assert "<strong>0.58</strong> · moderate" in html
    assert f'0.62 <span class="small muted">on the 4 jurors {TIMES} 5 entries who all' in html


def test_w_on_a_block_too_small_is_not_shown_and_says_why():
    html = shown(kendall_w=None, kendall_w_block_size={"jurors": 2, "entries": 3})
    assert f"not shown: only 2 jurors {TIMES} 3 entries were read by the same jurors" in html
    assert "0.62" not in html


def test_a_negative_reliability_reads_no_agreement_beyond_chance():
    html = shown(lead={"form": "ICC2k", "value": -0.4, "level": "none"})
    assert "-0.40</strong> · no agreement beyond chance" in html
    assert "weak" not in html


def test_icc1k_is_named_when_it_leads():
    html = shown(lead={"form": "ICC1k", "value": 0.8, "level": "strong"})
    assert "(ICC1k)" in html and "· strong" in html


@pytest.mark.parametrize(
    ("language", "phrases"),
    [
        ("fr", ["pas d'accord au-delà du hasard", f"non affiché : seuls 2 jurés {TIMES} 3"]),
        ("es", ["ningún acuerdo más allá del azar", "no se muestra: solo 2 miembros"]),
    ],
)
def test_the_agreement_block_in_french_and_spanish(language, phrases):
    with translation.override(language):
        html = shown(
            lead={"form": "ICC2k", "value": -0.1, "level": "none"},
            kendall_w=None,
            kendall_w_block_size={"jurors": 2, "entries": 3},
        )
    for phrase in phrases:
        assert phrase in html
