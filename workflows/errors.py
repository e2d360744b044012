"""What the engine refuses, and why. The tracker maps these to 409, 403 and 422."""

from __future__ import annotations

from .i18n import N_, Series, Text, term
from .model import Unmet


class WorkflowError(Exception):
    """Base of every refusal of the engine; ``message`` is the English ``str(err)``, translatable."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UnknownTrigger(WorkflowError):
    def __init__(self, workflow: str, trigger: str) -> None:
        super().__init__(
            N_(
                "Workflow %(workflow)s has no trigger %(trigger)s.",
                workflow=repr(workflow),
                trigger=repr(trigger),
            )
        )
        self.trigger = trigger


#: what a workflow runs on (``Workflow.subject``), in words a translation can say
SUBJECTS = {"application": N_("application"), "proposal": N_("proposal")}


class InvalidFromState(WorkflowError):
    """The trigger exists but cannot be fired from the object's current state."""

    def __init__(
        self,
        trigger: str,
        state: str,
        subject: str = "application",
        *,
        action: str = "",
        state_title: str = "",
    ) -> None:
        # the English names the codes; a translation names the action and the state by their titles
        super().__init__(
            Text(
                N_("'%(trigger)s' cannot be done while the %(subject)s is '%(state)s'."),
                {"trigger": trigger, "subject": subject, "state": state},
                shown={
                    "trigger": term(action or trigger),
                    "subject": term(SUBJECTS.get(subject, subject)),
                    "state": term(state_title or state),
                },
            )
        )
        self.trigger = trigger
        self.state = state


class RoleNotAllowed(WorkflowError):
    def __init__(self, unmet: Unmet) -> None:
        super().__init__(unmet.message)
        self.unmet = [unmet]


class ConditionsUnmet(WorkflowError):
    def __init__(self, unmet: list[Unmet]) -> None:
        super().__init__(str(Series((u.message for u in unmet), "; ")))
        self.unmet = unmet
