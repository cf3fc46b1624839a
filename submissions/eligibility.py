"""Who may take part in a call: one rule, called wherever eligibility matters. Each reason is a
sentence rendered in the reader's language where it is shown (submissions.errors.text)."""

from django.utils.translation import gettext_lazy as _

from .errors import text
from .models import Call, Organization, Submission
from .rules import COUNTED_STATUSES


def eligibility_problems(call: Call, organization: Organization) -> list[str]:
    """Reasons the organization may not take part; empty when it may."""
    problems = []
    if organization.kind == Organization.Kind.PARTNER and not call.partners_allowed:
        problems.append(_("This call is open to member cities only, not to partners."))
    required = call.dues_required_through
    if required and (organization.dues_paid_through or 0) < required:
        paid = organization.dues_paid_through
        if paid:
            problems.append(
                text(
                    _(
                        "Membership dues must be paid through %(year)s to take part "
                        "(paid through %(paid)s)."
                    ),
                    year=required,
                    paid=paid,
                )
            )
        else:
            problems.append(
                text(
                    _(
                        "Membership dues must be paid through %(year)s to take part "
                        "(no dues recorded)."
                    ),
                    year=required,
                )
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
        return text(
            _(
                "%(organization)s already has %(used)s of the %(limit)s entries allowed in "
                "this call."
            ),
            organization=organization.name,
            used=used,
            limit=limit,
        )
    return None
