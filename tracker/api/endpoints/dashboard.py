"""Counts for the people who run the evaluation, and the public registry."""

from __future__ import annotations

from tracker.api import serialize
from tracker.api.framework import PAGING, QueryParam, endpoint, paging, query_id
from tracker.api.schemas import DashboardOut, RegistryPage
from tracker.applications.queries import counts_by_state
from tracker.auth.models import User
from tracker.calls.operations import get_call
from tracker.errors import Forbidden
from tracker.labels.operations import registry_page


@endpoint(
    "GET", "/dashboard", summary="Applications by state", tag="dashboard",
    response=DashboardOut, errors=(400, 403, 404),
    query=(QueryParam("call_id", "Only this call's applications.", {"type": "integer"}),),
)  # fmt: skip
def dashboard(user: User) -> dict:
    """Region officers and committee members: how many of the applications they may see are in
    each state. With ``call_id``, every state of the call's workflow is listed, zeros included."""
    if not user.has_role("officer", "reviewer"):
        raise Forbidden(
            "The dashboard is for Region officers and committee members.",
            code="role_not_allowed",
        )
    call_id = query_id("call_id")
    call = get_call(call_id) if call_id is not None else None
    by_state = counts_by_state(user, call_id)
    if call is not None:
        by_state = {s.name: by_state.get(s.name, 0) for s in call.workflow_definition.states}
    return {"by_state": by_state, "total": sum(by_state.values()), "call_id": call_id}


@endpoint(
    "GET", "/registry", summary="Recognised value chains", tag="registry",
    response=RegistryPage, query=PAGING, errors=(400,), public=True,
)  # fmt: skip
def registry() -> dict:
    """Public, no token: the value chains recognised with a quality label, latest decree first,
    with the support measures granted them (``support_granted``); revoked labels follow,
    marked ``revoked`` with their ``revocation_reason``."""
    page = paging()
    rows, total = registry_page(page.page, page.per_page, include_revoked=True)
    return serialize.page(rows, page, total)
