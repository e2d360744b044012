"""What the pages show of phase 2: a measure's budget, ranking and waitlist on its call page, the
amounts and score of an application to a measure, and a value chain's support measures.

The measures have no pages of their own: the call and application pages (tracker.calls.pages,
tracker.applications.pages) ask these functions for their phase-2 parts, so that neither imports
the other's pages. Each costs a fixed number of queries.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from tracker.applications.access import visible_filter
from tracker.applications.models import Application, Partner
from tracker.auth.models import signed_in
from tracker.calls.models import Call
from tracker.extensions import db
from tracker.labels.queries import closures
from tracker.measures import queries
from tracker.measures.forms import (
    EditSupportApplicationForm,
    SupportApplicationForm,
    prepare,
)
from tracker.measures.grant import compute as compute_grant
from tracker.measures.operations import is_measure
from tracker.measures.rules import STATE_AID_REGIMES


def _visible_ids(user, call_id: int) -> set[int]:
    """The applications of a measure ``user`` may open (one query): the ranking links them."""
    if signed_in(user) is None:
        return set()
    return set(
        db.session.scalars(
            select(Application.id).where(
                Application.call_id == call_id, visible_filter(user, Application, Partner)
            )
        ).all()
    )


def measure_context(call: Call, user) -> dict[str, Any]:
    """The measure's part of its call page: budget for everyone; the ranking and the waitlist
    (the published "graduatoria": evaluated applications only) for people who log in."""
    if not is_measure(call):
        return {"measure": None}
    # only a ranked call has a ranking: a rolling measure decides in order of arrival, an
    # instrument scores nothing (their applications are in the list, filtered by call)
    ranked = call.measure_kind == "ranked"
    rows = queries.ranking(call) if ranked and signed_in(user) is not None else None
    return {
        "measure": {
            "budget": queries.budget_of(call),
            "ranking": rows,
            "waitlist": queries.waitlist(rows or []),
            "holding": [r for r in rows or [] if r.application.state_info.holds_budget],
            "visible": _visible_ids(user, call.id),
            "regimes": STATE_AID_REGIMES,
        }
    }


def application_context(app: Application, user) -> dict[str, Any]:
    """An application's phase-2 parts: its amounts and score when it applies to a measure; the
    measures applied to when it is a value chain."""
    out: dict[str, Any] = {"support": None, "phase_two": None}
    if is_measure(app.call):
        ranked = app.call.measure_kind == "ranked" and app.base_score is not None
        rows = queries.ranking(app.call) if ranked else []
        place = next((r for r in rows if r.application.id == app.id), None)
        chain = app.value_chain
        out["support"] = {
            "budget": queries.budget_of(app.call),
            "chain": chain,
            "chain_visible": chain is not None and chain.can_view(user),
            "rank": place.rank if place else None,
            "ranked": sum(1 for r in rows if r.eligible),
            "holds_budget": app.state_info.holds_budget,
            "grant": compute_grant(app),
            "spend_total": app.eligible_spend_total,
        }
    elif app.workflow == "value_chain":
        items = queries.support_applications_of(app.id)
        visible = {a.id for a in items} & _visible_set(user, [a.id for a in items])
        out["phase_two"] = {
            "applications": items,
            "visible": visible,
            "total": queries.granted_total(items),
            "grants": sum(1 for a in items if a.state_info.holds_budget),
            "measures": len({a.call_id for a in items}),
            "closing": _closing(app, items),
        }
    return out


def _closing(chain: Application, items: list[Application]) -> dict[str, Any]:
    """Whether the value chain can be closed now, and why (or why not); once closed, the
    Region's decision. Closing is the officers' transition into a ``chain_closed`` state."""
    wf = chain.definition
    close = next(t for t in wf.transitions if wf.state(t.dest).chain_closed)
    return {
        "transition": close,
        "open": chain.state in close.sources,
        "sources": [wf.state(s) for s in close.sources],
        "closure": closures([chain.id]).get(chain.id) if chain.state_info.chain_closed else None,
        # projects going on under their measures whatever becomes of the chain
        "in_progress": sum(1 for a in items if not a.state_info.terminal),
    }


def _visible_set(user, ids: list[int]) -> set[int]:
    if not ids or signed_in(user) is None:
        return set()
    return set(
        db.session.scalars(
            select(Application.id).where(
                Application.id.in_(ids), visible_filter(user, Application, Partner)
            )
        ).all()
    )


def new_application_form(call: Call, organisation_id: int | None, *, edit: bool = False, **kw):
    """The form to apply to ``call`` (or edit such an application) for the lead organisation: a
    measure's asks for the amount and the value chain too. None for other workflows."""
    if not is_measure(call):
        return None
    form = (EditSupportApplicationForm if edit else SupportApplicationForm)(**kw)
    prepare(form, call, organisation_id)
    return form
