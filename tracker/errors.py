"""Refusals the operations raise; the API renders them as JSON, the pages as messages."""

from __future__ import annotations

from typing import Any

from workflows import (
    ConditionsUnmet,
    InvalidFromState,
    RoleNotAllowed,
    UnknownTrigger,
    WorkflowError,
)
from workflows.i18n import N_, Series


class TrackerError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, details: Any = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details
        if code:
            self.code = code

    def as_json(self) -> dict:
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}


class BadRequest(TrackerError):
    status, code = 400, "bad_request"


class Unauthorized(TrackerError):
    status, code = 401, "unauthorized"


class Forbidden(TrackerError):
    status, code = 403, "forbidden"


class NotFound(TrackerError):
    status, code = 404, "not_found"


class Conflict(TrackerError):
    status, code = 409, "conflict"


class ValidationFailed(TrackerError):
    """422: the input is well-formed but a field or a condition is not satisfied."""

    status, code = 422, "validation_failed"

    @classmethod
    def fields(cls, problems: dict[str, str]) -> ValidationFailed:
        first = next(iter(problems.values()))
        if len(problems) == 1:
            return cls(first, {"fields": problems})
        message = N_("%(count)s fields need attention: %(first)s", count=len(problems), first=first)
        return cls(message, {"fields": problems})


def from_workflow(err: WorkflowError) -> TrackerError:
    """One mapping from the engine's refusals to HTTP meanings."""
    if isinstance(err, UnknownTrigger):
        return ValidationFailed(
            err.message, {"fields": {"trigger": err.message}}, code="unknown_trigger"
        )
    if isinstance(err, InvalidFromState):
        return Conflict(
            err.message, {"state": err.state, "trigger": err.trigger}, code="invalid_transition"
        )
    if isinstance(err, RoleNotAllowed):
        return Forbidden(
            err.message, {"unmet": [u.as_dict() for u in err.unmet]}, code="role_not_allowed"
        )
    if isinstance(err, ConditionsUnmet):
        return ValidationFailed(
            N_(
                "Conditions not met: %(reasons)s",
                reasons=Series((u.message for u in err.unmet), " "),
            ),
            {"unmet": [u.as_dict() for u in err.unmet]},
            code="conditions_unmet",
        )
    return TrackerError(str(err))
