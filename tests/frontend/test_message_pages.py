"""The secretariat's messages page and API (issue 14, item 4): write once, preview who receives
it and in which languages, send once."""

import pytest

from submissions.models import AuditEvent, OutboxMessage
from tests.factories import CityContactFactory
from tests.support.clients import client_for
from tests.worlds import JudgedCall

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = JudgedCall(entries=2, jurors=3)
    world.jurors[0].language = "es"
    world.jurors[0].save()
    for entry in world.entries:
        CityContactFactory(organization=entry.organization)
    return world


def _form(**overrides):
    data = {
        "audience": "jurors",
        "subject": "Jury meeting",
        "body": "We meet on 2 June in Barcelona.",
        "subject_es": "Reunión del jurado",
        "body_es": "Nos reunimos el 2 de junio en Barcelona.",
        "subject_fr": "",
        "body_fr": "",
    }
    data.update(overrides)
    return data


def test_the_preview_says_how_many_people_in_which_languages_and_sends_nothing(page, world):
    url = f"/secretariat/calls/{world.call.slug}/messages/"
    html = page(world.staff).post(url, {**_form(), "action": "preview"}).content.decode()
    assert "3 people receive this message." in html
    assert "English: 2" in html and "Español: 1" in html
    assert "Send to 3 people" in html
    assert 'type="hidden" name="body_es" value="Nos reunimos' in html
    assert not OutboxMessage.objects.filter(kind__startswith="message.").exists()


def test_sending_queues_one_email_per_person_once_even_on_a_double_click(page, world):
    url = f"/secretariat/calls/{world.call.slug}/messages/"
    client = page(world.staff)
    sent = client.post(url, {**_form(), "action": "send"})
    assert sent.status_code == 302 and sent["Location"] == url
    again = client.post(url, {**_form(), "action": "send"}, follow=True)
    assert "had already received this message" in again.content.decode()
    mail = OutboxMessage.objects.filter(kind="message.jurors")
    assert mail.count() == 3
    assert mail.get(to=world.jurors[0].email).subject == "Reunión del jurado"
    assert AuditEvent.objects.filter(action="message.sent").count() == 1
    preview = client.post(url, {**_form(), "action": "preview"}).content.decode()
    assert "3 of them already received this same message" in preview
    assert "Send to 0 people" in preview


def test_a_message_without_words_is_refused_by_its_fields(page, world):
    url = f"/secretariat/calls/{world.call.slug}/messages/"
    answer = page(world.staff).post(url, {**_form(subject="", body=""), "action": "send"})
    assert answer.status_code == 400
    html = answer.content.decode()
    assert "The message needs attention" in html and html.count("Required.") >= 2
    assert not OutboxMessage.objects.filter(kind__startswith="message.").exists()


def test_the_page_is_in_the_readers_language(page, world):
    client = page(world.staff)
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    html = client.get(f"/secretariat/calls/{world.call.slug}/messages/").content.decode()
    assert (
        "Écrire aux personnes de l&#x27;appel" in html or "Écrire aux personnes de l'appel" in html
    )
    assert "Voir qui le reçoit" in html


def test_the_api_previews_then_sends_in_each_persons_language(world):
    api = client_for(world.staff)
    url = f"/api/v1/calls/{world.call.slug}/messages/"
    body = {
        "audience": "entrants",
        "subject": "Results",
        "body": "Results on 3 June.",
        "es": {"subject": "Resultados", "body": "Resultados el 3 de junio."},
    }
    dry = api.post(url, {**body, "dry_run": True}, format="json")
    assert dry.status_code == 200
    assert dry.json() == {
        "audience": "entrants",
        "recipients": 2,
        "languages": {"en": 2},
        "already": 0,
        "queued": 0,
    }
    sent = api.post(url, body, format="json")
    assert sent.status_code == 201 and sent.json()["queued"] == 2
    twice = api.post(url, body, format="json")
    assert twice.status_code == 201 and twice.json()["queued"] == 0
    assert twice.json()["already"] == 2
    assert OutboxMessage.objects.filter(kind="message.entrants").count() == 2


def test_the_api_refuses_a_bad_audience_and_anyone_but_the_secretariat(world):
    url = f"/api/v1/calls/{world.call.slug}/messages/"
    body = {"audience": "everyone", "subject": "S", "body": "B"}
    bad = client_for(world.staff).post(url, body, format="json")
    assert bad.status_code == 400 and "audience" in bad.json()["error"]["fields"]
    chair = client_for(world.chair).post(url, {**body, "audience": "jurors"}, format="json")
    assert chair.status_code == 403
    assert "Only the secretariat" in chair.json()["error"]["message"]
