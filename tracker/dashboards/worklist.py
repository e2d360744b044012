"""The applications of a person's home page: those one of their roles can move or review now
(the applications' source of the work queue, ``tracker.dashboards.queue``), and the
applications of their organisation's partnerships.

Each loads what its page shows eagerly, so that the page costs a fixed number of queries.
"""

from __future__ import annotations

from sqlalchemy import select, union_all

from tracker.applications.access import possible_roles, visible_filter
from tracker.applications.models import Application, Partner
from tracker.applications.queries import load_judged
from tracker.calls.models import Call
from tracker.extensions import db
from workflows import APPLICATION_WORKFLOWS


def worklist_candidates(user, limit: int = 200) -> list[Application]:
    """Visible applications still in progress, in a state from which one of the user's roles can
    move or review them, longest waiting first.

    A coarse SQL filter; the caller keeps those whose options say the move is really theirs.
    The ids come first: the ``limit`` first entries of each (workflow, state) range of the index
    on (state, time entered), merged (never a sort of every application waiting: tens of
    thousands on a deadline day); then those rows with what their options need.
    """
    roles = possible_roles(user)
    calls: dict[str, list[int]] = {}
    for call_id, workflow in db.session.execute(select(Call.id, Call.workflow)):
        calls.setdefault(workflow, []).append(call_id)
    ranges, waiting_in = [], set()
    for wf in APPLICATION_WORKFLOWS.values():
        if wf.name not in calls:
            continue  # no call, no application
        states = {s for r in roles for s in wf.states_awaiting(r)}
        if "reviewer" in roles:
            states |= set(wf.states_where(reviewable=True))
        waiting_in |= states
        ranges += [
            select(Application.id.label("id"), Application.state_entered_at.label("entered"))
            .where(
                visible_filter(user, Application, Partner),
                Application.state == state,
                # many workflows share a state's name: their calls are told apart in the index
                Application.call_id.in_(calls[wf.name]),
            )
            .order_by(Application.state_entered_at, Application.id)
            .limit(limit)
            .subquery()
            .select()
            for state in sorted(states)
        ]
    if not ranges:
        return []
    first = union_all(*ranges).subquery()
    ids = db.session.scalars(
        select(first.c.id).order_by(first.c.entered, first.c.id).limit(limit)
    ).all()
    if not ids:
        return []
    # only what this person's moves from these states read (tracker.applications.queries)
    query = select(Application).where(Application.id.in_(ids))
    query = query.order_by(Application.state_entered_at, Application.id)
    return load_judged(query, user, tuple(sorted(waiting_in)))


def partnership_applications(user, limit: int = 50) -> list[Application]:
    """The applications of the partnerships the user's organisation belongs to, drafts included."""
    if user.organisation_id is None or not user.has_role("applicant"):
        return []
    query = select(Application).where(
        Application.id.in_(
            select(Partner.application_id).where(Partner.organisation_id == user.organisation_id)
        )
    )
    # what this person's moves read, from the states they are in (drafts included)
    query = query.order_by(Application.updated_at.desc(), Application.id.desc())
    return load_judged(query.limit(limit), user)
