"""The workflow definitions, as data: states, transitions, roles, conditions."""

from __future__ import annotations

from tracker.api.framework import PAGING, endpoint, paging
from tracker.api.schemas import WorkflowOut, WorkflowPage
from tracker.auth.models import User
from tracker.errors import NotFound
from workflows import WORKFLOWS


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
        raise NotFound(f"No workflow {name!r}.")
    return WorkflowOut.model_validate(WORKFLOWS[name])
