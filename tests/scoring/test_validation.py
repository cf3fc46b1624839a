"""Rubric and score checks on plain data: no database."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from scoring.validation import validate_rubric, validate_scores, value_problem

D = Decimal
IMPACT = {
    "key": "impact",
    "label": "Impact",
    "weight": D(2),
    "min_value": D(1),
    "max_value": D(10),
    "step": D("0.5"),
    "comment_required": False,
    "levels": [],
}
INCLUSION = {**IMPACT, "key": "inclusion", "label": "Inclusion", "step": D(1)}
INCLUSION["comment_required"] = True
RUBRIC = [IMPACT, INCLUSION]


def test_values_on_the_scale_and_step_pass():
    scores = [{"criterion": "impact", "value": D("7.5")}, {"criterion": "inclusion", "value": 3}]
    assert validate_scores(RUBRIC, scores) == {}


def test_a_value_out_of_range_names_the_range():
    errors = validate_scores(RUBRIC, [{"criterion": "impact", "value": D("10.5")}])
    assert errors == {"impact": ["Must be between 1 and 10."]}


def test_a_value_off_the_step_suggests_the_neighbours():
    errors = validate_scores(RUBRIC, [{"criterion": "impact", "value": D("7.3")}])
    assert errors == {"impact": ["Must be a multiple of 0.5 from 1, such as 7 or 7.5."]}


def test_an_unknown_criterion_lists_the_rubric():
    errors = validate_scores(RUBRIC, [{"criterion": "beauty", "value": D(5)}])
    assert errors == {
        "beauty": ["Unknown criterion. This rubric's criteria are: impact, inclusion."]
    }


def test_a_criterion_scored_twice_is_refused():
    scores = [{"criterion": "impact", "value": D(5)}, {"criterion": "impact", "value": D(6)}]
    assert "impact" in validate_scores(RUBRIC, scores)


def test_a_draft_may_be_partial_but_a_submission_needs_every_value_and_required_comment():
    partial = [{"criterion": "impact", "value": D(5)}, {"criterion": "inclusion", "value": None}]
    assert validate_scores(RUBRIC, partial) == {}
    errors = validate_scores(RUBRIC, partial, complete=True)
    assert errors == {"inclusion": ["Give a score for Inclusion."]}
    scored = [{"criterion": "impact", "value": D(5)}, {"criterion": "inclusion", "value": D(4)}]
    errors = validate_scores(RUBRIC, scored, complete=True)
    assert errors == {"inclusion": ["Inclusion needs a comment explaining the score."]}
    scored[1]["comment"] = "Few women reached."
    assert validate_scores(RUBRIC, scored, complete=True) == {}


@given(st.integers(min_value=0, max_value=18))
def test_every_point_of_the_grid_is_valid(steps):
    assert value_problem(IMPACT, D(1) + steps * D("0.5")) is None


@given(st.decimals(min_value=-100, max_value=100, allow_nan=False, places=3))
def test_a_value_is_valid_exactly_when_it_is_on_the_grid_within_the_range(value):
    on_grid = D(1) <= value <= D(10) and (value * 2) == (value * 2).to_integral_value()
    assert (value_problem(IMPACT, value) is None) == on_grid


def test_a_sound_rubric_has_no_errors():
    levels = [
        {"min": D(1), "max": D(3), "label": "weak"},
        {"min": D(4), "max": D(10), "label": "ok"},
    ]
    assert validate_rubric([{**INCLUSION, "levels": levels}, IMPACT]) == {}


def test_rubric_errors_name_the_criterion():
    errors = validate_rubric(
        [
            {**IMPACT, "min_value": D(5), "max_value": D(5)},
            {**INCLUSION, "step": D(4)},
            {**INCLUSION, "key": "Bad Key", "weight": D(0)},
            {**IMPACT, "key": "reach", "levels": [{"min": D(0), "max": D(3), "label": "weak"}]},
        ]
    )
    assert errors["impact"] == ["The minimum (5) must be below the maximum."]
    assert errors["inclusion"] == ["The scale 1-10 is not a whole number of steps of 4."]
    assert len(errors["Bad Key"]) == 2
    assert errors["reach"] == ["The level 'weak' (0-3) must lie within 1-10."]
    assert validate_rubric([]) == {"criteria": ["A rubric needs at least one criterion."]}
    assert "impact" in validate_rubric([IMPACT, IMPACT])
