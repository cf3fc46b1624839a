"""Issue 10, item 9: from eligibility until the announcement, cities and jurors see one
neutral status, through the API's field, its `?status=` filter and the pages; the
secretariat, the Board and the call's chair see the real one."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from jury.models import Assignment
from tests.factories import (
    BoardFactory,
    CallFactory,
    CityContactFactory,
    EligibleSubmissionFactory,
    JuryMemberFactory,
    RoundFactory,
    SecretariatFactory,
)
from tests.support.clients import client_for

pytestmark = pytest.mark.django_db

STATUSES = ("eligible", "shortlisted", "not_selected", "awarded")


class Judged:
    """One city with four entries, one in each judged status; a juror reads them all."""

    def __init__(self):
        self.call = CallFactory(max_submissions_per_organization=4)
        round_ = RoundFactory(call=self.call)
        self.round = round_
        self.contact = CityContactFactory()
        self.entries = {
            status: EligibleSubmissionFactory(
                call=self.call, organization=self.contact.organization, status=status
            )
            for status in STATUSES
        }
        self.juror = JuryMemberFactory(call=self.call).juror
        self.chair = JuryMemberFactory(call=self.call, is_chair=True).juror
        for entry in self.entries.values():
            Assignment.objects.create(round=round_, submission=entry, juror=self.juror)

    def statuses(self, user) -> dict[int, str]:
        answer = client_for(user).get(f"/api/v1/submissions/?call={self.call.slug}")
        return {row["id"]: row["status"] for row in answer.json()["results"]}

    def count(self, user, status: str) -> int:
        url = f"/api/v1/submissions/?call={self.call.slug}&status={status}"
        return client_for(user).get(url).json()["count"]

    def announce(self):
        self.call.announcement_at = timezone.now() - timedelta(minutes=1)
        self.call.save()


@pytest.fixture
def judged():
    return Judged()


@pytest.mark.parametrize("reader", ["contact", "juror"])
def test_cities_and_jurors_see_one_neutral_status_until_the_announcement(judged, reader):
    user = getattr(judged, reader)
    assert set(judged.statuses(user).values()) == {"under_review"}
    assert judged.count(user, "under_review") == 4
    for status in STATUSES:
        assert judged.count(user, status) == 0, status  # `?status=eligible` tells no one they lost


@pytest.mark.parametrize("reader", ["contact", "juror"])
def test_after_the_announcement_the_real_status_shows(judged, reader):
    judged.announce()
    user = getattr(judged, reader)
    shown = judged.statuses(user)
    assert {shown[entry.pk] for entry in judged.entries.values()} == set(STATUSES)
    for status in STATUSES:
        assert judged.count(user, status) == 1
    assert judged.count(user, "under_review") == 0


def test_the_secretariat_the_board_and_the_chair_see_the_real_status(judged):
    staff, chair = SecretariatFactory(), judged.chair
    for user in (staff, chair):
        shown = judged.statuses(user)
        assert {shown[entry.pk] for entry in judged.entries.values()} == set(STATUSES)
        assert judged.count(user, "shortlisted") == 1
    judged.call.rounds.update(results_released_at=timezone.now())  # the Board reads it now
    board = client_for(BoardFactory())
    for status in ("shortlisted", "not_selected", "awarded"):
        entry = judged.entries[status]
        assert board.get(f"/api/v1/submissions/{entry.pk}/").json()["status"] == status


def test_a_chair_of_another_call_sees_the_neutral_status_here(judged):
    elsewhere = JuryMemberFactory(is_chair=True).juror  # chairs another call's jury
    Assignment.objects.create(
        round=RoundFactory(call=judged.call, number=2),
        submission=judged.entries["shortlisted"],
        juror=elsewhere,
    )
    assert judged.statuses(elsewhere) == {judged.entries["shortlisted"].pk: "under_review"}


def test_the_citys_pages_show_the_neutral_status(judged):
    browser = Client()
    browser.force_login(judged.contact)
    home = browser.get("/city/").content.decode()
    assert "Under review" in home
    for word in ("Eligible", "Shortlisted", "Not selected", "Awarded"):
        assert f">{word}<" not in home, word
    for entry in judged.entries.values():
        html = browser.get(f"/city/entries/{entry.pk}/").content.decode()
        assert "Under review" in html and ">Shortlisted<" not in html and ">Eligible<" not in html


def _list_queries(user, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from submissions.models import User

    fresh = User.objects.get(pk=user.pk)  # no state kept from an earlier request
    with CaptureQueriesContext(connection) as queries:
        assert client_for(fresh).get(url).status_code == 200
    return len(queries)


def test_the_shown_status_costs_the_same_queries_for_few_and_many_entries_and_calls():
    url = "/api/v1/submissions/?page_size=500"
    small = Judged()
    few = _list_queries(small.juror, url)
    large = Judged()
    for _ in range(3):  # the same juror reads entries of three more calls, one of them chaired
        other = Judged()
        Assignment.objects.filter(juror=other.juror).update(juror=large.juror)
    JuryMemberFactory(call=other.call, juror=large.juror, is_chair=True)
    assert _list_queries(large.juror, url) == few
