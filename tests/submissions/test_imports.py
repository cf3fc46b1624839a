"""The pure side of the bulk import: reading CSV and XLSX, checking rows, planning each row's fate
against plain records. No database here."""

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from submissions.demo.cities import MEMBERS
from submissions.import_tables import plan_file
from submissions.imports import (
    MAX_BYTES,
    ImportFileError,
    Stored,
    fold_name,
)


def csv_bytes(rows, delimiter=",", encoding="utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


MEMBER_HEADER = ["name", "city", "country", "region", "dues_paid_through"]
CITIES = [MEMBER_HEADER] + [[n, c, co, r, 2014] for n, c, co, r in MEMBERS]


def stored_members(rows) -> Stored:
    return Stored(
        organizations={
            fold_name(name): {
                "name": name,
                "city": city,
                "country": country,
                "region": region,
                "kind": "member",
                "dues_paid_through": int(dues) if dues else None,
            }
            for name, city, country, region, dues in rows
        }
    )


def fates(plan) -> list[str]:
    return [row.fate for row in plan.rows]


def reasons(plan, line) -> list[str]:
    return [p.message for row in plan.rows if row.line == line for p in row.problems]


# --- the 136 members, as CSV and XLSX ---


def test_the_136_member_cities_are_all_new_then_all_unchanged_on_re_import():
    data = csv_bytes(CITIES)
    first = plan_file("members", "members.csv", data, Stored())
    assert first.counts() == {"new": 136, "updated": 0, "unchanged": 0, "refused": 0}
    assert first.rows[0].values == {
        "name": "Barcelona",
        "city": "Barcelona",
        "country": "Spain",
        "region": "europe",
        "dues_paid_through": 2014,
    }
    again = plan_file("members", "members.csv", data, stored_members(CITIES[1:]))
    assert again.counts()["unchanged"] == 136 and again.writes == 0


def test_an_xlsx_workbook_reads_like_the_csv_numbers_included():
    from_csv = plan_file("members", "m.csv", csv_bytes(CITIES), Stored())
    from_xlsx = plan_file("members", "m.xlsx", xlsx_bytes(CITIES), Stored())
    assert [r.values for r in from_xlsx.rows] == [r.values for r in from_csv.rows]
    assert from_xlsx.digest() == from_csv.digest()


def test_excel_habits_are_understood_semicolons_a_bom_and_spelled_out_headers():
    data = "\ufeffName;City;Country;Region;Dues paid through\n".encode() + (
        "Medellín;Medellín;Colombia;Latin America & Caribbean;2013\n".encode()
    )
    plan = plan_file("members", "members.csv", data, Stored())
    assert fates(plan) == ["new"]
    assert plan.rows[0].values["region"] == "latin_america"
    assert plan.rows[0].values["dues_paid_through"] == 2013


# --- the file as a whole ---


@pytest.mark.parametrize(
    ("name", "data", "code", "words"),
    [
        ("m.csv", b"name,city\nA,B\n", "missing_columns", "Columns missing: country, region"),
        (
            "m.csv",
            b"name,city,country,region,contry\nA,B,C,europe,D\n",
            "unknown_columns",
            "not known for this import: contry",
        ),
        ("m.csv", b"Barcelona,Barcelona,Spain,europe\n", "no_header", "first line must name"),
        ("m.csv", b"name,city,country,region\n", "no_rows", "holds no row"),
        (
            "m.csv",
            "name,city,country,region\nMálaga,M,S,europe\n".encode("latin-1"),
            "encoding",
            "not in UTF-8",
        ),
        ("m.csv", "name\n".encode("utf-16"), "encoding", "not in UTF-8"),
        ("m.pdf", b"%PDF-1.4 not a table", "not_a_table", "not a CSV or XLSX"),
        ("m.xls", b"\xd0\xcf\x11\xe0 old excel", "not_a_table", "not a CSV or XLSX"),
        ("m.xlsx", b"PK\x03\x04 broken zip", "not_a_table", "not a CSV or XLSX"),
        ("m.csv", b"", "empty", "empty"),
        ("m.csv", b"a" * (MAX_BYTES + 1), "too_large", "up to 1.0 MB"),
    ],
)
def test_a_file_that_cannot_be_imported_is_refused_as_a_whole_in_plain_words(
    name, data, code, words
):
    with pytest.raises(ImportFileError) as refused:
        plan_file("members", name, data, Stored())
    assert refused.value.code == code
    assert words in refused.value.problem.message


def test_a_zip_named_csv_is_not_read_as_text():
    with pytest.raises(ImportFileError) as refused:
        plan_file("members", "members.csv", xlsx_bytes(CITIES), Stored())
    assert refused.value.code == "not_a_table"


def test_the_kind_must_be_one_of_the_three():
    with pytest.raises(ImportFileError) as refused:
        plan_file("organizers", "m.csv", csv_bytes(CITIES), Stored())
    assert refused.value.code == "unknown_kind"


# --- each row's fate ---


def test_each_refused_row_says_why_and_the_others_still_count():
    rows = [
        MEMBER_HEADER,
        ["Lagos", "Lagos", "Nigeria", "africa", "2014"],
        ["Atlantis", "", "Nowhere", "Mars", "20x"],
        ["lagos", "Lagos", "Nigeria", "africa", "2014"],
    ]
    plan = plan_file("members", "m.csv", csv_bytes(rows), Stored())
    assert fates(plan) == ["new", "refused", "refused"]
    assert reasons(plan, 3) == [
        "city is empty.",
        "Unknown region “Mars”; use one of: africa, asia_pacific, europe, latin_america, "
        "middle_east, north_america.",
        "dues_paid_through must be a year such as 2014, not “20x”.",
    ]
    assert reasons(plan, 4) == [
        "This row repeats lagos, already on line 2; only the first one counts."
    ]
    assert plan.writes == 1


def test_a_changed_cell_updates_and_an_empty_cell_keeps_what_is_stored():
    stored = stored_members([("Seoul", "Seoul", "South Korea", "asia_pacific", "2013")])
    rows = [MEMBER_HEADER, ["SEOUL", "Seoul", "South Korea", "asia_pacific", "2014"]]
    plan = plan_file("members", "m.csv", csv_bytes(rows), stored)
    (row,) = plan.rows
    assert row.fate == "updated"
    assert [(c.column, c.old, c.new) for c in row.changes] == [
        ("dues_paid_through", "2013", "2014")
    ]
    assert row.values["key"] == "Seoul"  # the stored spelling is kept
    blank = [MEMBER_HEADER, ["Seoul", "Seoul", "South Korea", "asia_pacific", ""]]
    assert fates(plan_file("members", "m.csv", csv_bytes(blank), stored)) == ["unchanged"]


def test_the_digest_follows_what_would_be_written():
    data = csv_bytes(CITIES[:3])
    empty = plan_file("members", "m.csv", data, Stored())
    assert empty.digest() == plan_file("members", "m.csv", data, Stored()).digest()
    one_known = stored_members([CITIES[1]])
    assert plan_file("members", "m.csv", data, one_known).digest() != empty.digest()


CONTACT_HEADER = ["username", "email", "organization", "first_name", "last_name"]


def account(username, role="city_contact", manageable=True, **fields) -> dict:
    return {
        "username": username,
        "email": f"{username}@example.org",
        "first_name": "",
        "last_name": "",
        "role": role,
        "manageable": manageable,
        "organization": "",
        "affiliation": "",
        "city": "",
        "country": "",
        **fields,
    }


def test_contacts_name_their_member_and_never_touch_another_role_or_the_secretariat():
    stored = stored_members([("Dakar", "Dakar", "Senegal", "africa", "2014")])
    stored.accounts = {
        "juror1": account("juror1", role="juror"),
        "boss": account("boss", role="city_contact", manageable=False),
        "dakar": account("dakar", organization="Dakar"),
    }
    rows = [
        CONTACT_HEADER,
        ["awa", "awa@dakar.sn", "dakar", "Awa", "Ndiaye"],
        ["moussa", "moussa@", "Dakkar", "", ""],
        ["juror1", "j@example.org", "Dakar", "", ""],
        ["boss", "boss@example.org", "Dakar", "", ""],
        ["Dakar", "dakar@example.org", "Dakar", "", "Sow"],
        ["bad name!", "x@example.org", "Dakar", "", ""],
    ]
    plan = plan_file("contacts", "c.csv", csv_bytes(rows), stored)
    assert fates(plan) == ["new", "refused", "refused", "refused", "updated", "refused"]
    assert plan.rows[0].values["organization"] == "Dakar"  # matched whatever the case
    assert reasons(plan, 3) == [
        "“moussa@” is not an email address.",
        "No member is named “Dakkar”; import the members first.",
    ]
    assert "exists with another role (juror)" in reasons(plan, 4)[0]
    assert "belongs to the secretariat" in reasons(plan, 5)[0]
    assert [(c.column, c.new) for c in plan.rows[4].changes] == [("last_name", "Sow")]
    assert "may hold only letters" in reasons(plan, 7)[0]


JUROR_HEADER = ["username", "email", "affiliation", "city", "country", "call", "expertise"]


def test_jurors_get_a_profile_and_a_seat_with_expertise_among_the_calls_themes():
    stored = Stored(
        calls={"award-2027": ["Governance", "Social inclusion"]},
        accounts={"ana": account("ana", role="juror", city="Lisbon", country="Portugal")},
        seats={("ana", "award-2027"): ["Governance"]},
    )
    rows = [
        JUROR_HEADER,
        [
            "li",
            "li@example.org",
            "Tsinghua",
            "Beijing",
            "China",
            "award-2027",
            "governance; Social Inclusion",
        ],
        ["ana", "ana@example.org", "", "Lisbon", "Portugal", "award-2027", "Social inclusion"],
        ["ana2", "a2@example.org", "", "", "", "award-1999", ""],
        ["ana3", "a3@example.org", "", "", "", "award-2027", "Transport"],
        ["ana4", "a4@example.org", "", "", "", "", "Governance"],
        ["ana", "ana@example.org", "", "Lisbon", "Portugal", "award-2027", ""],
    ]
    plan = plan_file("jurors", "j.xlsx", xlsx_bytes(rows), stored)
    assert fates(plan) == ["new", "updated", "refused", "refused", "refused", "refused"]
    assert plan.rows[0].values["expertise"] == ["Governance", "Social inclusion"]
    assert [(c.column, c.old, c.new) for c in plan.rows[1].changes] == [
        ("jury:award-2027", "Governance", "Social inclusion")
    ]
    assert reasons(plan, 4) == ["No call has the short name “award-1999”."]
    assert reasons(plan, 5) == [
        "“Transport” is not a theme of award-2027; its themes are: Governance, Social inclusion."
    ]
    assert reasons(plan, 6) == ["Expertise is given per call: fill in the call column too."]
    # Alone, the last row (no expertise given) keeps the seat as it is.
    alone = plan_file("jurors", "j.csv", csv_bytes([JUROR_HEADER, rows[6]]), stored)
    assert fates(alone) == ["unchanged"]


names = st.text(
    alphabet=st.characters(whitelist_categories=("Lu", "Ll", "Nd"), max_codepoint=0x2FF),
    min_size=1,
    max_size=30,
)


@settings(max_examples=60, deadline=None)
@given(st.lists(names, min_size=1, max_size=25, unique_by=fold_name))
def test_a_file_planned_against_what_it_would_write_is_all_unchanged(member_names):
    rows = [MEMBER_HEADER] + [[n, n, "Country", "europe", "2014"] for n in member_names]
    data = csv_bytes(rows)
    first = plan_file("members", "m.csv", data, Stored())
    assert first.counts()["new"] == len(member_names)
    written = stored_members(
        [
            (
                r.values["name"],
                r.values["city"],
                r.values["country"],
                r.values["region"],
                r.values["dues_paid_through"],
            )
            for r in first.rows
        ]
    )
    again = plan_file("members", "m.csv", data, written)
    assert again.counts()["unchanged"] == len(member_names)
