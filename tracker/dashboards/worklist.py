"""The applications of a person's home page: those one of their roles can move or review now
(the applications' source of the work queue, ``tracker.dashboards.queue``), and the
applications of their organisation's partnerships.

Each loads what its page shows eagerly, so that the page costs a fixed number of queries.
"""

from __future__ import annotations

from sqlalchemy import and_, or_, select

from tracker.applications.access import possible_roles, visible_filter
from tracker.applications.models import Application, Partner
from tracker.applications.queries import judging_options
from tracker.extensions import db
from workflows import APPLICATION_WORKFLOWS


def _with_what_options_need(query):
    return query.options(*judging_options())


def worklist_candidates(user, limit: int = 200) -> list[Application]:
    """Visible applications still in progress, in a state from which one of the user's roles can
    move or review them.

    A coarse SQL filter; the caller keeps those whose options say the move is really theirs.
    """
    roles = possible_roles(user)
    per_workflow = []
    for wf in APPLICATION_WORKFLOWS.values():
        states = {s for r in roles for s in wf.states_awaiting(r)}
        if "reviewer" in roles:
            states |= set(wf.states_where(reviewable=True))
        if states:
            per_workflow.append(
                and_(Application.workflow == wf.name, Application.state.in_(sorted(states)))
            )
    if not per_workflow:
        return []
    query = select(Application).where(
        visible_filter(user, Application, Partner), or_(*per_workflow)
    )
    query = _with_what_options_need(query).order_by(Application.state_entered_at, Application.id)
    return list(db.session.scalars(query.limit(limit)).unique().all())


def partnership_applications(user, limit: int = 50) -> list[Application]:
    """The applications of the partnerships the user's organisation belongs to, drafts included."""
    if user.organisation_id is None or not user.has_role("applicant"):
        return []
    query = select(Application).where(
        Application.id.in_(
            select(Partner.application_id).where(Partner.organisation_id == user.organisation_id)
        )
    )
    query = _with_what_options_need(query).order_by(
        Application.updated_at.desc(), Application.id.desc()
    )
    return list(db.session.scalars(query.limit(limit)).unique().all())
