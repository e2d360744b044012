"""Pure workflow definitions and the engine that runs them: no Flask, no database."""

from .engine import Engine, Firing, Option, state_assignment_allowed
from .errors import ConditionsUnmet, InvalidFromState, RoleNotAllowed, UnknownTrigger, WorkflowError
from .model import Condition, Context, DataField, State, Step, Transition, Unmet, Workflow
from .registry import APPLICATION_WORKFLOWS, WORKFLOWS, get_engine, get_workflow, states_where

__all__ = [
    "APPLICATION_WORKFLOWS",
    "WORKFLOWS",
    "Condition",
    "ConditionsUnmet",
    "Context",
    "DataField",
    "Engine",
    "Firing",
    "InvalidFromState",
    "Option",
    "RoleNotAllowed",
    "State",
    "Step",
    "Transition",
    "UnknownTrigger",
    "Unmet",
    "Workflow",
    "WorkflowError",
    "get_engine",
    "get_workflow",
    "state_assignment_allowed",
    "states_where",
]
