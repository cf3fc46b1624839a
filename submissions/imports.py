"""Bulk import of members, city contacts and jurors from a CSV or XLSX file: pure reading,
checking and planning, with no Django in sight.

`submissions.import_tables` turns the bytes of a file into rows of text (or refuses the file as
a whole); `plan_import` checks each row and compares it with what is stored (given as plain
records), and says what would become of it: new, updated, unchanged, or refused and why. Nothing
is written here: the services (submissions/importing.py, jury/importing.py) write a plan in one
transaction.

Every problem is a code with parameters; MESSAGES words it in English once, and the edges (the
pages, the API) translate that sentence into the reader's language.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field

MAX_BYTES = 1024 * 1024  # 136 members fit in 8 kB: a megabyte is a mistake, not a list
MAX_ROWS = 2000
MAX_UNPACKED_BYTES = 20 * 1024 * 1024  # an XLSX is a zip: refuse one that unpacks into a bomb
KINDS = ("members", "contacts", "jurors")

NEW, UPDATED, UNCHANGED, REFUSED = "new", "updated", "unchanged", "refused"
FATES = (NEW, UPDATED, UNCHANGED, REFUSED)

# One English sentence per code; the pages and the API translate it (locale/*/django.po).
MESSAGES = {
    # the file as a whole
    "too_large": "The file is %(size)s; an import takes files up to %(limit)s.",
    "empty": "The file is empty.",
    "not_a_table": (
        "This file is not a CSV or XLSX table. Save the spreadsheet as CSV UTF-8 (.csv) or as "
        "an Excel workbook (.xlsx), then import it again."
    ),
    "encoding": (
        "The file is not in UTF-8. In Excel choose “CSV UTF-8”, in LibreOffice the character "
        "set “Unicode (UTF-8)”, then import it again."
    ),
    "no_header": "The first line must name the columns: %(expected)s.",
    "missing_columns": "Columns missing: %(columns)s. The first line must name: %(expected)s.",
    "unknown_columns": (
        "Columns not known for this import: %(columns)s. Possible columns: %(expected)s."
    ),
    "duplicate_columns": "A column is named twice: %(columns)s.",
    "no_rows": "The file names the columns but holds no row below them.",
    "too_many_rows": "The file has %(rows)s rows; an import takes at most %(limit)s.",
    "unknown_kind": "Choose what the file holds: members, contacts or jurors.",
    # one row
    "required": "%(column)s is empty.",
    "too_long": "%(column)s is longer than %(limit)s characters.",
    "unknown_region": "Unknown region “%(value)s”; use one of: %(choices)s.",
    "unknown_member_kind": "Unknown kind “%(value)s”; use member or partner.",
    "bad_year": "%(column)s must be a year such as 2014, not “%(value)s”.",
    "bad_username": (
        "The user name “%(value)s” may hold only letters, digits and the signs . @ + - _."
    ),
    "bad_email": "“%(value)s” is not an email address.",
    "unknown_organization": "No member is named “%(value)s”; import the members first.",
    "unknown_call": "No call has the short name “%(value)s”.",
    "unknown_theme": "“%(value)s” is not a theme of %(call)s; its themes are: %(choices)s.",
    "expertise_without_call": "Expertise is given per call: fill in the call column too.",
    "duplicate": "This row repeats %(key)s, already on line %(line)s; only the first one counts.",
    "other_role": (
        "The account %(key)s exists with another role (%(role)s); an import never changes a role."
    ),
    "privileged": "The account %(key)s belongs to the secretariat; an import never changes it.",
}

REGIONS = {
    "africa": "Africa",
    "asia_pacific": "Asia-Pacific",
    "europe": "Europe",
    "latin_america": "Latin America & Caribbean",
    "middle_east": "Middle East",
    "north_america": "North America",
}
MEMBER_KINDS = ("member", "partner")
USERNAME = re.compile(r"^[\w.@+-]+\Z")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+\Z")


@dataclass(frozen=True)
class Problem:
    code: str
    params: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        return MESSAGES[self.code] % self.params


class ImportFileError(Exception):
    """The file as a whole cannot be imported: nothing of it is read further."""

    def __init__(self, code: str, **params):
        self.problem = Problem(code, params)
        super().__init__(self.problem.message)

    @property
    def code(self) -> str:
        return self.problem.code


@dataclass(frozen=True)
class Spec:
    key: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    limits: Mapping[str, int]

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


SPECS = {
    "members": Spec(
        key="name",
        required=("name", "city", "country", "region"),
        optional=("kind", "dues_paid_through"),
        limits={"name": 200, "city": 120, "country": 120},
    ),
    "contacts": Spec(
        key="username",
        required=("username", "email", "organization"),
        optional=("first_name", "last_name"),
        limits={"username": 150, "email": 254, "first_name": 150, "last_name": 150},
    ),
    "jurors": Spec(
        key="username",
        required=("username", "email"),
        optional=("first_name", "last_name", "affiliation", "city", "country", "call", "expertise"),
        limits={
            "username": 150,
            "email": 254,
            "first_name": 150,
            "last_name": 150,
            "affiliation": 200,
            "city": 120,
            "country": 120,
        },
    ),
}


@dataclass
class Change:
    column: str
    old: str
    new: str


@dataclass
class RowPlan:
    line: int
    key: str
    fate: str
    values: dict = field(default_factory=dict)  # the cleaned values to write
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Plan:
    kind: str
    rows: list[RowPlan]

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(FATES, 0)
        for row in self.rows:
            counts[row.fate] += 1
        return counts

    @property
    def writes(self) -> int:
        return sum(1 for row in self.rows if row.fate in (NEW, UPDATED))

    def digest(self) -> str:
        """A fingerprint of what applying would write: applied only if it still holds."""
        rows = [
            (r.line, r.key, r.fate, r.values, [asdict(c) for c in r.changes]) for r in self.rows
        ]
        text = json.dumps([self.kind, rows], sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()


# --- checking one row ---------------------------------------------------------------------------


def _folded(text: str) -> str:
    """Case, accents, spaces and signs set aside: 'Latin America & Caribbean' ~ 'latin_america'."""
    plain = unicodedata.normalize("NFD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]", "", plain.casefold())


def fold_name(text: str) -> str:
    """How a member's name is matched: 'Medellin' finds 'Medellín', 'SEOUL' finds 'Seoul'."""
    return _folded(text)


_REGION_NAMES = {
    **{_folded(code): code for code in REGIONS},
    **{_folded(name): code for code, name in REGIONS.items()},
    _folded("Latin America"): "latin_america",
    _folded("Asia Pacific"): "asia_pacific",
}


def _check_texts(spec: Spec, cells: dict[str, str], problems: list[Problem]) -> None:
    for name in spec.required:
        if not cells.get(name):
            problems.append(Problem("required", {"column": name}))
    for name, limit in spec.limits.items():
        if len(cells.get(name, "")) > limit:
            problems.append(Problem("too_long", {"column": name, "limit": limit}))


def clean_member(cells: dict[str, str], problems: list[Problem]) -> dict:
    values = {name: cells[name] for name in ("name", "city", "country") if cells.get(name)}
    region = cells.get("region", "")
    if region:
        code = _REGION_NAMES.get(_folded(region))
        if code is None:
            choices = ", ".join(REGIONS)
            problems.append(Problem("unknown_region", {"value": region, "choices": choices}))
        else:
            values["region"] = code
    kind = cells.get("kind", "")
    if kind:
        if kind.casefold() not in MEMBER_KINDS:
            problems.append(Problem("unknown_member_kind", {"value": kind}))
        else:
            values["kind"] = kind.casefold()
    year = cells.get("dues_paid_through", "")
    if year:
        if not re.fullmatch(r"\d{4}(\.0+)?", year) or not 1900 <= int(float(year)) <= 2100:
            problems.append(Problem("bad_year", {"column": "dues_paid_through", "value": year}))
        else:
            values["dues_paid_through"] = int(float(year))
    return values


def _clean_account(cells: dict[str, str], problems: list[Problem], names: Iterable[str]) -> dict:
    values = {name: cells[name] for name in names if cells.get(name)}
    username = cells.get("username", "")
    if username and not USERNAME.match(username):
        problems.append(Problem("bad_username", {"value": username}))
    email = cells.get("email", "")
    if email and not EMAIL.match(email):
        problems.append(Problem("bad_email", {"value": email}))
    return values


def clean_contact(
    cells: dict[str, str], problems: list[Problem], organizations: Mapping[str, str]
) -> dict:
    values = _clean_account(cells, problems, ("username", "email", "first_name", "last_name"))
    organization = cells.get("organization", "")
    if organization:
        found = organizations.get(_folded(organization))
        if found is None:
            problems.append(Problem("unknown_organization", {"value": organization}))
        else:
            values["organization"] = found
    return values


def clean_juror(
    cells: dict[str, str], problems: list[Problem], calls: Mapping[str, list[str]]
) -> dict:
    names = ("username", "email", "first_name", "last_name", "affiliation", "city", "country")
    values = _clean_account(cells, problems, names)
    slug, expertise = cells.get("call", ""), cells.get("expertise", "")
    themes = [t.strip() for t in re.split(r"[;|]", expertise) if t.strip()]
    if slug:
        if slug not in calls:
            problems.append(Problem("unknown_call", {"value": slug}))
            return values
        by_fold = {_folded(theme): theme for theme in calls[slug]}
        chosen = []
        for theme in themes:
            if _folded(theme) not in by_fold:
                choices = ", ".join(calls[slug])
                problems.append(
                    Problem("unknown_theme", {"value": theme, "call": slug, "choices": choices})
                )
            elif by_fold[_folded(theme)] not in chosen:
                chosen.append(by_fold[_folded(theme)])
        values["call"] = slug
        values["expertise"] = chosen
    elif themes:
        problems.append(Problem("expertise_without_call"))
    return values


# --- what is stored, and the plan ---------------------------------------------------------------


@dataclass
class Stored:
    """What the database holds, as plain records keyed by the import's key (folded).

    organizations: {folded name: {name, city, country, region, kind, dues_paid_through}}
    accounts: {folded username: {username, email, first_name, last_name, role, manageable,
               organization (name or ""), affiliation, city, country}}
    calls: {slug: [themes]}; seats: {(folded username, slug): [expertise]}
    """

    organizations: dict[str, dict] = field(default_factory=dict)
    accounts: dict[str, dict] = field(default_factory=dict)
    calls: dict[str, list[str]] = field(default_factory=dict)
    seats: dict[tuple[str, str], list[str]] = field(default_factory=dict)


ROLE_OF_KIND = {"contacts": "city_contact", "jurors": "juror"}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(value)
    return str(value)


def _changes(values: dict, current: dict, columns: Iterable[str]) -> list[Change]:
    """The columns whose (non-empty) value differs from what is stored. An empty cell leaves
    the stored value as it is: an import adds and corrects, it never erases."""
    return [
        Change(name, _text(current.get(name)), _text(values[name]))
        for name in columns
        if name in values and values[name] != current.get(name)
    ]


def plan_import(kind: str, rows: list[tuple[int, dict[str, str]]], stored: Stored) -> Plan:
    spec = SPECS[kind]
    organizations = {key: record["name"] for key, record in stored.organizations.items()}
    seen: dict[str, int] = {}
    plans = []
    for line, cells in rows:
        problems: list[Problem] = []
        _check_texts(spec, cells, problems)
        if kind == "members":
            values = clean_member(cells, problems)
        elif kind == "contacts":
            values = clean_contact(cells, problems, organizations)
        else:
            values = clean_juror(cells, problems, stored.calls)
        key_text = cells.get(spec.key, "")
        key = _folded(key_text) if kind == "members" else key_text.casefold()
        if key and key in seen:
            problems.append(Problem("duplicate", {"key": key_text, "line": seen[key]}))
        elif key and not problems:  # a refused row does not hold its key for a later one
            seen[key] = line
        plans.append(_fate(kind, line, key_text, key, values, problems, stored))
    return Plan(kind=kind, rows=plans)


def _fate(kind, line, key_text, key, values, problems, stored: Stored) -> RowPlan:
    if kind == "members":
        current = stored.organizations.get(key)
        columns = ("city", "country", "region", "kind", "dues_paid_through")
    else:
        current = stored.accounts.get(key)
        columns = ("email", "first_name", "last_name")
        columns += ("organization",) if kind == "contacts" else ("affiliation", "city", "country")
        if current is not None and not problems:
            if current["role"] != ROLE_OF_KIND[kind]:
                problems.append(Problem("other_role", {"key": key_text, "role": current["role"]}))
            elif not current["manageable"]:
                problems.append(Problem("privileged", {"key": key_text}))
    if problems:
        return RowPlan(line, key_text, REFUSED, problems=problems)
    if current is None:
        return RowPlan(line, key_text, NEW, values=values)
    changes = _changes(values, current, columns)
    if kind == "jurors" and values.get("call"):
        seat = stored.seats.get((key, values["call"]))
        if values["expertise"] == [] and seat is not None:  # an empty cell keeps the seat's
            values = {**values, "expertise": seat}
        if seat is None or sorted(seat) != sorted(values["expertise"]):
            old = "—" if seat is None else _text(seat) or "—"
            changes.append(Change(f"jury:{values['call']}", old, _text(values["expertise"]) or "—"))
    # The stored spelling of the key stays: "Barcelona" in the file updates "barcelona".
    values = {**values, "key": current.get("username") or current.get("name")}
    return RowPlan(line, key_text, UPDATED if changes else UNCHANGED, values, changes)
