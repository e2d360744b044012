"""What the tallies answer for the pages and API routes above them: a list's total, the public
registry's label counts. Each is a sum over a few hundred tally rows, whatever the number of
applications.

Domain packages never import the dashboards (the tallies are a projection of them): the pages
and routes read these and pass them down, e.g. ``list_applications(..., total=...)`` and
``registry_page(..., counts=...)``.
"""

from __future__ import annotations

from sqlalchemy import func, or_, select

from tracker.applications.queries import ApplicationFilters
from tracker.calls.models import Call
from tracker.dashboards.models import ApplicationTally, BreakdownTally
from tracker.dashboards.tallies import in_states
from tracker.extensions import db
from workflows import APPLICATION_WORKFLOWS, get_workflow


def application_total(user, filters: ApplicationFilters) -> int | None:
    """How many applications the list shows ``user`` for ``filters``, from the tallies, when
    what ``user`` sees is "submitted, maybe of some calls" (officers, and committee members who
    are not also applicants) and the tallies split by every filter given. None when they cannot
    say: the list then counts its rows."""
    if filters.q:
        return None  # words of a title are no tally's dimension
    if user.has_role("applicant") and user.organisation_id is not None:
        return None  # their partnerships' drafts are not split out
    if user.has_role("officer"):
        calls = None
    elif user.has_role("reviewer"):
        calls = sorted(user.committee_call_ids)
    else:
        return 0
    states = None
    if filters.phase is not None:
        if not _phase_is_by_name(filters.phase):
            return None
        states = sorted(
            {
                s.name
                for wf in APPLICATION_WORKFLOWS.values()
                for s in wf.states
                if s.phase == filters.phase
            }
        )
    if filters.state:
        states = sorted(set(states or [filters.state]) & {filters.state})
    if not (filters.province or filters.thematic_area or filters.s3_ecosystem):
        # by state and call alone: the breakdowns' state rows, one per call and state whatever
        # the number of applications (the finer tallies grow with the provinces and areas
        # the applications cover, tens of times more rows to add up)
        B = BreakdownTally
        query = select(func.coalesce(func.sum(B.n), 0)).where(B.dimension == "state")
        if states is not None:
            query = query.where(B.value.in_(states))
        return int(db.session.scalar(_of_calls(query, B.call_id, calls, filters.call_id)))
    T = ApplicationTally
    query = select(func.coalesce(func.sum(T.n), 0)).where(T.submitted.is_(True))
    if filters.province:
        query = query.where(T.province == filters.province)
    if filters.thematic_area:
        query = query.where(T.thematic_area == filters.thematic_area)
    if filters.s3_ecosystem:
        query = query.where(T.s3_ecosystem == filters.s3_ecosystem)
    if states is not None:
        query = query.where(T.state.in_(states))
    return int(db.session.scalar(_of_calls(query, T.call_id, calls, filters.call_id)))


def _of_calls(query, call_column, calls: list[int] | None, call_id: int | None):
    if calls is not None:
        query = query.where(call_column.in_(calls))
    if call_id is not None:
        query = query.where(call_column == call_id)
    return query


def _phase_is_by_name(phase: int) -> bool:
    """Whether a state name means the same phase in every workflow that has it (so tallies,
    which do not keep the workflow, can be summed by state name)."""
    phases: dict[str, set] = {}
    for wf in APPLICATION_WORKFLOWS.values():
        for s in wf.states:
            phases.setdefault(s.name, set()).add(s.phase)
    return all(len(p) == 1 for p in phases.values() if phase in p)


def label_counts() -> tuple[int, int]:
    """(valid, revoked) quality labels: the applications in a state that holds one, and in a
    state whose label was revoked. A label is issued and revoked only by firing a transition
    into such a state, so the tallies count labels exactly."""
    B = BreakdownTally  # labels are granted after an evaluation: submitted applications
    rows = db.session.execute(
        select(Call.workflow, B.value, func.coalesce(func.sum(B.n), 0))
        .join(Call, Call.id == B.call_id)
        .where(
            B.dimension == "state",
            or_(
                in_states(Call.workflow, B.value, holds_label=True),
                in_states(Call.workflow, B.value, revoked_label=True),
            ),
        )
        .group_by(Call.workflow, B.value)
    ).all()
    valid = revoked = 0
    for workflow, state, n in rows:
        if get_workflow(workflow).state(state).holds_label:
            valid += int(n)
        else:
            revoked += int(n)
    return valid, revoked


def closed_chain_count() -> int:
    """Value chains the Region closed (``State.chain_closed``): counted among the recognised
    ones (``label_counts``), the registry lists them as closed."""
    B = BreakdownTally
    return int(
        db.session.scalar(
            select(func.coalesce(func.sum(B.n), 0))
            .join(Call, Call.id == B.call_id)
            .where(B.dimension == "state", in_states(Call.workflow, B.value, chain_closed=True))
        )
    )
