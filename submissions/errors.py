"""Domain errors: each becomes a 4xx with a message a person can act on."""


class DomainError(Exception):
    status_code = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, fields: dict | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.fields = fields or {}


class NotAllowed(DomainError):
    status_code = 403
    code = "forbidden"


class NotFound(DomainError):
    status_code = 404
    code = "not_found"


class Conflict(DomainError):
    status_code = 409
    code = "conflict"


class DeadlinePassed(DomainError):
    status_code = 403
    code = "deadline_passed"


class PreconditionFailed(DomainError):
    status_code = 412
    code = "stale_version"


class PayloadTooLarge(DomainError):
    status_code = 413
    code = "too_large"


class UnsupportedFile(DomainError):
    status_code = 415
    code = "unsupported_file"


class StorageUnavailable(DomainError):
    status_code = 503
    code = "storage_unavailable"
