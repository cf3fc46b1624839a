import pytest
from django.core.management import CommandError, call_command

from jury.models import JuryMember
from submissions.demo.seed import AWARD_SLUG, INITIATIVES_SLUG, OPEN_SLUG
from submissions.models import Call, Organization, Submission, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


def test_the_demo_holds_the_report_figures_and_is_idempotent(debug):
    call_command("seed_demo")
    call_command("seed_demo")
    members = Organization.objects.filter(kind="member")
    assert members.count() == 136
    assert members.filter(dues_paid_through__gte=2014).count() == 31
    award = Call.objects.get(slug=AWARD_SLUG)
    entries = Submission.objects.filter(call=award)
    assert entries.count() == 40
    assert len(set(entries.values_list("organization", flat=True))) == 31
    assert award.deadline.date().isoformat() == "2014-05-30" and award.status == "closed"
    assert award.extensions.count() == 1
    initiatives = Call.objects.get(slug=INITIATIVES_SLUG)
    assert initiatives.themes == [
        "Governance",
        "Urban economy",
        "Urban innovation",
        "Sustainability",
        "Social inclusion",
    ]
    assert initiatives.deadline.date().isoformat() == "2014-05-15"
    assert Call.objects.get(slug=OPEN_SLUG).status == "open"
    for name in ["secretariat", "board", "juror1", "juror8", "barcelona", "seoul", "medellin"]:
        assert User.objects.get(username=name).check_password("metropolis2014")
    assert JuryMember.objects.filter(call=award).count() == 8


def test_every_demo_entry_has_a_receipt_and_a_file(debug):
    call_command("seed_demo")
    for entry in Submission.objects.filter(call__slug=AWARD_SLUG).prefetch_related("attachments"):
        assert len(entry.receipt_sha256) == 64
        assert [a.kind for a in entry.attachments.all()] == ["application_form"]


def test_the_demo_refuses_to_create_accounts_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert User.objects.count() == 0
