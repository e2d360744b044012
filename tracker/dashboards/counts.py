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
from tracker.dashboards.models import ApplicationTally
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
    T = ApplicationTally
    query = select(func.coalesce(func.sum(T.n), 0)).where(T.submitted.is_(True))
    if calls is not None:
        query = query.where(T.call_id.in_(calls))
    if filters.call_id is not None:
        query = query.where(T.call_id == filters.call_id)
    if filters.state:
        query = query.where(T.state == filters.state)
    if filters.province:
        query = query.where(T.province == filters.province)
    if filters.thematic_area:
        query = query.where(T.thematic_area == filters.thematic_area)
    if filters.s3_ecosystem:
        query = query.where(T.s3_ecosystem == filters.s3_ecosystem)
    if filters.phase is not None:
        if not _phase_is_by_name(filters.phase):
            return None
        states = {
            s.name
            for wf in APPLICATION_WORKFLOWS.values()
            for s in wf.states
            if s.phase == filters.phase
        }
        query = query.where(T.state.in_(sorted(states)))
    return int(db.session.scalar(query))


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
    T = ApplicationTally
    rows = db.session.execute(
        select(Call.workflow, T.state, func.coalesce(func.sum(T.n), 0))
        .join(Call, Call.id == T.call_id)
        .where(
            or_(
                in_states(Call.workflow, T.state, holds_label=True),
                in_states(Call.workflow, T.state, revoked_label=True),
            )
        )
        .group_by(Call.workflow, T.state)
    ).all()
    valid = revoked = 0
    for workflow, state, n in rows:
        if get_workflow(workflow).state(state).holds_label:
            valid += int(n)
        else:
            revoked += int(n)
    return valid, revoked
