"""aria-current is rendered as a plain token on every page of every role, in every language: the
raw HTML the server sends (axe in the browser tour reads an unknown value as "true" and lets it
pass; this sweep reads what the templates print, with no browser)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from jury.models import Assignment
from submissions import services
from tests.factories import CityContactFactory, OrganizationFactory
from tests.support.clients import browser_for
from tests.worlds import JudgedCall, draft_of

pytestmark = pytest.mark.django_db
TOKENS = {"page", "step", "location", "date", "time", "true", "false"}
ATTRIBUTE = re.compile(r"aria-current\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)")


def _values(html: str) -> list[str]:
    return ATTRIBUTE.findall(html)


def test_no_template_writes_aria_current_with_quotes_inside_its_value():
    templates = Path(settings.BASE_DIR) / "frontend" / "templates"
    for path in templates.rglob("*.html"):
        for value in _values(path.read_text()):
            assert value.strip("\"'") in TOKENS, f"{path.name}: aria-current={value}"


@pytest.fixture
def pages():
    """(who, url) for a page of each kind of every role, in a world where each has work."""
    judged = JudgedCall(title="Metropolis Award 2030")
    judged.assign()
    judged.score_all()
    shortlisted = judged.shortlist_and_release(top_n=3)
    announced = JudgedCall(title="Metropolis Award 2027")
    announced.decide()
    opened = JudgedCall(title="Metropolis Initiatives 2031")
    opened.assign()
    city = CityContactFactory(organization=OrganizationFactory(name="Dakar"))
    draft = draft_of(city, opened.call, title="Green corridors")
    sent = draft_of(city, opened.call, title="Water for all", description="Pipes and taps.")
    services.submit(city, sent)
    juror = opened.jurors[1]
    assignment = Assignment.objects.filter(juror=juror).first()
    o, j, a = opened.call.slug, judged.call.slug, announced.call.slug
    return [
        (None, "/"),
        (None, "/accounts/login/"),
        (None, "/winners/"),
        (None, f"/winners/{a}/"),
        (city, "/city/"),
        (city, f"/city/calls/{o}/new/"),
        (city, f"/city/entries/{draft.pk}/"),
        (city, f"/city/entries/{draft.pk}/submit/"),
        (city, f"/city/entries/{sent.pk}/receipt/"),
        (city, "/accounts/password_change/"),
        (juror, "/juror/"),
        (juror, f"/juror/assignments/{assignment.pk}/"),
        (opened.chair, f"/secretariat/calls/{o}/assignment/"),
        (opened.staff, "/secretariat/"),
        (opened.staff, f"/secretariat/calls/{o}/"),
        (opened.staff, f"/secretariat/calls/{o}/progress/"),
        (opened.staff, f"/secretariat/calls/{j}/results/"),
        (opened.staff, f"/secretariat/entries/{sent.pk}/"),
        (opened.staff, "/secretariat/imports/"),
        (judged.board, "/board/"),
        (judged.board, f"/board/calls/{j}/"),
        (judged.board, f"/board/calls/{j}/entries/{shortlisted[0].pk}/"),
    ]


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_every_page_renders_aria_current_as_a_plain_token(pages, language):
    seen = 0
    for who, url in pages:
        client = browser_for(who)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = client.get(url)
        assert response.status_code == 200, (who, url, response.status_code)
        values = _values(response.content.decode())
        for value in values:
            assert value in {f'"{token}"' for token in TOKENS}, f"{url}: aria-current={value}"
        seen += len(values)
    assert seen >= len(pages) - 4  # signed-in pages mark their section; breadcrumbs their page
