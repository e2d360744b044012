"""Support measures (phase 2): a measure's ranking, budget and waitlist, and a value chain's
support. Measures themselves are calls (``/calls``, workflow ``support_application``); their
applications are applications (``/applications``) carrying ``requested_amount``,
``value_chain_id``, ``base_score``, ``label_bonus_applied``, ``score`` and ``granted_amount``."""

from __future__ import annotations

from sqlalchemy import select

from tracker.api.framework import ID, endpoint
from tracker.applications.access import visible_filter
from tracker.applications.models import Application, Partner
from tracker.applications.operations import get_application
from tracker.auth.models import User
from tracker.calls.operations import get_call
from tracker.errors import NotFound
from tracker.extensions import db
from tracker.measures import queries
from tracker.measures.operations import VALUE_CHAIN, is_measure
from tracker.measures.schemas import RankingOut, ValueChainSupportOut
from workflows.i18n import N_


@endpoint(
    "GET", f"/calls/<{ID}:call_id>/ranking", summary="A measure's ranking, budget and waitlist",
    tag="measures", response=RankingOut,
)  # fmt: skip
def ranking(user: User, call_id: int) -> RankingOut:
    """The published ranking of a support measure: the applications whose evaluation is closed,
    by total score (the committee's average plus the quality-label bonus), with the budget
    committed and left and the waitlist. 404 for a call that is not a support measure."""
    call = get_call(call_id)
    if not is_measure(call):
        raise NotFound(N_("Call %(id)s is not a support measure: it has no ranking.", id=call_id))
    rows = queries.ranking(call)
    return RankingOut.of(call, queries.budget_of(call), rows, queries.waitlist(rows))


@endpoint(
    "GET", f"/applications/<{ID}:application_id>/support",
    summary="A value chain's support measures", tag="measures", response=ValueChainSupportOut,
    errors=(403,),
)  # fmt: skip
def value_chain_support(user: User, application_id: int) -> ValueChainSupportOut:
    """Phase 2 of a value chain: the applications made to support measures on its behalf (those
    the caller may see) and the total granted to it. 404 for an application that is not a value
    chain; 403 for one the caller may not see."""
    chain = get_application(application_id, user)
    if chain.workflow != VALUE_CHAIN:
        raise NotFound(N_("Application %(id)s is not a value chain.", id=application_id))
    items = queries.support_applications_of(chain.id)
    visible = set(
        db.session.scalars(
            select(Application.id).where(
                Application.id.in_([a.id for a in items]),
                visible_filter(user, Application, Partner),
            )
        ).all()
    ) if items else set()  # fmt: skip
    granted = queries.support_received([chain.id]).get(chain.id)
    return ValueChainSupportOut.of(chain, granted, [a for a in items if a.id in visible])
