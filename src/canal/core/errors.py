"""Errors that services raise and both interfaces (REST API and portal) turn into clear messages.

Every error carries a machine code, the field it is about (if any), a translatable message saying what
was wrong and what to do instead, and optionally a suggestion (the plan to buy, the package that fits).
"""

from typing import Any


class CanalError(Exception):
    status = 400
    default_code = "invalid"

    def __init__(
        self,
        message: Any,
        *,
        code: str | None = None,
        field: str | None = None,
        suggestion: Any = None,
    ) -> None:
        super().__init__(str(message))
        self.message = message
        self.code = code or self.default_code
        self.field = field
        self.suggestion = suggestion

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": str(self.message), "field": self.field}
        if self.suggestion is not None:
            body["suggestion"] = str(self.suggestion)
        return body


class RuleViolation(CanalError):
    """A business rule refuses the request (R1.2: "buy Business instead")."""

    status = 422
    default_code = "rule_violation"


class NotFound(CanalError):
    """The object does not exist or the actor may not see it: both answer 404, so ids leak nothing."""

    status = 404
    default_code = "not_found"


class PermissionDenied(CanalError):
    """The actor sees the object but its role may not do this."""

    status = 403
    default_code = "permission_denied"


class Conflict(CanalError):
    status = 409
    default_code = "conflict"


class IllegalTransition(Conflict):
    default_code = "illegal_transition"
