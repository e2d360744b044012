"""Demo: partnership changes of recognised value chains, all invented (firms, dates, reasons).

The steel value chain grew: two firms joined, named by its lead and acknowledged by the Region,
and a third join awaits the Region's acknowledgement. Another recognised chain lost a partner
(it left, acknowledged), staying above the call's minimum of ten Lombard firms. Built through
the real operations, backdated like the rest of the demo.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

#: (days after the chain's label, days the Region took to acknowledge; None: still awaited)
JOINS = ((120, 21), (300, 14), (None, None))
REASONS = {
    "join": "Supplies recycled scrap to the partners' electric arc furnaces.",
    "leave": "The firm left the partnership after its merger with another group.",
}


def extend(world: Any) -> str:
    from sqlalchemy import select

    from tracker.applications.models import Application
    from tracker.changes.operations import fire_transition, request_change
    from tracker.columns import utcnow
    from tracker.demo.value_chains import STEEL_TITLE
    from tracker.extensions import db
    from tracker.labels.models import QualityLabel
    from tracker.organisations.operations import verify_organisation

    officer, steel_lead = world.users["officer"], world.users["steel"]
    steel = db.session.scalar(select(Application).where(Application.title == STEEL_TITLE))
    granted = steel.label.granted_at
    now = utcnow()
    partners = {p.organisation_id for p in steel.partners}
    candidates = [o for o in world.pools[next(iter(world.pools))] if o.id not in partners]
    candidates += [o for pool in world.pools.values() for o in pool if o.id not in partners]
    joined = 0
    for (after, took), org in zip(JOINS, dict.fromkeys(candidates), strict=False):
        asked = min(granted + dt.timedelta(days=after or 500), now - dt.timedelta(days=30))
        if not org.verified:
            verify_organisation(officer, org, at=asked - dt.timedelta(days=2))
        change = request_change(
            steel_lead, steel,
            {"kind": "join", "organisation_id": org.id, "reason": REASONS["join"],
             "role": "Supplier of recycled scrap"},
            at=asked,
        )  # fmt: skip
        if took is not None:
            done = min(asked + dt.timedelta(days=took), now - dt.timedelta(days=1))
            fire_transition(officer, change, "acknowledge", at=done)
            joined += 1

    # another recognised chain: a partner that is no firm leaves, the chain keeps its minimum
    recognised = db.session.scalars(
        select(Application)
        .join(QualityLabel, QualityLabel.application_id == Application.id)
        .where(Application.id != steel.id, QualityLabel.revoked_at.is_(None))
        .order_by(QualityLabel.decree_date, Application.id)
    ).all()
    other, leaving, lead_user = next(
        (app, p, user)
        for app in recognised
        if (user := _staff_of(app.lead_organisation_id)) is not None
        for p in app.partners
        if not p.is_lead and not p.organisation.is_lombard_firm
    )
    asked = min(other.label.granted_at + dt.timedelta(days=200), now - dt.timedelta(days=20))
    change = request_change(
        lead_user, other,
        {"kind": "leave", "organisation_id": leaving.organisation_id, "reason": REASONS["leave"]},
        at=asked,
    )  # fmt: skip
    fire_transition(officer, change, "acknowledge", at=asked + dt.timedelta(days=10))
    return (
        f"Partnership changes: {joined} firms joined the steel value chain, a third join awaits "
        f"the Region; {leaving.organisation.name} left \u201c{other.title}\u201d."
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
