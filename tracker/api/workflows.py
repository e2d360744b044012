"""The workflow definitions, as data: states, transitions, roles, conditions.

They describe every workflow and belong to no domain, as the /workflows pages
(``tracker.web.workflows``) do: both read only the pure definitions of ``workflows/``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BeforeValidator, Field

from tracker.api.framework import PAGING, endpoint, paging
from tracker.api.schemas import Page, ResponseModel
from tracker.errors import NotFound
from workflows import WORKFLOWS
from workflows.i18n import N_

if TYPE_CHECKING:
    from tracker.auth.models import User


class StateOut(ResponseModel):
    name: str
    title: str
    phase: int | None
    terminal: bool
    editable: bool
    reviewable: bool
    description: str


class ConditionOut(ResponseModel):
    name: str
    description: str


class DataFieldOut(ResponseModel):
    name: str
    label: str
    kind: Literal["text", "date", "id", "amount"]
    required: bool = True
    one_of: str | None = Field(
        None, description="Optional fields sharing this name: at least one must be given."
    )


class TransitionOut(ResponseModel):
    trigger: str
    label: str
    sources: list[str]
    dest: str
    roles: Annotated[list[str], BeforeValidator(sorted)]
    conditions: list[ConditionOut]
    comment_required: bool
    data: list[DataFieldOut]
    description: str


class WorkflowOut(ResponseModel):
    name: str
    title: str
    description: str
    initial: str
    states: list[StateOut]
    transitions: list[TransitionOut]


class WorkflowPage(Page):
    items: list[WorkflowOut]


@endpoint(
    "GET", "/workflows", summary="List the workflows", tag="workflows", response=WorkflowPage,
    query=PAGING, errors=(400,),
)  # fmt: skip
def list_workflows(user: User) -> WorkflowPage:
    """Every workflow the tracker runs, with its states and transitions."""
    page = paging()
    names = sorted(WORKFLOWS)
    chosen = names[page.offset : page.offset + page.per_page]
    return WorkflowPage.of([WORKFLOWS[n] for n in chosen], page, len(names))


@endpoint(
    "GET", "/workflows/<string(maxlength=50):name>", summary="Describe a workflow",
    tag="workflows", response=WorkflowOut, errors=(404,),
)  # fmt: skip
def get_workflow(user: User, name: str) -> WorkflowOut:
    """States (with phase and terminal flag) and transitions (sources, destination, roles,
    conditions, whether a comment is required, the data the trigger needs)."""
    if name not in WORKFLOWS:
        raise NotFound(N_("No workflow %(name)s.", name=repr(name)))
    return WorkflowOut.model_validate(WORKFLOWS[name])
