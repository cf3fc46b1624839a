"""Issue 10, item 8: in a blind call only the secretariat learns who submitted. Results (JSON,
CSV, XLSX), the Board report and pages, decisions, the assignment preview and the conflicts
list never name the entrant to the chair, a juror or the Board."""

import io
import zipfile

import pytest
from django.test import Client

from jury import services as jury_services
from jury.models import Conflict, JurorProfile
from scoring.results import release
from tests.factories import BoardFactory
from tests.support.clients import client_for
from tests.worlds import JudgedCall

pytestmark = pytest.mark.django_db

SECRETS = ("medellín", "medellin", "colombia", "alcaldía", "alcaldia")


def assert_blind(content: bytes | str, where: str) -> None:
    text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
    from plotly.offline import get_plotlyjs

    text = text.replace(get_plotlyjs(), "").casefold()  # plotly.js names every country
    found = [secret for secret in SECRETS if secret in text]
    assert not found, f"{where} names the entrant: {found}"


@pytest.fixture
def blind():
    scored = JudgedCall.scored()
    scored.call.blind = True
    scored.call.save()
    entry = scored.entries[0]
    organization = entry.organization
    organization.name, organization.city, organization.country = (
        "Alcaldía de Medellín",
        "Medellín",
        "Colombia",
    )
    organization.save()
    entry.title = "Medellin's Metrocable"  # written without the accent
    entry.answers = {"Partners in Medellín": "EPM"}
    entry.save()
    # A juror who lives in Medellin: the automatic conflict (rule "city") must not tell.
    lives_there = scored.jurors[3]
    JurorProfile.objects.filter(user=lives_there).update(city="Medellin")
    jury_services.detect_conflicts(scored.call)
    assert Conflict.objects.filter(juror=lives_there, rule="city").exists()
    scored.lives_there = lives_there
    scored.board = BoardFactory()
    return scored


def _results(client, call, suffix="/"):
    return client.get(f"/api/v1/calls/{call.slug}/results{suffix}")


def test_the_chair_reads_results_exports_and_report_without_the_entrant(blind):
    chair = client_for(blind.chair)
    answer = _results(chair, blind.call)
    assert answer.status_code == 200
    assert_blind(answer.content, "results JSON")
    row = next(r for r in answer.json()["ranking"] if r["submission"] == blind.entries[0].pk)
    assert row["title"] == "[entrant]'s Metrocable" and row["organization"] is None
    assert_blind(_results(chair, blind.call, ".csv").content, "results CSV")
    xlsx = _results(chair, blind.call, ".xlsx").content
    with zipfile.ZipFile(io.BytesIO(xlsx)) as package:
        for name in package.namelist():
            assert_blind(package.read(name), f"results XLSX {name}")
    report = chair.get(f"/api/v1/calls/{blind.call.slug}/report/")
    assert report.status_code == 200
    assert_blind(report.content, "Board report")


def test_the_secretariat_still_sees_who_submitted(blind):
    answer = _results(client_for(blind.staff), blind.call).json()
    row = next(r for r in answer["ranking"] if r["submission"] == blind.entries[0].pk)
    assert row["organization"] == "Alcaldía de Medellín" and "Medellin" in row["title"]


def test_the_board_reads_results_pages_and_decisions_without_the_entrant(blind):
    release(blind.staff, blind.round)
    client_for(blind.staff).post(
        f"/api/v1/calls/{blind.call.slug}/shortlist/",
        {"submissions": [blind.entries[0].pk]},
        format="json",
    )
    board = client_for(blind.board)
    assert_blind(_results(board, blind.call).content, "results JSON for the Board")
    assert_blind(board.get(f"/api/v1/calls/{blind.call.slug}/report/").content, "report")
    decided = board.post(
        f"/api/v1/calls/{blind.call.slug}/decisions/",
        {"submission": blind.entries[0].pk, "decision": "awarded", "rationale": "Strong"},
        format="json",
    )
    assert decided.status_code == 201
    assert_blind(decided.content, "decision")
    assert_blind(board.get(f"/api/v1/calls/{blind.call.slug}/decisions/").content, "decisions")
    pages = Client()
    pages.force_login(blind.board)
    call_page = pages.get(f"/board/calls/{blind.call.slug}/")
    assert call_page.status_code == 200
    assert_blind(call_page.content, "the Board's call page")
    entry_page = pages.get(f"/board/calls/{blind.call.slug}/entries/{blind.entries[0].pk}/")
    assert entry_page.status_code == 200
    assert_blind(entry_page.content, "the Board's entry page")


def test_the_conflicts_list_does_not_say_which_city_links_a_juror_to_an_entry(blind):
    for reader in (blind.chair, blind.lives_there):
        answer = client_for(reader).get(f"/api/v1/conflicts/?call={blind.call.slug}")
        rows = [r for r in answer.json()["results"] if r["juror"] == blind.lives_there.pk]
        assert rows and all(r["rule"] == "undisclosed" for r in rows)
        assert_blind(answer.content, "conflicts")
        assert "city" not in {r["rule"] for r in rows}
    staff = client_for(blind.staff).get(f"/api/v1/conflicts/?call={blind.call.slug}").json()
    assert "city" in {r["rule"] for r in staff["results"]}


def test_the_chairs_assignment_preview_does_not_name_the_entrant(blind):
    from jury.models import Round

    fresh = Round.objects.create(
        call=blind.call, number=2, name="Final", jury_deadline=blind.round.jury_deadline
    )
    fresh.entries.set(blind.entries[:2])
    pages = Client()
    pages.force_login(blind.chair)
    preview = pages.post(
        f"/secretariat/calls/{blind.call.slug}/assignment/",
        {"round": 2, "reviewers_per_submission": 1, "max_per_juror": 5, "apply": "0"},
    )
    assert preview.status_code == 200 and preview.context["plan"]["pairs"]
    assert "[entrant]" in preview.content.decode()
    assert_blind(preview.content, "the assignment preview")


def test_a_juror_reads_the_entry_with_every_spelling_redacted(blind):
    juror = blind.jurors[1]
    answer = client_for(juror).get(f"/api/v1/submissions/{blind.entries[0].pk}/")
    assert answer.status_code == 200
    assert_blind(answer.content, "the entry")
    assert answer.json()["answers"] == {"Partners in [entrant]": "EPM"}
