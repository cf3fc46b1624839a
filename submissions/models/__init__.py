from .audit import AuditEvent, OutboxMessage
from .calls import Call, DeadlineExtension
from .members import Organization, Region, Role, User
from .submissions import Attachment, Submission

__all__ = [
    "Attachment",
    "AuditEvent",
    "Call",
    "DeadlineExtension",
    "Organization",
    "OutboxMessage",
    "Region",
    "Role",
    "Submission",
    "User",
]
