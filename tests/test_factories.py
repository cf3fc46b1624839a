"""tests/factories.py has a factory for every model of the platform, and each builds a row."""

import pytest
from django.apps import apps

from tests import factories

APPS = ("submissions", "jury", "scoring")
MADE = {
    klass._meta.model
    for klass in vars(factories).values()
    if isinstance(klass, type)
    and issubclass(klass, factories.factory.django.DjangoModelFactory)
    and klass is not factories.factory.django.DjangoModelFactory
}


def test_every_model_has_a_factory():
    models = {model for name in APPS for model in apps.get_app_config(name).get_models()}
    assert {m.__name__ for m in models - MADE} == set()


@pytest.mark.django_db
def test_every_factory_builds_a_row():
    for klass in vars(factories).values():
        if isinstance(klass, type) and issubclass(
            klass, factories.factory.django.DjangoModelFactory
        ):
            if klass is factories.factory.django.DjangoModelFactory:
                continue
            row = klass()
            assert type(row).objects.filter(pk=row.pk).exists(), klass.__name__
