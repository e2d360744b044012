"""The demo's partnership changes: a chain that grew, a partner that left, a change awaiting
the Region, all consistent with the partner lists, the tallies and the hash chains."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tracker.applications.models import Application
from tracker.audit.verify import verify
from tracker.changes.models import PartnershipChange
from tracker.dashboards.tallies import differences
from tracker.demo import load_demo
from tracker.demo.value_chains import STEEL_TITLE
from tracker.extensions import db


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_demo_chain_grew_and_a_partner_left(app):
    load_demo()
    steel = db.session.scalar(select(Application).where(Application.title == STEEL_TITLE))
    assert len(steel.partners) == 43  # the real case keeps its partnership
    changes = db.session.scalars(select(PartnershipChange).order_by(PartnershipChange.id)).all()
    joins = [c for c in changes if c.kind == "join"]
    assert [c.state for c in joins] == ["in_force", "in_force", "accepted"]
    grew = joins[0].application
    assert {c.application_id for c in joins} == {grew.id} and grew.label.valid
    partners = {p.organisation_id for p in grew.partners}
    assert {c.organisation_id for c in joins[:2]} <= partners
    assert joins[2].organisation_id not in partners
    (left,) = [c for c in changes if c.kind == "leave"]
    assert left.state == "in_force" and left.application.partner_for(left.organisation_id) is None
    assert left.application.lombardy_firm_count >= left.application.call.min_firms
    for c in changes:
        assert c.history[-1].at >= c.created_at and c.state == c.history[-1].to_state
    assert differences() == []
    assert verify(db.session.connection()).intact
