"""Fixtures of the jury tests: a judged call whose jurors each know one of its themes."""

import pytest

from tests.worlds import JudgedCall


def jury_world(**options) -> JudgedCall:
    """A call with round 1, eligible entries and jurors with expertise, no rubric yet."""
    return JudgedCall(rubric=None, expertise=True, **options)


@pytest.fixture
def jury(db):
    return jury_world()


@pytest.fixture
def make_jury(db):
    return jury_world
