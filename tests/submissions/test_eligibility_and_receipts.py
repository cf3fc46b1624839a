import pytest

from submissions.eligibility import eligibility_problems, submission_quota_problem
from submissions.models import Organization
from submissions.receipts import canonical_content, receipt_hash
from tests.factories import CallFactory, OrganizationFactory, SubmissionFactory


@pytest.mark.django_db
def test_unpaid_dues_make_a_member_ineligible_with_the_reason():
    call = CallFactory(dues_required_through=2014)
    problems = eligibility_problems(call, OrganizationFactory(dues_paid_through=2013))
    assert problems == [
        "Membership dues must be paid through 2014 to take part (paid through 2013)."
    ]
    assert eligibility_problems(call, OrganizationFactory(dues_paid_through=2014)) == []


@pytest.mark.django_db
def test_partners_take_part_only_where_the_call_allows_it():
    partner = OrganizationFactory(kind=Organization.Kind.PARTNER)
    assert eligibility_problems(CallFactory(partners_allowed=False), partner)
    assert eligibility_problems(CallFactory(partners_allowed=True), partner) == []


@pytest.mark.django_db
def test_quota_counts_drafts_and_submissions_but_not_withdrawn_ones():
    call = CallFactory(max_submissions_per_organization=2)
    organization = OrganizationFactory()
    SubmissionFactory(call=call, organization=organization)
    SubmissionFactory(call=call, organization=organization, status="withdrawn")
    assert submission_quota_problem(call, organization) is None
    SubmissionFactory(call=call, organization=organization, status="submitted")
    assert "2 of the 2" in submission_quota_problem(call, organization)


def test_same_content_gives_the_same_receipt_hash_whatever_the_order():
    files = [
        {"kind": "form", "name": "a.pdf", "sha256": "1" * 64},
        {"kind": "annex", "name": "b.pdf", "sha256": "2" * 64},
    ]
    one = canonical_content({"title": "T", "summary": "S"}, files)
    two = canonical_content({"summary": "S", "title": "T"}, list(reversed(files)))
    assert receipt_hash(one) == receipt_hash(two)
    assert len(receipt_hash(one)) == 64


def test_any_change_of_content_or_file_changes_the_receipt_hash():
    base = receipt_hash(
        canonical_content({"title": "T"}, [{"kind": "f", "name": "a", "sha256": "1"}])
    )
    assert base != receipt_hash(
        canonical_content({"title": "T."}, [{"kind": "f", "name": "a", "sha256": "1"}])
    )
    assert base != receipt_hash(
        canonical_content({"title": "T"}, [{"kind": "f", "name": "a", "sha256": "2"}])
    )
