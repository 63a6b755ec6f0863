"""Domain errors. Each blueprint family maps them to HTTP in one place."""


class DomainError(Exception):
    status = 400
    code = "bad_request"

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        code: str | None = None,
        details: dict | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.field = field
        self.details = details or {}
        if code:
            self.code = code

    def __init_subclass__(cls, *, status: int | None = None, code: str | None = None, **kwargs):
        """``class NotFound(DomainError, status=404, code="not_found")``: the HTTP status and
        the default error code of a kind of error (unset: the parent's)."""
        super().__init_subclass__(**kwargs)
        if status is not None:
            cls.status = status
        if code is not None:
            cls.code = code

    def as_dict(self) -> dict:
        error = {"code": self.code, "message": self.message}
        if self.field:
            error["field"] = self.field
        error.update(self.details)
        return {"error": error}


class BadRequest(DomainError, status=400, code="bad_request"): ...


class NotAllowed(DomainError, status=403, code="forbidden"): ...


class NotFound(DomainError, status=404, code="not_found"): ...


class Conflict(DomainError, status=409, code="conflict"): ...


class TooLarge(DomainError, status=413, code="too_large"): ...


class Invalid(DomainError, status=422, code="invalid"): ...
