"""The people and calls of the topology test, written in its own database.

Run inside the project against that database (`manage.py shell -c`), not by pytest:
    from tests.topology.scenario import seed; seed()
"""

import json
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from tests.factories import PASSWORD, CallFactory, CityContactFactory

CITIES = ("kyiv", "quito", "lima", "lyon", "oslo", "porto")


@transaction.atomic
def seed() -> None:
    now = timezone.now()
    with_form = CallFactory(
        slug="topology-with-form",
        required_document_kinds=["application_form"],
        opens_at=now - timedelta(days=5),
        deadline=now + timedelta(days=5),
    )
    no_form = CallFactory(
        slug="topology-no-form",
        required_document_kinds=[],
        opens_at=now - timedelta(days=5),
        deadline=now + timedelta(days=5),
    )
    for name in CITIES:
        CityContactFactory(username=name, email=f"{name}@example.org", language="en")
    print(json.dumps({"password": PASSWORD, "with_form": with_form.slug, "no_form": no_form.slug}))
