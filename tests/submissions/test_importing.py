"""The bulk import against the database: preview writes nothing, apply writes in one go, a second
import of the same file changes nothing, new accounts are invited through the outbox."""

import pytest

from jury.importing import IMPORTERS
from jury.models import Conflict, JurorProfile, JuryMember
from submissions import importing
from submissions.errors import NotAllowed
from submissions.models import AuditEvent, Organization, OutboxMessage, Role, User
from tests.factories import (
    CallFactory,
    CityContactFactory,
    EligibleSubmissionFactory,
    JurorFactory,
    OrganizationFactory,
    SecretariatFactory,
)
from tests.submissions.test_imports import CITIES, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

MEMBERS, CONTACTS, JURORS = (IMPORTERS[k] for k in ("members", "contacts", "jurors"))


@pytest.fixture
def staff():
    return SecretariatFactory()


def test_a_preview_writes_nothing(staff):
    plan = importing.preview(staff, MEMBERS, "members.csv", csv_bytes(CITIES))
    assert plan.counts()["new"] == 136
    assert Organization.objects.count() == 0 and AuditEvent.objects.count() == 0


def test_the_136_members_are_saved_once_and_a_second_import_changes_nothing(staff):
    data = csv_bytes(CITIES)
    plan, invited = importing.apply(staff, MEMBERS, "members.csv", data)
    assert plan.counts()["new"] == 136 and invited == 0
    assert Organization.objects.count() == 136
    medellin = Organization.objects.get(name="Medellín")
    assert (medellin.city, medellin.country, medellin.region) == (
        "Medellín",
        "Colombia",
        "latin_america",
    )
    assert medellin.dues_paid_through == 2014 and medellin.kind == "member"

    events = AuditEvent.objects.count()
    again, _ = importing.apply(staff, MEMBERS, "members.xlsx", xlsx_bytes(CITIES))
    assert again.counts() == {"new": 0, "updated": 0, "unchanged": 136, "refused": 0}
    assert Organization.objects.count() == 136
    assert AuditEvent.objects.count() == events + 1  # only the import itself is recorded


def test_an_update_changes_only_the_cells_that_differ(staff):
    OrganizationFactory(name="Seoul", city="Seoul", country="South Korea", dues_paid_through=2013)
    rows = [CITIES[0], ["Seoul", "Seoul", "South Korea", "asia_pacific", "2014"]]
    plan, _ = importing.apply(staff, MEMBERS, "m.csv", csv_bytes(rows))
    assert [(c.column, c.new) for c in plan.rows[0].changes] == [
        ("region", "asia_pacific"),
        ("dues_paid_through", "2014"),
    ]
    seoul = Organization.objects.get(name="Seoul")
    assert (seoul.region, seoul.dues_paid_through) == ("asia_pacific", 2014)
    event = AuditEvent.objects.get(action="organization.changed")
    assert event.data["fields"] == ["region", "dues_paid_through"]


def test_applying_an_outdated_preview_writes_nothing_and_shows_the_new_plan(staff):
    data = csv_bytes(CITIES[:3])
    previewed = importing.preview(staff, MEMBERS, "m.csv", data)
    OrganizationFactory(name="Barcelona", city="Barcelona", country="Spain", dues_paid_through=2012)
    with pytest.raises(importing.PreviewOutdated) as outdated:
        importing.apply(staff, MEMBERS, "m.csv", data, previewed.digest())
    assert outdated.value.status_code == 409
    assert [r.fate for r in outdated.value.plan.rows] == ["updated", "new"]
    assert Organization.objects.count() == 1
    assert Organization.objects.get().dues_paid_through == 2012


@pytest.mark.parametrize(
    ("name", "data", "status", "code"),
    [
        (
            "m.csv",
            "name,city,country,region\nMálaga,M,S,europe\n".encode("cp1252"),
            400,
            "import_encoding",
        ),
        ("m.pdf", b"%PDF-1.4", 415, "import_not_a_table"),
        ("m.csv", b"x" * (1024 * 1024 + 1), 413, "import_too_large"),
        ("m.csv", b"name,town\nA,B\n", 400, "import_missing_columns"),
    ],
)
def test_a_bad_file_is_refused_with_a_4xx_and_nothing_is_written(staff, name, data, status, code):
    with pytest.raises(importing.ImportRefused) as refused:
        importing.apply(staff, MEMBERS, name, data)
    assert (refused.value.status_code, refused.value.code) == (status, code)
    assert Organization.objects.count() == 0 and AuditEvent.objects.count() == 0


def test_only_the_secretariat_imports():
    with pytest.raises(NotAllowed):
        importing.preview(CityContactFactory(), MEMBERS, "m.csv", csv_bytes(CITIES))


CONTACT_HEADER = ["username", "email", "organization", "first_name", "last_name"]


def test_new_contacts_are_invited_through_the_outbox_once(
    staff, mailoutbox, django_capture_on_commit_callbacks
):
    OrganizationFactory(name="Dakar")
    CityContactFactory(username="dakar", email="old@dakar.sn", organization=None)
    rows = [
        CONTACT_HEADER,
        ["awa", "awa@dakar.sn", "Dakar", "Awa", "Ndiaye"],
        ["dakar", "mairie@dakar.sn", "Dakar", "", ""],
    ]
    data = csv_bytes(rows)
    with django_capture_on_commit_callbacks(execute=True):
        plan, invited = importing.apply(staff, CONTACTS, "contacts.csv", data)
    assert [r.fate for r in plan.rows] == ["new", "updated"] and invited == 1
    awa = User.objects.get(username="awa")
    assert awa.role == Role.CITY_CONTACT and awa.organization.name == "Dakar"
    assert not awa.has_usable_password()  # she chooses it through the invitation
    invitation = OutboxMessage.objects.get(to="awa@dakar.sn")
    assert invitation.kind == "user.invitation" and "/accounts/reset/" in invitation.body
    assert [m.to for m in mailoutbox] == [["awa@dakar.sn"]]
    dakar = User.objects.get(username="dakar")
    assert dakar.email == "mairie@dakar.sn" and dakar.organization.name == "Dakar"

    again, invited = importing.apply(staff, CONTACTS, "contacts.csv", data)
    assert [r.fate for r in again.rows] == ["unchanged", "unchanged"] and invited == 0
    assert OutboxMessage.objects.filter(kind="user.invitation").count() == 1


def test_a_secretariat_account_in_a_contacts_file_is_refused_and_left_alone(staff):
    OrganizationFactory(name="Dakar")
    colleague = SecretariatFactory(username="colleague", email="c@metropolis.org")
    rows = [CONTACT_HEADER, ["colleague", "evil@example.org", "Dakar", "", ""]]
    plan, _ = importing.apply(staff, CONTACTS, "c.csv", csv_bytes(rows))
    assert plan.rows[0].fate == "refused"
    colleague.refresh_from_db()
    assert colleague.email == "c@metropolis.org" and colleague.role == Role.SECRETARIAT


JUROR_HEADER = [
    "username",
    "email",
    "first_name",
    "affiliation",
    "city",
    "country",
    "call",
    "expertise",
]


def test_jurors_are_seated_with_their_expertise_and_conflicts_are_found(staff):
    call = CallFactory(slug="award-2027", themes=["Governance", "Social inclusion"])
    lisbon = OrganizationFactory(name="Lisbon", city="Lisbon", country="Portugal")
    entry = EligibleSubmissionFactory(call=call, organization=lisbon)
    rows = [
        JUROR_HEADER,
        ["ana", "ana@example.org", "Ana", "IST", "Lisbon", "Portugal", "award-2027", "governance"],
        ["li", "li@example.org", "Li", "Tsinghua", "Beijing", "China", "", ""],
    ]
    plan, invited = importing.apply(staff, JURORS, "jurors.csv", csv_bytes(rows))
    assert [r.fate for r in plan.rows] == ["new", "new"] and invited == 2
    ana = User.objects.get(username="ana")
    assert ana.role == Role.JUROR
    assert (ana.juror_profile.affiliation, ana.juror_profile.city) == ("IST", "Lisbon")
    seat = JuryMember.objects.get(juror=ana, call=call)
    assert seat.expertise == ["Governance"] and not seat.is_chair
    assert Conflict.objects.filter(juror=ana, submission=entry, rule="city").exists()
    assert JurorProfile.objects.get(user__username="li").country == "China"
    assert not JuryMember.objects.filter(juror__username="li").exists()

    again, invited = importing.apply(staff, JURORS, "jurors.csv", csv_bytes(rows))
    assert [r.fate for r in again.rows] == ["unchanged", "unchanged"] and invited == 0


def test_a_chair_stays_chair_when_an_import_changes_their_expertise(staff):
    call = CallFactory(slug="award-2027", themes=["Governance", "Social inclusion"])
    chair = JurorFactory(username="chair")
    JuryMember.objects.create(call=call, juror=chair, is_chair=True, expertise=["Governance"])
    rows = [JUROR_HEADER, ["chair", chair.email, "", "", "", "", "award-2027", "Social inclusion"]]
    plan, _ = importing.apply(staff, JURORS, "jurors.csv", csv_bytes(rows))
    assert plan.rows[0].fate == "updated"
    seat = JuryMember.objects.get(juror=chair, call=call)
    assert seat.expertise == ["Social inclusion"] and seat.is_chair


def test_a_new_city_in_a_seated_jurors_profile_brings_its_conflicts(staff):
    call = CallFactory(slug="award-2027")
    entry = EligibleSubmissionFactory(
        call=call, organization=OrganizationFactory(name="Quito", city="Quito", country="Ecuador")
    )
    juror = JurorFactory(username="pat")
    JurorProfile.objects.create(user=juror, city="Lima", country="Peru")
    JuryMember.objects.create(call=call, juror=juror)
    rows = [JUROR_HEADER, ["pat", juror.email, "", "", "Quito", "Ecuador", "", ""]]
    importing.apply(staff, JURORS, "jurors.csv", csv_bytes(rows))
    assert Conflict.objects.filter(juror=juror, submission=entry, rule="city").exists()


@pytest.mark.parametrize("rows", [10, 120])
def test_a_preview_reads_the_database_in_a_fixed_number_of_queries(
    staff, rows, django_assert_num_queries
):
    OrganizationFactory(name="Dakar")
    data = [CONTACT_HEADER] + [[f"user{i}", f"u{i}@x.org", "Dakar", "", ""] for i in range(rows)]
    with django_assert_num_queries(2):
        importing.preview(staff, CONTACTS, "c.csv", csv_bytes(data))
    juror_data = [JUROR_HEADER] + [
        [f"j{i}", f"j{i}@x.org", "", "", "", "", "", ""] for i in range(rows)
    ]
    with django_assert_num_queries(3):
        importing.preview(staff, JURORS, "j.csv", csv_bytes(juror_data))
