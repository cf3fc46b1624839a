"""Who may take part in a call: one rule, called wherever eligibility matters."""

from .models import Call, Organization, Submission
from .rules import COUNTED_STATUSES


def eligibility_problems(call: Call, organization: Organization) -> list[str]:
    """Reasons the organization may not take part; empty when it may."""
    problems = []
    if organization.kind == Organization.Kind.PARTNER and not call.partners_allowed:
        problems.append("This call is open to member cities only, not to partners.")
    required = call.dues_required_through
    if required and (organization.dues_paid_through or 0) < required:
        paid = organization.dues_paid_through
        problems.append(
            f"Membership dues must be paid through {required} to take part"
            + (f" (paid through {paid})." if paid else " (no dues recorded).")
        )
    return problems


def submission_quota_problem(
    call: Call, organization: Organization, *, extra: int = 1
) -> str | None:
    used = Submission.objects.filter(
        call=call, organization=organization, status__in=COUNTED_STATUSES
    ).count()
    limit = call.max_submissions_per_organization
    if used + extra > limit:
        return (
            f"{organization.name} already has {used} of the {limit} entries allowed in this call."
        )
    return None
