"""Demo data from the association's 2014 activity report. Safe to run again: nothing doubles."""

import functools
import hashlib
import zoneinfo
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.text import slugify

from submissions.models import (
    Attachment,
    Call,
    DeadlineExtension,
    Organization,
    Role,
    Submission,
    User,
)
from submissions.receipts import canonical_content, receipt_hash

from .cities import MEMBERS, NAMED_IN_REPORT

DEMO_PASSWORD = "metropolis2014"
MADRID = zoneinfo.ZoneInfo("Europe/Madrid")
AWARD_SLUG = "metropolis-award-2014"
INITIATIVES_SLUG = "metropolis-initiatives-2015"
OPEN_SLUG = "metropolis-initiatives-2027"
INITIATIVE_THEMES = [
    "Governance",
    "Urban economy",
    "Urban innovation",
    "Sustainability",
    "Social inclusion",
]
AWARD_THEMES = ["Urban equity", "Governance", "Urban mobility", "Environment", "Social inclusion"]
PAID_2014 = [name for name, *_ in NAMED_IN_REPORT[:31]]

# 40 projects from the 31 cities with 2014 dues paid: nine cities sent two.
AWARD_PROJECTS = [
    ("Barcelona", "Superblocks: streets given back to residents", "Urban mobility"),
    ("Barcelona", "Municipal network of energy advice points", "Environment"),
    ("Brussels-Capital Region", "Neighbourhood contracts for sustainable renewal", "Urban equity"),
    ("Seoul", "Sharing City Seoul", "Social inclusion"),
    ("Seoul", "Owl night bus network designed from call data", "Urban mobility"),
    ("Hyderabad", "Slum-free city plan with community mapping", "Urban equity"),
    ("Buenos Aires", "Metrobus on 9 de Julio Avenue", "Urban mobility"),
    ("Buenos Aires", "Gastronomy for equity in the southern districts", "Social inclusion"),
    ("Medellín", "Integrated urban projects and the Metrocable", "Urban equity"),
    ("Medellín", "Library parks in hillside neighbourhoods", "Social inclusion"),
    ("Mexico City", "Ecobici public bicycles", "Urban mobility"),
    ("Paris Île-de-France", "Regional plan for social housing near transit", "Urban equity"),
    ("Berlin", "No Regrets: climate adaptation for dense districts", "Environment"),
    ("Berlin", "Participatory budgets in Lichtenberg", "Governance"),
    ("Cairo", "Upgrading informal areas with residents' committees", "Urban equity"),
    ("Mashhad", "Pilgrim flows and public space management", "Governance"),
    ("Johannesburg", "Corridors of Freedom", "Urban mobility"),
    ("Johannesburg", "Jozi@Work community service contracts", "Social inclusion"),
    ("São Paulo", "Mentoring on upgrading informal settlements", "Urban equity"),
    ("Guangzhou", "Bus rapid transit with integrated greenways", "Urban mobility"),
    ("Guangzhou", "Public consultation committees for urban renewal", "Governance"),
    ("Chengdu", "Urban-rural integration of public services", "Urban equity"),
    ("Wuhan", "East Lake greenway and water quality", "Environment"),
    ("Abidjan", "Women's markets and safe public spaces", "Social inclusion"),
    ("Belo Horizonte", "Food security programme and popular restaurants", "Social inclusion"),
    ("Bogotá", "Ciclovía and the network of bicycle paths", "Urban mobility"),
    ("Caracas", "Rehabilitation of barrio public spaces", "Urban equity"),
    ("Dakar", "Solid waste collection with neighbourhood associations", "Environment"),
    ("Douala", "Drainage works against seasonal flooding", "Environment"),
    ("Durban", "Warwick Junction informal traders' precinct", "Social inclusion"),
    ("Guarulhos", "Open data for municipal budgets", "Governance"),
    ("Kampala", "Kampala Capital City Authority revenue reform", "Governance"),
    ("Montevideo", "Decentralised municipal councils", "Governance"),
    ("Porto Alegre", "Participatory budgeting, 25 years on", "Governance"),
    ("Rio de Janeiro", "Operations centre for urban resilience", "Governance"),
    ("Rio de Janeiro", "Morar Carioca: upgrading favelas", "Urban equity"),
    ("Rosario", "Urban agriculture programme", "Environment"),
    ("Santiago de Chile", "Transantiago reform for peripheral communes", "Urban mobility"),
    ("Barcelona Metropolitan Area", "Metropolitan river parks of the Llobregat", "Environment"),
    ("Mexico City", "Women's safe transport programme", "Social inclusion"),
]


def tiny_pdf(text: str) -> bytes:
    """A small valid PDF, so that the demo's files open in any viewer."""
    stream = f"BT /F1 14 Tf 72 720 Td ({text[:80]}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def username_for(organization_name: str) -> str:
    return slugify(organization_name)


@functools.cache
def _demo_password_hash() -> str:
    # Hashing once: 146 accounts share one published password, so a salt each buys nothing.
    return make_password(DEMO_PASSWORD)


def demo_user(username: str, role: str, **extra) -> User:
    user, _ = User.objects.get_or_create(
        username=username, defaults={"role": role, "password": _demo_password_hash(), **extra}
    )
    return user


def seed_members() -> dict[str, Organization]:
    organizations = {}
    for name, city, country, region in MEMBERS:
        organization, _ = Organization.objects.update_or_create(
            name=name,
            defaults={
                "kind": Organization.Kind.MEMBER,
                "city": city,
                "country": country,
                "region": region,
                "dues_paid_through": 2014 if name in PAID_2014 else 2013,
            },
        )
        organizations[name] = organization
        demo_user(
            username_for(name),
            Role.CITY_CONTACT,
            organization=organization,
            email=f"{username_for(name)}@example.org",
            first_name=name,
        )
    Organization.objects.update_or_create(
        name="Kreanta Foundation",
        defaults={
            "kind": Organization.Kind.PARTNER,
            "city": "Barcelona",
            "country": "Spain",
            "region": "europe",
            "dues_paid_through": 2014,
        },
    )
    demo_user(
        "secretariat",
        Role.SECRETARIAT,
        is_staff=True,
        is_superuser=True,
        email="secretariat@example.org",
        first_name="Secretariat",
    )
    demo_user("board", Role.BOARD, email="board@example.org", first_name="Board")
    return organizations


def _extend(call: Call, secretariat: User, original: datetime, reason: str) -> None:
    if not call.extensions.exists():
        DeadlineExtension.objects.create(
            call=call,
            previous_deadline=original,
            deadline=call.deadline,
            reason=reason,
            created_by=secretariat,
        )


def seed_calls() -> dict[str, Call]:
    secretariat = User.objects.get(username="secretariat")
    award, _ = Call.objects.update_or_create(
        slug=AWARD_SLUG,
        defaults={
            "kind": Call.Kind.AWARD,
            "title": "5th Metropolis Award: Seeking Better Quality of Life for the World's "
            "Metropolises",
            "description": "Projects of member cities that improve the quality of life of their "
            "inhabitants. The award is presented at the 11th Metropolis World "
            "Congress in Hyderabad, 7-10 October 2014.",
            "themes": AWARD_THEMES,
            "opens_at": datetime(2013, 12, 1, 0, 0, tzinfo=MADRID),
            "deadline": datetime(2014, 5, 30, 23, 59, 59, tzinfo=MADRID),
            "timezone": "Europe/Madrid",
            "dues_required_through": 2014,
            "partners_allowed": False,
            "max_submissions_per_organization": 2,
            "required_document_kinds": ["application_form"],
            "max_file_size": 50 * 1024 * 1024,
            "blind": False,
        },
    )
    _extend(
        award,
        secretariat,
        datetime(2014, 4, 30, 23, 59, 59, tzinfo=MADRID),
        "Extension of the term to lodge projects for the 5th Metropolis Award.",
    )
    initiatives, _ = Call.objects.update_or_create(
        slug=INITIATIVES_SLUG,
        defaults={
            "kind": Call.Kind.INITIATIVE,
            "title": "Metropolis Initiatives 2015",
            "description": "Applications to lead a Metropolis Initiative starting in 2015. "
            "The selection is disclosed on 10 October 2014, after the Board of "
            "Directors meeting in Hyderabad.",
            "themes": INITIATIVE_THEMES,
            "opens_at": datetime(2014, 1, 15, 0, 0, tzinfo=MADRID),
            "deadline": datetime(2014, 5, 15, 23, 59, 59, tzinfo=MADRID),
            "timezone": "Europe/Madrid",
            "dues_required_through": 2014,
            "partners_allowed": True,
            "max_submissions_per_organization": 1,
            "required_document_kinds": ["application_form"],
        },
    )
    _extend(
        initiatives,
        secretariat,
        datetime(2014, 4, 30, 23, 59, 59, tzinfo=MADRID),
        "The deadline for members and partners to apply was extended.",
    )
    now = timezone.now()
    opens = (now - timedelta(days=30)).replace(hour=0, minute=0, second=0, microsecond=0)
    open_call, created = Call.objects.get_or_create(
        slug=OPEN_SLUG,
        defaults={
            "kind": Call.Kind.INITIATIVE,
            "title": "Metropolis Initiatives 2027",
            "description": "Applications to lead a Metropolis Initiative in 2027-2029.",
            "themes": INITIATIVE_THEMES,
            "opens_at": opens,
            "deadline": (now + timedelta(days=60)).replace(
                hour=23, minute=59, second=59, microsecond=0
            ),
            "timezone": "Europe/Madrid",
            "dues_required_through": None,
            "partners_allowed": True,
            "max_submissions_per_organization": 2,
            "required_document_kinds": ["application_form"],
        },
    )
    if not created and open_call.deadline < now:
        # The demo keeps one call open, however long ago it was first seeded.
        open_call.deadline = now + timedelta(days=60)
        open_call.save(update_fields=["deadline"])
    return {"award": award, "initiatives": initiatives, "open": open_call}


# Applications to lead a Metropolis Initiative: the jury is scoring them now in the demo.
INITIATIVE_PROJECTS = [
    ("Berlin", "No Regrets Charter: climate adaptation across member cities", "Sustainability"),
    ("Medellín", "Medellín-Barcelona Chair: urban equity in development", "Social inclusion"),
    ("São Paulo", "Mentoring on upgrading informal settlements", "Social inclusion"),
    ("Seoul", "Sharing Cities network of training on public services", "Urban innovation"),
    ("Buenos Aires", "City and gastronomy: food policies for equity", "Urban economy"),
    ("Mexico City", "Public policies against overweight and obesity", "Governance"),
    ("Guangzhou", "Learning from urban innovation in inclusive governance", "Governance"),
    ("Johannesburg", "Integrated governance of metropolitan corridors", "Governance"),
    ("Mashhad", "Municipal finance and investment training", "Urban economy"),
    ("Abidjan", "Women's safety in metropolitan public spaces", "Social inclusion"),
    ("Rio de Janeiro", "Resilience operations centres for metropolises", "Urban innovation"),
    ("Cairo", "Peer review of informal area upgrading", "Sustainability"),
]


def seed_entries(
    call: Call,
    projects: list[tuple[str, str, str]],
    organizations: dict[str, Organization],
    status: str,
) -> list[Submission]:
    """Submitted entries with a small PDF and a receipt, dated before the call's deadline."""
    entries = []
    for number, (city, title, theme) in enumerate(projects, start=1):
        organization = organizations[city]
        contact = User.objects.get(username=username_for(city))
        submission, created = Submission.objects.get_or_create(
            call=call,
            organization=organization,
            title=title,
            defaults={
                "summary": f"{title}: a project of {organization.name}.",
                "description": f'{organization.name} presents "{title}" to {call.title}. '
                "It describes the challenge, the actions taken, the people reached and the "
                "results measured since the start.",
                "theme": theme,
                "created_by": contact,
            },
        )
        if created:
            when = call.deadline - timedelta(days=len(projects) - number, hours=3)
            pdf = tiny_pdf(f"{call.title} - entry {number}: {title}")
            key = default_storage.save(
                f"submissions/{submission.pk}/demo-application.pdf", ContentFile(pdf)
            )
            Attachment.objects.create(
                submission=submission,
                kind="application_form",
                original_name=f"application-{slugify(city)}-{number}.pdf",
                file=key,
                content_type="application/pdf",
                size=len(pdf),
                sha256=hashlib.sha256(pdf).hexdigest(),
                state=Attachment.State.COMPLETE,
                uploaded_by=contact,
                completed_at=when,
            )
            content = canonical_content(
                {
                    k: getattr(submission, k)
                    for k in ("title", "summary", "description", "theme", "answers")
                },
                [
                    {"kind": a.kind, "name": a.original_name, "sha256": a.sha256}
                    for a in submission.attachments.all()
                ],
            )
            submission.frozen_content = content
            submission.receipt_sha256 = receipt_hash(content)
            submission.submitted_at = when
            submission.submitted_by = contact
            submission.status = status
            submission.save()
        entries.append(submission)
    return entries


def seed_award_entries(award: Call, organizations: dict[str, Organization]) -> list[Submission]:
    return seed_entries(award, AWARD_PROJECTS, organizations, Submission.Status.ELIGIBLE)


def seed() -> dict:
    organizations = seed_members()
    calls = seed_calls()
    entries = seed_award_entries(calls["award"], organizations)
    initiatives = seed_entries(
        calls["initiatives"], INITIATIVE_PROJECTS, organizations, Submission.Status.ELIGIBLE
    )
    return {
        "organizations": organizations,
        "calls": calls,
        "award_entries": entries,
        "initiative_entries": initiatives,
    }
