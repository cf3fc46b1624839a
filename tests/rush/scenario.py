"""The cities of the deadline rush, created in bulk in the rush database.

Run inside the project against that database (`manage.py shell -c`), not by pytest:
    from tests.rush.scenario import seed; seed(300)
It prints, as one JSON line, the call's slug and time zone and one API token per city.
"""

import json
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from submissions.models import Call, Organization, Role, User

CALL_SLUG = "metropolis-rush"
DOCUMENT_KIND = "application_form"


@transaction.atomic
def seed(cities: int) -> None:
    now = timezone.now()
    call = Call.objects.create(
        slug=CALL_SLUG,
        kind=Call.Kind.INITIATIVE,
        title="Metropolis Initiatives (rush)",
        themes=["Sustainability", "Social inclusion"],
        opens_at=now - timedelta(days=30),
        deadline=now + timedelta(days=1),  # the test moves it just before the rush starts
        timezone="Europe/Madrid",
        dues_required_through=2027,
        max_submissions_per_organization=1,
        max_file_size=5 * 1024 * 1024,
        max_attachments=3,
        required_document_kinds=[DOCUMENT_KIND],
    )
    organizations = Organization.objects.bulk_create(
        Organization(
            name=f"Rush City {n:03d}",
            city=f"Rush City {n:03d}",
            country="Rushland",
            region="europe",
            dues_paid_through=2027,
        )
        for n in range(cities)
    )
    unusable = make_password(None)  # token authentication only: no password hashing to pay for
    contacts = User.objects.bulk_create(
        User(
            username=f"rush-{n:03d}",
            email=f"rush-{n:03d}@example.org",
            password=unusable,
            role=Role.CITY_CONTACT,
            organization=organization,
        )
        for n, organization in enumerate(organizations)
    )
    tokens = Token.objects.bulk_create(
        Token(key=Token.generate_key(), user=contact) for contact in contacts
    )
    print(
        json.dumps(
            {"call": call.slug, "timezone": call.timezone, "tokens": [t.key for t in tokens]}
        )
    )
