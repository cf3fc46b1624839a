"""The public winners pages: nothing before the announcement, then the winners and special
mentions with their summaries, and nothing that was not decided to be public."""

from datetime import timedelta

import pytest
from django.utils import timezone

from scoring import decisions
from scoring.public import public_results
from submissions.models import Submission
from tests.worlds import JudgedCall

pytestmark = pytest.mark.django_db


def test_before_the_announcement_the_call_has_no_public_page(page):
    scene = JudgedCall(title="Metropolis Award 2027")
    scene.decide(announce=False)
    visitor = page()
    assert visitor.get(f"/winners/{scene.call.slug}/").status_code == 404
    assert "Metropolis Award 2027" not in visitor.get("/winners/").content.decode()
    scene.call.announcement_at = timezone.now() + timedelta(days=1)
    scene.call.save(update_fields=["announcement_at"])
    assert visitor.get(f"/winners/{scene.call.slug}/").status_code == 404
    assert visitor.get("/winners/no-such-call/").status_code == 404


def test_after_the_announcement_a_visitor_reads_the_winners_and_nothing_else(page):
    scene = JudgedCall(title="Metropolis Award 2027")
    entries = scene.decide()
    visitor = page()
    index = visitor.get("/winners/").content.decode()
    assert "Metropolis Award 2027" in index and "2 projects rewarded" in index

    response = visitor.get(f"/winners/{scene.call.slug}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Project A" in html and "Summary of project A." in html
    assert entries[0].organization.name in html
    assert html.index(">Winners<") < html.index("Project A") < html.index(">Special mentions<")
    assert html.index(">Special mentions<") < html.index("Project B")
    for private in (
        "Project C",  # turned down by the Board
        "Project D",  # never shortlisted
        entries[2].organization.name,
        entries[3].organization.name,
        "Private description",
        "Rationale",
        "winner-form.pdf",
        "/api/v1/attachments/",
        scene.jurors[1].username,
        "Comment of",
        "Score",
    ):
        assert private not in html, private


def test_the_page_speaks_french_and_spanish(page):
    scene = JudgedCall()
    scene.decide()
    visitor = page()
    visitor.cookies["django_language"] = "fr"
    html = visitor.get(f"/winners/{scene.call.slug}/").content.decode()
    assert '<html lang="fr">' in html and ">Lauréats<" in html and ">Mentions spéciales<" in html
    assert "Le Bureau exécutif a annoncé ses décisions le" in html
    visitor.cookies["django_language"] = "es"
    html = visitor.get(f"/winners/{scene.call.slug}/").content.decode()
    assert ">Ganadores<" in html and ">Menciones especiales<" in html


def test_a_blind_call_publishes_its_winners_by_name_and_no_one_else(page):
    scene = JudgedCall(blind=True)
    entries = scene.decide()
    html = page().get(f"/winners/{scene.call.slug}/").content.decode()
    assert entries[0].organization.name in html and "[entrant]" not in html
    assert entries[2].organization.name not in html


def test_an_entry_withdrawn_after_the_decision_is_not_published():
    scene = JudgedCall()
    entries = scene.decide()
    Submission.objects.filter(pk=entries[1].pk).update(status=Submission.Status.WITHDRAWN)
    shown = public_results(scene.call.slug)
    assert [e.title for _, group in shown.groups for e in group] == ["Project A"]


@pytest.mark.parametrize("winners", [1, 3])
def test_the_public_results_are_read_in_two_queries(winners, django_assert_num_queries):
    scene = JudgedCall()
    scene.decide()
    for entry in scene.entries[3 : 3 + winners]:
        Submission.objects.filter(pk=entry.pk).update(status=Submission.Status.AWARDED)
        decisions.Decision.objects.create(
            call=scene.call, submission=entry, outcome="selected", rationale="r"
        )
    with django_assert_num_queries(2):
        shown = public_results(scene.call.slug)
    assert shown.count == 2 + winners
