"""Counts for the people who run the evaluation, and what waits for each person."""

from __future__ import annotations

from tracker.api.framework import PAGING, QueryParam, endpoint, paging, query_id
from tracker.auth.models import User
from tracker.dashboards.figures import officer_figures, scope_for
from tracker.dashboards.queue import queue_for
from tracker.dashboards.schemas import DashboardOut, QueueItemOut, QueuePage


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


@endpoint(
    "GET", "/me/queue", summary="What waits for the token's user", tag="people",
    response=QueuePage, query=PAGING, errors=(400,),
)  # fmt: skip
def me_queue(user: User) -> QueuePage:
    """Everything whose next move is the caller's, across every workflow (applications of each
    call, community proposals, partnership changes), longest waiting first: the home page's
    queue. Each item says since when it waits, when it is due and whether it is overdue, and
    the first move the caller may make."""
    page = paging()
    work = queue_for(user)
    items = work.items[page.offset : page.offset + page.per_page]
    return QueuePage.model_validate(
        {
            "items": [QueueItemOut.of(i) for i in items],
            "page": page.page,
            "per_page": page.per_page,
            "total": len(work.items),
            "capped": work.capped,
        }
    )
