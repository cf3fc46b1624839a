"""Fixtures of the page tests: clients signed in, and a judged call (tests/worlds.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import CallFactory, CityContactFactory
from tests.support.clients import browser_for
from tests.worlds import JudgedCall


@pytest.fixture
def page():
    """page(user) -> a test client signed in as that user (None: anonymous)."""
    return browser_for


@pytest.fixture
def scene(db):
    return JudgedCall()


@pytest.fixture
def make_scene(db):
    return JudgedCall


@pytest.fixture
def city(db):
    """A city contact of a member city with dues paid, and a call open for 10 more days."""
    contact = CityContactFactory()
    call = CallFactory(
        required_document_kinds=["application_form"],
        deadline=timezone.now() + timedelta(days=10),
    )
    return contact, call
