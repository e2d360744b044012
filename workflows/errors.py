"""What the engine refuses, and why. The tracker maps these to 409, 403 and 422."""

from __future__ import annotations

from .model import Unmet


class WorkflowError(Exception):
    """Base of every refusal of the engine."""


class UnknownTrigger(WorkflowError):
    def __init__(self, workflow: str, trigger: str) -> None:
        super().__init__(f"Workflow {workflow!r} has no trigger {trigger!r}.")
        self.trigger = trigger


class InvalidFromState(WorkflowError):
    """The trigger exists but cannot be fired from the object's current state."""

    def __init__(self, trigger: str, state: str, subject: str = "application") -> None:
        super().__init__(f"'{trigger}' cannot be done while the {subject} is '{state}'.")
        self.trigger = trigger
        self.state = state


class RoleNotAllowed(WorkflowError):
    def __init__(self, unmet: Unmet) -> None:
        super().__init__(unmet.message)
        self.unmet = [unmet]


class ConditionsUnmet(WorkflowError):
    def __init__(self, unmet: list[Unmet]) -> None:
        super().__init__("; ".join(u.message for u in unmet))
        self.unmet = unmet
