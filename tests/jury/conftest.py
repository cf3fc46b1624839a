import pytest

from tests.factories import (
    CallFactory,
    EligibleSubmissionFactory,
    JurorProfileFactory,
    JuryMemberFactory,
    OrganizationFactory,
    RoundFactory,
    SecretariatFactory,
)


class Jury:
    """A call with a first round, `n_entries` eligible entries and `n_jurors` jurors."""

    def __init__(self, n_entries=6, n_jurors=4, **call_fields):
        self.call = CallFactory(**call_fields)
        self.round = RoundFactory(call=self.call)
        self.entries = [
            EligibleSubmissionFactory(
                call=self.call,
                organization=OrganizationFactory(),
                theme=self.call.themes[i % len(self.call.themes)],
            )
            for i in range(n_entries)
        ]
        self.jurors = [
            JuryMemberFactory(
                call=self.call,
                juror=JurorProfileFactory().user,
                is_chair=(i == 0),
                expertise=[self.call.themes[i % 3]],
            ).juror
            for i in range(n_jurors)
        ]
        self.chair = self.jurors[0]
        self.staff = SecretariatFactory()


@pytest.fixture
def jury(db):
    return Jury()


@pytest.fixture
def make_jury(db):
    return Jury
