"""Counts for the people who run the evaluation."""

from __future__ import annotations

from tracker.api.framework import QueryParam, endpoint, query_id
from tracker.auth.models import User
from tracker.dashboards.figures import officer_figures, scope_for
from tracker.dashboards.schemas import DashboardOut


@endpoint(
    "GET", "/dashboard", summary="The officer dashboard's figures", tag="dashboard",
    response=DashboardOut, errors=(400, 403, 404),
    query=(QueryParam("call_id", "Only this call's applications.", {"type": "integer"}),),
)  # fmt: skip
def dashboard(user: User) -> DashboardOut:
    """Region officers (every call) and committee members (the calls of their committees; 403
    for another call): how many submitted applications are in each state, how long they stay
    there, what is overdue, the breakdowns by province, thematic area and S3 ecosystem, and the
    measures' budgets: the figures of the dashboard page. With ``call_id``, ``by_state`` lists
    every state of the call's workflow, zeros included."""
    scope = scope_for(user, query_id("call_id"))
    return DashboardOut.of(officer_figures(scope))
