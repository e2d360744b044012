"""Demo: partnership changes of recognised value chains, all invented (firms, dates, reasons).

One recognised chain grew: two firms joined, named by its lead partner and acknowledged by the
Region, and a third join awaits the Region's acknowledgement. Another recognised chain lost a
partner (it left, acknowledged), staying above the call's minimum of ten Lombard firms. The
steel value chain keeps the 43 organisations of the real case. Built through the real
operations, backdated like the rest of the demo, after the support measures (modules load in name
order), so that the chains chosen are still living.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

#: (days after the chain's label, days the Region took to acknowledge; None: still awaited)
JOINS = ((120, 21), (300, 14), (None, None))
REASONS = {
    "join": "Joins the chain's supply network: its products feed the partners' lines.",
    "leave": "The partner left the partnership after a change of its research programme.",
}


def extend(world: Any) -> str:
    from sqlalchemy import select

    from tracker.applications.models import Application
    from tracker.changes.operations import fire_transition, request_change
    from tracker.columns import utcnow
    from tracker.demo.value_chains import CHAINS, STEEL_TITLE
    from tracker.extensions import db
    from tracker.labels.models import QualityLabel
    from tracker.organisations.operations import verify_organisation

    officer, now = world.users["officer"], utcnow()
    recognised = [
        (app, lead)
        for app in db.session.scalars(
            select(Application)
            .join(QualityLabel, QualityLabel.application_id == Application.id)
            .where(Application.title != STEEL_TITLE, QualityLabel.revoked_at.is_(None))
            .order_by(QualityLabel.decree_date, Application.id)
        )
        # a chain still living (the partnership of a chain the Region closed no longer changes);
        # this module runs after the measures' (name order), where the Region closes one chain
        if not app.state_info.terminal and (lead := _staff_of(app.lead_organisation_id)) is not None
    ]
    (grew, grew_lead), *others = recognised

    partners = {p.organisation_id for p in grew.partners}
    # firms of the chain's own trade first (its family of the demo data), then any
    family = next((c.family for c in CHAINS if c.title == grew.title), None)
    pools = [world.pools.get(family, []), *world.pools.values()]
    candidates = list(dict.fromkeys(o for pool in pools for o in pool if o.id not in partners))
    joined = 0
    for (after, took), org in zip(JOINS, candidates, strict=False):
        asked = min(grew.label.granted_at + dt.timedelta(days=after or 500),
                    now - dt.timedelta(days=30))  # fmt: skip
        if not org.verified:
            verify_organisation(officer, org, at=asked - dt.timedelta(days=2))
        change = request_change(
            grew_lead, grew,
            {"kind": "join", "organisation_id": org.id, "reason": REASONS["join"],
             "role": "Supplier"},
            at=asked,
        )  # fmt: skip
        if took is not None:
            done = min(asked + dt.timedelta(days=took), now - dt.timedelta(days=1))
            fire_transition(officer, change, "acknowledge", at=done)
            joined += 1

    # another recognised chain: a partner that is no firm leaves, the chain keeps its minimum
    other, lead, leaving = next(
        (app, lead, p)
        for app, lead in others
        for p in app.partners
        if not p.is_lead and not p.organisation.is_lombard_firm
    )
    asked = min(other.label.granted_at + dt.timedelta(days=200), now - dt.timedelta(days=20))
    change = request_change(
        lead, other,
        {"kind": "leave", "organisation_id": leaving.organisation_id, "reason": REASONS["leave"]},
        at=asked,
    )  # fmt: skip
    fire_transition(officer, change, "acknowledge", at=asked + dt.timedelta(days=10))
    return (
        f"Partnership changes: {joined} firms joined \u201c{grew.title}\u201d, a third join "
        f"awaits the Region; {leaving.organisation.name} left \u201c{other.title}\u201d."
    )


def _staff_of(organisation_id: int):
    """A demo user of the lead partner (an applicant), or None."""
    from sqlalchemy import select

    from tracker.auth.models import User, UserRole
    from tracker.extensions import db

    return db.session.scalar(
        select(User)
        .where(
            User.organisation_id == organisation_id,
            User.role_rows.any(UserRole.role == "applicant"),
        )
        .order_by(User.id)
        .limit(1)
    )
