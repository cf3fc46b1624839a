"""Schemathesis against /api/v1/schema/, as each authenticated role: no 5xx, and every
documented response matches the schema. Bounded: a few examples per operation and role."""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.factories import AssignmentFactory, CityContactFactory
from tests.worlds import JudgedCall

EXAMPLES_PER_OPERATION = int(os.environ.get("FUZZ_EXAMPLES", "6"))


@pytest.fixture
def role_tokens(transactional_db):
    """A small judged call (tests/worlds.py) with one person of each role, and their tokens:
    the secretariat, the city of the one entry, a juror assigned to it, the chair, the Board.

    Transactional, like production: a request that the database refuses (an id out of
    range, say) must not poison the requests after it."""
    world = JudgedCall(entries=1, jurors=2, rubric=[{"key": "impact"}])
    [entry] = world.entries
    city = CityContactFactory(organization=entry.organization)
    juror = world.jurors[1]
    AssignmentFactory(round=world.round, submission=entry, juror=juror)
    people = [world.staff, city, juror, world.chair, world.board]
    return [Token.objects.create(user=person).key for person in people]


def _load_schema():
    # The schema view needs no database, so it is read once, at collection.
    from config.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/v1/schema/", application)


schema = _load_schema()


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_the_api_never_fails_and_keeps_to_its_schema(case, role_tokens):
    for token in role_tokens:
        case.call_and_validate(
            headers={"Authorization": f"Token {token}"},
            checks=[not_a_server_error, response_schema_conformance],
        )
