"""Every API operation of the OpenAPI schema, for every role, against one table.

The table says which status each role gets; a role that must not see city A's entry never
finds its title in the answer, whether list, count, export, report or file. An operation
that the schema gains without a row here fails the test, so nothing is left unchecked.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from jury.models import Assignment, Conflict
from scoring.models import Score, ScoreSheet
from scoring.results import release
from tests.factories import (
    AttachmentFactory,
    AuditEventFactory,
    BoardFactory,
    CityContactFactory,
    ConflictFactory,
    JurorFactory,
    OrganizationFactory,
    pdf_bytes,
)
from tests.support.clients import client_for
from tests.worlds import JudgedCall

ROLES = (
    "anonymous",
    "city_a",
    "city_b",
    "juror",
    "conflicted_juror",
    "chair",
    "conflicted_chair",
    "board",
    "board_released",
    "staff",
)
# Roles that must never learn anything of city A's entry.
SHUT_OUT = ("anonymous", "city_b", "conflicted_juror", "conflicted_chair", "board")
# In a blind call only the secretariat (and city A itself) may learn who submitted entry A:
# its organization, city or country, in any case, with or without accents.
BLIND_ENTRANT = {"name": "Ajuntament de Medellín", "city": "Medellín", "country": "Colombia"}
BLIND_TEXTS = {
    "summary": "Metrocable lines for the hillside barrios of MEDELLÍN, Colombia.",
    "description": "Medellin's cable cars, built with the Colombian state.",
    "answers": {"Medellín partners": "Empresas de Medellin", "budget": "12 M"},
}
BLIND_SECRETS = ("ajuntament", "medellín", "medellin", "colombia")
UNBLINDED = ("city_a", "staff")
SECRET_TITLE = "Entry A protected title"
SECRET_FILE = "entry-a-secret-annex.pdf"

AUTH = ROLES[1:]
JURY = ("juror", "conflicted_juror", "chair", "conflicted_chair")
MANAGERS = ("chair", "conflicted_chair", "staff")
SEES_A = ("city_a", "juror", "chair", "staff")


def only(ok: int, *roles: str, others: int = 403, anonymous: int = 403) -> dict[str, int]:
    table = {role: others for role in ROLES}
    table.update(dict.fromkeys(roles, ok))
    table["anonymous"] = anonymous
    return table


def entry_a(ok_status: dict[str, int] | int, hidden: int = 404) -> dict[str, int]:
    """An operation on city A's entry: the roles that see it get `ok_status`, others 404."""
    table = {role: hidden for role in ROLES}
    table.update(ok_status if isinstance(ok_status, dict) else dict.fromkeys(SEES_A, ok_status))
    table["anonymous"] = 403
    return table


def everyone(status: int = 200) -> dict[str, int]:
    return only(status, *AUTH)


@dataclass
class Op:
    expected: dict[str, int]
    body: dict | None = None
    format: str = "json"


# Path templates use the world's names in braces, filled in by World.path().
TABLE: dict[tuple[str, str], Op] = {
    ("GET", "/api/v1/me/"): Op(everyone()),
    ("POST", "/api/v1/auth/token/"): Op(
        {role: 400 for role in ROLES}, {"username": "nobody", "password": "wrong"}
    ),
    # members
    ("GET", "/api/v1/organizations/"): Op(only(200, "staff")),
    ("POST", "/api/v1/organizations/"): Op(
        only(201, "staff"),
        {
            "name": "Lagos",
            "kind": "member",
            "city": "Lagos",
            "country": "Nigeria",
            "region": "africa",
            "dues_paid_through": 2014,
        },
    ),
    ("GET", "/api/v1/organizations/{org_a}/"): Op(only(200, "staff")),
    ("PUT", "/api/v1/organizations/{org_a}/"): Op(
        only(200, "staff"),
        {
            "name": "City A",
            "kind": "member",
            "city": "A",
            "country": "X",
            "region": "europe",
            "dues_paid_through": 2015,
        },
    ),
    ("PATCH", "/api/v1/organizations/{org_a}/"): Op(
        only(200, "staff"), {"dues_paid_through": 2015}
    ),
    ("DELETE", "/api/v1/organizations/{org_a}/"): Op(only(409, "staff")),
    ("GET", "/api/v1/users/"): Op(only(200, "staff")),
    ("POST", "/api/v1/users/"): Op(
        only(201, "staff"),
        {
            "username": "newjuror",
            "email": "n@example.org",
            "role": "juror",
            "password": "Hyderabad-2014!",
        },
    ),
    ("GET", "/api/v1/users/{user_a}/"): Op(only(200, "staff")),
    ("PUT", "/api/v1/users/{user_a}/"): Op(
        only(200, "staff"),
        {
            "username": "city-a",
            "email": "a@example.org",
            "role": "city_contact",
            "organization": "{org_a}",
            "is_active": True,
        },
    ),
    ("PATCH", "/api/v1/users/{user_a}/"): Op(only(200, "staff"), {"first_name": "A"}),
    ("POST", "/api/v1/users/{user_a}/invite/"): Op(only(204, "staff")),
    ("POST", "/api/v1/users/{user_a}/set-password/"): Op(
        only(204, "staff"), {"password": "Another-2014!"}
    ),
    # bulk import (a PDF is not a table: the secretariat hears why, nobody else gets that far)
    ("POST", "/api/v1/imports/{kind}/preview/"): Op(
        only(415, "staff"), {"file": "PDF"}, format="multipart"
    ),
    ("POST", "/api/v1/imports/{kind}/apply/"): Op(
        only(415, "staff"), {"file": "PDF"}, format="multipart"
    ),
    ("GET", "/api/v1/audit/"): Op(only(200, "staff")),
    ("GET", "/api/v1/audit/{audit_event}/"): Op(only(200, "staff")),
    # calls
    ("GET", "/api/v1/calls/"): Op(everyone()),
    ("POST", "/api/v1/calls/"): Op(
        only(201, "staff"),
        {
            "slug": "new-call",
            "kind": "award",
            "title": "New",
            "opens_at": "2030-01-01T00:00:00Z",
            "deadline": "2030-03-01T00:00:00Z",
            "timezone": "Europe/Madrid",
        },
    ),
    ("GET", "/api/v1/calls/{call}/"): Op(everyone()),
    ("PUT", "/api/v1/calls/{call}/"): Op(
        only(200, "staff"),
        {
            "slug": "{call}",
            "kind": "award",
            "title": "Renamed",
            "opens_at": "2020-01-01T00:00:00Z",
            "timezone": "Europe/Madrid",
        },
    ),
    ("PATCH", "/api/v1/calls/{call}/"): Op(only(200, "staff"), {"title": "Renamed"}),
    ("POST", "/api/v1/calls/{call}/extend-deadline/"): Op(
        only(201, "staff"), {"deadline": "2031-01-01T00:00:00Z", "reason": "More time"}
    ),
    ("GET", "/api/v1/calls/{call}/deadline-history/"): Op(everyone()),
    # entries and files
    ("GET", "/api/v1/submissions/"): Op(everyone()),
    ("POST", "/api/v1/submissions/"): Op(
        only(201, "city_a", "city_b", "staff"),
        {
            "call": "{call}",
            "organization": "{org_a}",
            "title": "Another",
            "summary": "s",
            "description": "d",
            "theme": "Governance",
        },
    ),
    ("GET", "/api/v1/submissions/{entry_a}/"): Op(entry_a(200)),
    ("PUT", "/api/v1/submissions/{entry_a}/"): Op(
        entry_a({"city_a": 409, "staff": 409, "juror": 403, "chair": 403}),
        {
            "title": "Changed",
            "summary": "s",
            "description": "d",
            "theme": "Governance",
            "answers": {},
        },
    ),
    ("PATCH", "/api/v1/submissions/{entry_a}/"): Op(
        entry_a({"city_a": 409, "staff": 409, "juror": 403, "chair": 403}), {"title": "Changed"}
    ),
    ("POST", "/api/v1/submissions/{entry_a}/submit/"): Op(
        entry_a({"city_a": 409, "staff": 409, "juror": 403, "chair": 403})
    ),
    ("POST", "/api/v1/submissions/{entry_a}/withdraw/"): Op(
        entry_a({"city_a": 409, "staff": 409, "juror": 403, "chair": 403}), {"reason": "x"}
    ),
    ("POST", "/api/v1/submissions/{entry_a}/eligibility/"): Op(
        only(200, "staff"), {"eligible": True}
    ),
    ("GET", "/api/v1/submissions/{entry_a}/receipt/"): Op(entry_a(200)),
    ("GET", "/api/v1/submissions/{entry_a}/attachments/"): Op(entry_a(200)),
    ("POST", "/api/v1/submissions/{entry_a}/attachments/"): Op(
        entry_a({"city_a": 409, "staff": 409, "juror": 403, "chair": 403}),
        {"file": "PDF", "kind": "annex"},
        format="multipart",
    ),
    ("POST", "/api/v1/submissions/{entry_a}/attachments/uploads/"): Op(
        entry_a({"city_a": 409, "staff": 409, "juror": 403, "chair": 403}),
        {"filename": "a.pdf", "content_type": "application/pdf", "size": 100, "kind": "x"},
    ),
    ("GET", "/api/v1/attachments/"): Op(everyone()),
    ("GET", "/api/v1/attachments/{file_a}/"): Op(entry_a(200)),
    ("DELETE", "/api/v1/attachments/{file_a}/"): Op(
        entry_a({"city_a": 409, "staff": 409, "juror": 403, "chair": 403})
    ),
    ("POST", "/api/v1/attachments/{file_a}/complete/"): Op(
        entry_a({"city_a": 200, "staff": 200, "juror": 403, "chair": 403})
    ),
    ("GET", "/api/v1/attachments/{file_a}/download/"): Op(entry_a(200)),
    ("GET", "/api/v1/attachments/{file_a}/pdf/"): Op(entry_a(200)),
    # juries
    ("GET", "/api/v1/calls/{call}/jurors/"): Op(only(200, *MANAGERS)),
    ("POST", "/api/v1/calls/{call}/jurors/"): Op(only(201, "staff"), {"juror": "{spare_juror}"}),
    ("GET", "/api/v1/juror/profile/"): Op(everyone()),
    ("GET", "/api/v1/conflicts/"): Op(everyone()),
    ("POST", "/api/v1/conflicts/"): Op(
        {**entry_a({"city_a": 403, "staff": 403, "juror": 201, "chair": 201})},
        {"submission": "{entry_a}", "reason": "I advised them"},
    ),
    ("GET", "/api/v1/conflicts/{conflict_a}/"): Op(
        {**only(404, *AUTH, others=404), "conflicted_juror": 200, "chair": 200, "staff": 200}
    ),
    ("POST", "/api/v1/conflicts/{conflict_a}/dismiss/"): Op(
        only(200, "staff"), {"reason": "Moved away"}
    ),
    ("GET", "/api/v1/calls/{call}/assignments/"): Op(only(200, *MANAGERS)),
    ("POST", "/api/v1/calls/{call}/assignments/"): Op(
        only(201, *MANAGERS), {"submission": "{entry_c}", "juror": "{juror}"}
    ),
    ("POST", "/api/v1/calls/{call}/assignments/auto/"): Op(
        only(200, *MANAGERS), {"reviewers_per_submission": 1, "max_per_juror": 10, "dry_run": True}
    ),
    # The world's sheets leave no entry uncertain at the cut: those who run the jury pass the
    # gate and are told so (400, cut_settled); tests/scoring/test_extra_reviews_api.py plans.
    ("POST", "/api/v1/calls/{call}/rounds/1/extra-reviews/"): Op(
        only(400, *MANAGERS), {"k": 1, "top_n": 1, "dry_run": True}
    ),
    ("DELETE", "/api/v1/assignments/{assignment_a}/"): Op(
        entry_a({"city_a": 403, "juror": 403, "chair": 204, "staff": 204})
    ),
    ("GET", "/api/v1/calls/{call}/progress/"): Op(only(200, *MANAGERS)),
    ("POST", "/api/v1/calls/{call}/messages/"): Op(
        only(200, "staff"),
        {"audience": "jurors", "subject": "Meeting", "body": "On 2 June.", "dry_run": True},
    ),
    ("GET", "/api/v1/juror/assignments/"): Op(everyone()),
    ("GET", "/api/v1/juror/assignments/{assignment_a}/"): Op(only(200, "juror", others=404)),
    ("POST", "/api/v1/juror/assignments/{assignment_a}/decline/"): Op(
        only(200, "juror", others=404), {"reason": "Travelling"}
    ),
    ("POST", "/api/v1/juror/assignments/{assignment_a}/declare-conflict/"): Op(
        only(201, "juror", others=404), {"reason": "Former adviser"}
    ),
    ("GET", "/api/v1/juror/assignments/{assignment_a}/sheet/"): Op(only(200, "juror", others=404)),
    # rounds, rubric, sheets
    ("GET", "/api/v1/calls/{call}/rounds/"): Op(only(200, *JURY, "staff")),
    ("POST", "/api/v1/calls/{call}/rounds/"): Op(
        only(201, "staff"), {"name": "Final", "jury_deadline": "2031-01-01T00:00:00Z"}
    ),
    ("GET", "/api/v1/calls/{call}/rounds/1/"): Op(only(200, *JURY, "staff")),
    ("PATCH", "/api/v1/calls/{call}/rounds/1/"): Op(only(200, "staff"), {"name": "First"}),
    ("GET", "/api/v1/calls/{call}/rubric/"): Op(only(200, *JURY, "staff")),
    ("PUT", "/api/v1/calls/{call}/rubric/"): Op(
        only(409, "staff"),
        {
            "criteria": [
                {
                    "key": "impact",
                    "label": "Impact",
                    "weight": 1,
                    "min_value": 1,
                    "max_value": 10,
                    "step": 1,
                }
            ]
        },
    ),
    ("GET", "/api/v1/score-sheets/"): Op(everyone()),
    ("GET", "/api/v1/score-sheets/{sheet_a}/"): Op(
        only(200, "juror", "chair", "staff", others=404)
    ),
    ("PUT", "/api/v1/score-sheets/{sheet_a}/"): Op(
        {**only(404, *AUTH, others=404), "juror": 200, "chair": 403, "staff": 403},
        {
            "scores": [{"criterion": "impact", "value": 7, "comment": ""}],
            "comment": "",
            "version": 1,
        },
    ),
    ("PATCH", "/api/v1/score-sheets/{sheet_a}/"): Op(
        {**only(404, *AUTH, others=404), "juror": 200, "chair": 403, "staff": 403},
        {"comment": "Solid", "version": 1},
    ),
    ("POST", "/api/v1/score-sheets/{sheet_a}/submit/"): Op(
        {**only(404, *AUTH, others=404), "juror": 400, "chair": 403, "staff": 403}, {"version": 1}
    ),
    ("POST", "/api/v1/score-sheets/{sheet_a}/reopen/"): Op(
        {**only(404, *AUTH, others=404), "juror": 403, "chair": 409, "staff": 409},
        {"reason": "Check", "version": 1},
    ),
    ("GET", "/api/v1/score-sheets/{sheet_a}/history/"): Op(
        only(200, "juror", "chair", "staff", others=404)
    ),
    ("GET", "/api/v1/score-sheets/{sheet_a}/peers/"): Op(
        {**only(404, *AUTH, others=404), "juror": 403, "chair": 200, "staff": 200}
    ),
    # results
    ("GET", "/api/v1/calls/{call}/results/"): Op(only(200, *MANAGERS, "board_released")),
    ("GET", "/api/v1/calls/{call}/results.csv"): Op(only(200, *MANAGERS, "board_released")),
    ("GET", "/api/v1/calls/{call}/results.xlsx"): Op(only(200, *MANAGERS, "board_released")),
    ("GET", "/api/v1/calls/{call}/report/"): Op(only(200, *MANAGERS, "board_released")),
    ("POST", "/api/v1/calls/{call}/results/release/"): Op(
        {**only(200, "staff"), "board_released": 403}
    ),
    ("POST", "/api/v1/calls/{call}/shortlist/"): Op(
        only(201, "staff"), {"submissions": ["{entry_b}"]}
    ),
    ("GET", "/api/v1/calls/{call}/decisions/"): Op(everyone()),
    ("POST", "/api/v1/calls/{call}/decisions/"): Op(
        {**only(409, "staff", "board_released")},
        {"submission": "{entry_a}", "decision": "awarded", "rationale": "Strong"},
    ),
    # deliberation: entry A's juror has not submitted their sheet (403); conflicted jurors, the
    # conflicted chair and whoever does not see entry A find it missing (404); the Board never
    # sees entry A (not shortlisted); the secretariat reads but does not write.
    ("GET", "/api/v1/calls/{call}/rounds/1/entries/{entry_a}/posts/"): Op(
        entry_a({"city_a": 403, "juror": 403, "chair": 200, "staff": 200})
    ),
    ("POST", "/api/v1/calls/{call}/rounds/1/entries/{entry_a}/posts/"): Op(
        entry_a({"city_a": 403, "juror": 403, "chair": 201, "staff": 403}),
        {"body": "Impact measured on one district only."},
    ),
    ("GET", "/api/v1/calls/{call}/rounds/1/entries/{entry_a}/consensus/"): Op(
        entry_a({"city_a": 403, "juror": 403, "chair": 200, "staff": 200})
    ),
    ("PUT", "/api/v1/calls/{call}/rounds/1/entries/{entry_a}/consensus/"): Op(
        entry_a({"city_a": 403, "juror": 403, "chair": 200, "staff": 403}),
        {"body": "Strong but narrow."},
    ),
    ("GET", "/api/v1/calls/{call}/rounds/1/to-discuss/"): Op(only(200, *MANAGERS)),
}


class World:
    """One open call, judged (tests/worlds.py): city A's entry (with a file), city B's, and a
    spare one; a juror assigned to entry A, jurors and a chair in conflict with it, submitted
    sheets on every entry. In a blind world the call is blind and city A's entry names its city
    and country."""

    def __init__(self, blind: bool = False):
        judged = JudgedCall(
            entries=0,
            jurors=0,
            rubric=[{"key": "impact"}],
            deadline=timezone.now() + timedelta(days=5),
            blind=blind,
        )
        self.call, self.round = judged.call, judged.round
        [criterion] = judged.criteria
        city_a = OrganizationFactory(**BLIND_ENTRANT) if blind else OrganizationFactory()
        self.people = {
            "city_a": CityContactFactory(organization=city_a),
            "city_b": CityContactFactory(),
            "board": judged.board,
            "board_released": BoardFactory(),
            "staff": judged.staff,
        }
        for role in JURY:
            self.people[role] = judged.seat_juror(chair="chair" in role)
        self.entry_a = judged.add_entry(
            organization=city_a, title=SECRET_TITLE, **(BLIND_TEXTS if blind else {})
        )
        self.entry_b = judged.add_entry(organization=self.people["city_b"].organization)
        self.entry_c = judged.add_entry()
        self.file_a = AttachmentFactory(
            submission=self.entry_a, kind="annex", original_name=SECRET_FILE
        )
        juror = self.people["juror"]
        self.assignment_a = Assignment.objects.create(
            round=self.round, submission=self.entry_a, juror=juror
        )
        self.sheet_a = ScoreSheet.objects.create(assignment=self.assignment_a)
        for role in ("conflicted_juror", "conflicted_chair"):
            ConflictFactory(submission=self.entry_a, juror=self.people[role], reason="Own city")
        self.conflict_a = Conflict.objects.get(
            submission=self.entry_a, juror=self.people["conflicted_juror"]
        )
        # Submitted sheets on every entry, so that results have something to rank.
        for entry in (self.entry_a, self.entry_b, self.entry_c):
            for number, role in enumerate(("chair", "conflicted_juror")):
                if entry == self.entry_a and role == "conflicted_juror":
                    continue
                assignment = Assignment.objects.create(
                    round=self.round, submission=entry, juror=self.people[role]
                )
                sheet = ScoreSheet.objects.create(assignment=assignment, status="submitted")
                Score.objects.create(sheet=sheet, criterion=criterion, value=5 + number)
        self.spare_juror = JurorFactory()
        # On the jury, free of any conflict and of any assignment on entry A.
        self.free_juror = judged.seat_juror()
        self.audit_event = AuditEventFactory()

    def ids(self) -> dict[str, str]:
        return {
            "call": self.call.slug,
            "round": self.round.number,
            "entry_a": self.entry_a.pk,
            "entry_b": self.entry_b.pk,
            "entry_c": self.entry_c.pk,
            "file_a": self.file_a.pk,
            "org_a": self.people["city_a"].organization_id,
            "user_a": self.people["city_a"].pk,
            "juror": self.people["juror"].pk,
            "spare_juror": self.spare_juror.pk,
            "free_juror": self.free_juror.pk,
            "conflict_a": self.conflict_a.pk,
            "assignment_a": self.assignment_a.pk,
            "sheet_a": self.sheet_a.pk,
            "audit_event": self.audit_event.pk,
            "kind": "members",
        }

    @property
    def juror_id(self) -> int:
        return self.people["juror"].pk

    def fill(self, value):
        ids = self.ids()
        if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
            return ids[value[1:-1]]
        if isinstance(value, str):
            return value.format(**ids)
        if isinstance(value, dict):
            return {k: self.fill(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.fill(v) for v in value]
        return value

    def client(self, role):
        from rest_framework.test import APIClient

        if role == "anonymous":
            return APIClient()
        if role == "board_released":
            release(self.people["staff"], self.round)
        return client_for(self.people[role])


def _body(op: Op, world: World):
    body = world.fill(op.body) if op.body else None
    if op.format == "multipart" and body:
        body = {**body, "file": SimpleUploadedFile("annex.pdf", pdf_bytes(), "application/pdf")}
    return body


def _content(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def schema_operations() -> set[tuple[str, str]]:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = set()
    for path, operations in schema["paths"].items():
        for method in operations:
            if method in {"get", "post", "put", "patch", "delete"}:
                found.add((method.upper(), path))
    return found


def _template(path: str) -> str:
    """The schema's path with the table's placeholder names."""
    names = {"{id}": None, "{slug}": "{call}", "{submission_pk}": "{entry_a}", "{number}": "1"}
    for key, value in names.items():
        if value is not None:
            path = path.replace(key, value)
    return path


def _schema_path_of(table_path: str, operations: set[tuple[str, str]]) -> str:
    import re

    pattern = re.sub(r"\{[a-z_]+\}", "{x}", table_path).replace("/rounds/1/", "/rounds/{x}/")
    for _, path in operations:
        if re.sub(r"\{[a-z_]+\}", "{x}", path) == pattern:
            return path
    return ""


@pytest.mark.django_db
def test_every_schema_operation_has_a_row_in_the_table():
    operations = schema_operations()
    covered = {(method, _schema_path_of(path, operations)) for method, path in TABLE}
    missing = sorted(operations - covered)
    assert not missing, f"add these operations to the permission table: {missing}"


# Where a blind call answers otherwise: a juror gets no receipt (it names the entrant).
BLIND_STATUS = {("GET", "/api/v1/submissions/{entry_a}/receipt/"): {"juror": 400, "chair": 400}}


def _blind_leaks(role: str, content: bytes) -> list[str]:
    if role in UNBLINDED:
        return []
    from plotly.offline import get_plotlyjs

    if content.startswith(b"PK"):  # an XLSX: read every part of the package
        import io
        import zipfile

        with zipfile.ZipFile(io.BytesIO(content)) as package:
            content = b"".join(package.read(name) for name in package.namelist())
    # The report inlines plotly.js, whose map data names every country: not the entrant's.
    text = content.decode("utf-8", "replace").replace(get_plotlyjs(), "").casefold()
    return [
        f"{role}: the answer names the entrant ({secret})"
        for secret in BLIND_SECRETS
        if secret in text
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("blind", [False, True], ids=["open", "blind"])
@pytest.mark.parametrize(("method", "path"), list(TABLE), ids=[f"{m} {p}" for m, p in TABLE])
def test_each_role_gets_the_expected_status_and_no_protected_data(method, path, blind):
    world = World(blind=blind)
    op = TABLE[(method, path)]
    url = world.fill(path)
    failures = []
    for role in ROLES:
        cache.clear()  # each role starts with no sign-in failures or throttle counts
        with transaction.atomic():
            client = world.client(role)
            response = getattr(client, method.lower())(url, _body(op, world), format=op.format)
            expected = op.expected[role]
            if blind:
                expected = BLIND_STATUS.get((method, path), {}).get(role, expected)
            if blind:
                failures.extend(
                    _blind_leaks(role, _content(response) + str(response.headers).encode())
                )
            if response.status_code != expected:
                detail = (
                    response.content[:200] if not getattr(response, "streaming", False) else b""
                )
                failures.append(f"{role}: {response.status_code} != {expected} {detail!r}")
            if role in SHUT_OUT:
                leak = _content(response) + str(response.headers).encode()
                for secret in (SECRET_TITLE.encode(), SECRET_FILE.encode()):
                    if secret in leak:
                        failures.append(f"{role}: the answer carries {secret!r}")
            transaction.set_rollback(True)
    assert not failures, f"{method} {url}:\n" + "\n".join(failures)


# --- a chair in conflict with entry A (issue 10, item 7) ----------------------------------
#
# The conflicted chair manages the jury, but entry A is, for them, not in the round at all:
# assigning to it answers exactly as an entry that does not exist (never a 201, never the 409
# that says who reviews it), and no plan, count or page of theirs includes it.

ASSIGN = "/api/v1/calls/{call}/assignments/"
CHAIR_CASES: dict[str, Op] = {
    "assign a free juror to entry A": Op(
        {**only(201, "chair", "staff"), "conflicted_chair": 404},
        {"submission": "{entry_a}", "juror": "{free_juror}"},
    ),
    "assign entry A's own juror again": Op(
        {**only(409, "chair", "staff"), "conflicted_chair": 404},
        {"submission": "{entry_a}", "juror": "{juror}"},
    ),
    "assign an entry that does not exist": Op(
        only(404, *MANAGERS), {"submission": 987654, "juror": "{juror}"}
    ),
}


def _error_shape(response) -> tuple:
    error = response.json()["error"]
    return response.status_code, error["code"], sorted(error["fields"])


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(CHAIR_CASES))
def test_a_conflicted_chair_cannot_assign_to_the_conflicted_entry(case):
    world = World()
    op = CHAIR_CASES[case]
    failures = []
    for role in ROLES:
        with transaction.atomic():
            response = world.client(role).post(world.fill(ASSIGN), _body(op, world), format="json")
            if response.status_code != op.expected[role]:
                failures.append(f"{role}: {response.status_code} != {op.expected[role]}")
            if role == "conflicted_chair" and response.status_code == 404:
                missing = world.client(role).post(
                    world.fill(ASSIGN),
                    {"submission": 987654, "juror": world.juror_id},
                    format="json",
                )
                if _error_shape(response) != _error_shape(missing):
                    failures.append(f"{role}: answers unlike a missing entry {response.json()}")
            transaction.set_rollback(True)
    assert not failures, case + ":\n" + "\n".join(failures)


@pytest.mark.django_db
def test_a_conflicted_chairs_plans_counts_and_pages_leave_the_conflicted_entry_out():
    from django.test import Client

    world = World()
    entry_a = world.entry_a.pk
    body = {"reviewers_per_submission": 3, "max_per_juror": 10, "dry_run": True}
    plans = {}
    for role in ("chair", "conflicted_chair"):
        answer = world.client(role).post(world.fill(ASSIGN + "auto/"), body, format="json")
        assert answer.status_code == 200, answer.json()
        plans[role] = [pair["submission"] for pair in answer.json()["new_assignments"]]
    assert entry_a in plans["chair"]  # entry A lacks a third juror: a plan adds one
    assert entry_a not in plans["conflicted_chair"]

    progress = world.client("conflicted_chair").get(world.fill("/api/v1/calls/{call}/progress/"))
    rows = {row["juror"]: row for row in progress.json()["jurors"]}
    assert rows[world.people["juror"].pk]["assigned"] == 0  # entry A is its only assignment

    applied = world.client("conflicted_chair").post(
        world.fill(ASSIGN + "auto/"), {**body, "dry_run": False}, format="json"
    )
    assert applied.status_code == 201
    assert Assignment.objects.filter(submission=world.entry_a).count() == 2  # untouched

    browser = Client()
    browser.force_login(world.people["conflicted_chair"])
    page = browser.post(
        world.fill("/secretariat/calls/{call}/assignment/"),
        {"round": 1, "reviewers_per_submission": 3, "max_per_juror": 10, "apply": "0"},
    )
    html = page.content.decode()
    assert page.status_code == 200 and SECRET_TITLE not in html
    assert f"Entry no. {entry_a} " not in html
    assert page.context["entries"] == 2  # entries B and C: A is not in their round


# --- pages ----------------------------------------------------------------------------------

CITIES = ("city_a", "city_b")
JURORS = ("juror", "conflicted_juror", "chair", "conflicted_chair")
BOARD = ("board", "board_released", "staff")


def page(ok: int, *roles: str, others: int = 403) -> dict[str, int]:
    """Pages send the anonymous visitor to the sign-in page."""
    table = {role: others for role in ROLES}
    table.update(dict.fromkeys(roles, ok))
    table["anonymous"] = 302
    return table


def posted_only() -> dict[str, int]:
    return {role: 405 for role in ROLES}


PAGES: dict[str, dict[str, int]] = {
    "/": {**{role: 302 for role in ROLES}, "anonymous": 200},  # each role to its own pages
    "/city/": page(200, *CITIES),
    "/city/calls/{call}/new/": page(200, *CITIES),
    "/city/entries/{entry_a}/": {**page(200, "city_a"), "city_b": 404},
    "/city/entries/{entry_a}/upload/": posted_only(),
    "/city/entries/{entry_a}/files/{file_a}/remove/": posted_only(),
    "/city/entries/{entry_a}/submit/": {**page(302, "city_a"), "city_b": 404},  # not a draft
    "/city/entries/{entry_a}/receipt/": {**page(200, "city_a"), "city_b": 404},
    "/city/entries/{entry_a}/withdraw/": {**page(200, "city_a"), "city_b": 404},
    "/juror/": page(200, *JURORS),
    "/juror/assignments/{assignment_a}/": {**page(404, *JURORS), "juror": 200},
    "/juror/assignments/{assignment_a}/decline/": posted_only(),
    "/juror/assignments/{assignment_a}/conflict/": posted_only(),
    # Entry A's juror has not submitted their sheet: no peek at the discussion yet.
    "/juror/assignments/{assignment_a}/discussion/": {**page(404, *JURORS), "juror": 403},
    "/secretariat/": page(200, "staff"),
    "/secretariat/reminders/": posted_only(),
    "/secretariat/imports/": page(200, "staff"),
    "/secretariat/imports/apply/": posted_only(),
    "/secretariat/calls/new/": page(200, "staff"),
    "/secretariat/calls/{call}/": page(200, "staff"),
    "/secretariat/calls/{call}/edit/": page(200, "staff"),
    "/secretariat/calls/{call}/extend/": posted_only(),
    "/secretariat/calls/{call}/eligibility/": page(200, "staff"),
    "/secretariat/calls/{call}/assignment/": page(200, "chair", "conflicted_chair", "staff"),
    "/secretariat/calls/{call}/progress/": page(200, "chair", "conflicted_chair", "staff"),
    "/secretariat/calls/{call}/results/": page(200, "staff"),
    "/secretariat/calls/{call}/shortlist/": posted_only(),
    "/secretariat/calls/{call}/release/": posted_only(),
    "/secretariat/calls/{call}/to-discuss/": page(200, "chair", "conflicted_chair", "staff"),
    "/secretariat/calls/{call}/to-discuss/{entry_a}/": {
        **page(200, "chair", "staff"),
        "conflicted_chair": 404,
    },
    "/secretariat/calls/{call}/messages/": page(200, "staff"),
    "/secretariat/calls/{call}/extra-reviews/": page(200, "chair", "conflicted_chair", "staff"),
    "/secretariat/entries/{entry_a}/": page(200, "staff"),
    # The call's set-up: the secretariat's alone (seating, rounds and rubrics are its services').
    "/secretariat/calls/{call}/rounds/new/": page(200, "staff"),
    "/secretariat/calls/{call}/rounds/{round}/": page(200, "staff"),
    "/secretariat/calls/{call}/rounds/{round}/rubric/": page(200, "staff"),
    "/secretariat/calls/{call}/jury/": page(200, "staff"),
    "/secretariat/calls/{call}/jury/chair/": posted_only(),
    "/secretariat/calls/{call}/jury/{juror}/": page(200, "staff"),
    "/secretariat/calls/{call}/jury/{juror}/unseat/": page(200, "staff"),  # a confirmation
    "/board/": page(200, *BOARD),
    "/board/calls/{call}/": page(200, "board_released", "staff"),
    # City A's entry is not shortlisted: even after the release the Board does not open it.
    "/board/calls/{call}/entries/{entry_a}/": {
        **page(200, "staff"),
        "board": 404,
        "board_released": 404,
    },
    "/board/calls/{call}/entries/{entry_a}/decision/": posted_only(),
    # Public: the index of announced calls for everyone; the call is not announced, so its
    # winners page does not exist yet, for anyone.
    "/winners/": {role: 200 for role in ROLES},
    "/winners/{call}/": {role: 404 for role in ROLES},
}


def frontend_routes() -> set[str]:
    import re

    from frontend.urls import urlpatterns

    routes = set()
    for pattern in urlpatterns:
        prefix = str(pattern.pattern)
        for inner in getattr(pattern, "url_patterns", [pattern]):
            route = prefix + (str(inner.pattern) if inner is not pattern else "")
            routes.add("/" + re.sub(r"<[^>]+>", "{x}", route))
    return routes - {"/board/plotly-{x}.min.js"}  # the charting library, public by design


def test_every_page_has_a_row_in_the_table():
    import re

    covered = {re.sub(r"\{[a-z_]+\}", "{x}", path) for path in PAGES}
    missing = sorted(frontend_routes() - covered)
    assert not missing, f"add these pages to the permission table: {missing}"


@pytest.mark.django_db
@pytest.mark.parametrize("blind", [False, True], ids=["open", "blind"])
@pytest.mark.parametrize("path", list(PAGES))
def test_each_role_gets_the_expected_page_and_no_protected_data(path, blind):
    from django.test import Client

    world = World(blind=blind)
    url = world.fill(path)
    failures = []
    for role in ROLES:
        with transaction.atomic():
            browser = Client()
            if role != "anonymous":
                world.client(role)  # the Board's round is released for board_released
                browser.force_login(world.people[role])
            response = browser.get(url)
            if blind:
                failures.extend(_blind_leaks(role, response.content))
            if response.status_code != PAGES[path][role]:
                failures.append(f"{role}: {response.status_code} != {PAGES[path][role]}")
            if role in SHUT_OUT:
                for secret in (SECRET_TITLE.encode(), SECRET_FILE.encode()):
                    if secret in response.content:
                        failures.append(f"{role}: the page carries {secret!r}")
            transaction.set_rollback(True)
    assert not failures, f"GET {url}:\n" + "\n".join(failures)
