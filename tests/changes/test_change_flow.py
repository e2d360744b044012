"""A change from its request to its force: who asks, who answers, what the partner list, the
tallies, the registry and the emails do, and what is refused."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tracker.applications.models import HistoryEntry
from tracker.changes.models import ChangeHistory, PartnershipChange, Shortfall
from tracker.changes.operations import warnings
from tracker.dashboards.models import OrganisationTally
from tracker.dashboards.tallies import differences
from tracker.errors import Conflict, Forbidden, ValidationFailed
from tracker.extensions import db
from tracker.labels.queries import registry_totals
from tracker.mail.models import OutboxEmail


def _partners(app) -> set[int]:
    db.session.refresh(app)
    return {p.organisation_id for p in app.partners}


def _tally(org_id) -> int:
    return (
        db.session.scalar(
            select(OrganisationTally.n).where(OrganisationTally.organisation_id == org_id)
        )
        or 0
    )


def test_a_firm_joins_a_registry_chain(cw):
    history_before = db.session.scalar(
        select(func.count())
        .select_from(HistoryEntry)
        .where(HistoryEntry.application_id == cw.chain.id)
    )
    totals_before = registry_totals(1)
    change = cw.ask(cw.joiner, "join", cw.joiner_org, role="Supplier")
    assert change.state == "requested"
    assert change.can_view(cw.joiner) and not cw.chain.can_view(cw.joiner)
    # the lead's staff are told to answer
    told = db.session.scalars(
        select(OutboxEmail.user_id).where(OutboxEmail.kind == "change_requested")
    ).all()
    assert told == [cw.lead.id]
    cw.fire(change, cw.lead, "accept")
    assert change.state == "accepted"
    assert cw.joiner_org.id not in _partners(cw.chain)  # nothing changes before the Region
    entry = cw.fire(change, cw.officer, "acknowledge")
    assert (entry.from_state, entry.to_state) == ("accepted", "in_force")
    assert change.in_force_at == entry.at
    assert cw.joiner_org.id in _partners(cw.chain)
    assert _tally(cw.joiner_org.id) == 1
    assert registry_totals(1)["organisations"] == totals_before["organisations"] + 1
    assert differences() == []
    # the application's own history holds no pretend state change
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(HistoryEntry)
            .where(HistoryEntry.application_id == cw.chain.id)
        )
        == history_before
    )
    kinds = set(db.session.scalars(select(OutboxEmail.kind)).all())
    assert {"change_accepted", "change_in_force"} <= kinds


def test_a_join_waits_for_the_organisation_to_be_verified(cw, make):
    declared = make.organisation("Declared Srl", verified=False, declared_by=cw.lead)
    change = cw.ask(cw.lead, "join", declared)
    assert change.state == "accepted"  # asked by the lead: accepted as asked
    with pytest.raises(ValidationFailed) as refused:
        cw.fire(change, cw.officer, "acknowledge")
    assert [u["condition"] for u in refused.value.details["unmet"]] == [
        "joining_organisation_verified"
    ]
    db.session.rollback()
    assert declared.id not in _partners(cw.chain)


def test_a_leave_below_the_minimum_warns_and_flags_the_chain(cw):
    change = cw.ask(cw.partner, "leave", cw.partner_org)
    assert change.state == "requested"
    assert [w["code"] for w in warnings(change)] == ["below_minimum"]
    cw.fire(change, cw.lead, "accept")
    cw.fire(change, cw.officer, "acknowledge")
    assert cw.partner_org.id not in _partners(cw.chain)
    assert _tally(cw.partner_org.id) == 0
    shortfall = db.session.scalar(select(Shortfall))
    assert (shortfall.firms, shortfall.required, shortfall.resolved_at) == (2, 3, None)
    assert differences() == []
    # a join brings it back
    back = cw.ask(cw.lead, "join", cw.joiner_org)
    cw.fire(back, cw.officer, "acknowledge")
    db.session.refresh(shortfall)
    assert shortfall.resolved_at is not None


def test_the_lead_hands_over(cw):
    change = cw.ask(cw.lead, "change_lead", cw.partner_org)
    assert change.state == "requested"
    with pytest.raises(Forbidden):
        cw.fire(change, cw.lead, "accept")  # the named partner accepts, not the lead
    db.session.rollback()
    cw.fire(change, cw.partner, "accept")
    cw.fire(change, cw.officer, "acknowledge")
    db.session.refresh(cw.chain)
    assert cw.chain.lead_organisation_id == cw.partner_org.id
    assert cw.chain.partner_for(cw.partner_org.id).role == "Lead partner (capofila)"
    assert differences() == []


def test_who_asked_withdraws(cw):
    change = cw.ask(cw.joiner, "join", cw.joiner_org)
    with pytest.raises(Forbidden):
        cw.fire(change, cw.stranger, "withdraw")
    db.session.rollback()
    cw.fire(change, cw.joiner, "withdraw")
    assert change.state == "withdrawn"
    rows = db.session.scalars(
        select(ChangeHistory).where(ChangeHistory.change_id == change.id)
    ).all()
    assert [r.trigger for r in rows] == ["withdraw"] and rows[0].hash is not None


def test_refusals(cw, make):
    with pytest.raises(Forbidden):
        cw.ask(cw.stranger, "join", cw.joiner_org)  # not theirs to ask
    db.session.rollback()
    with pytest.raises(Conflict):
        cw.ask(cw.lead, "join", cw.partner_org)  # already a partner
    db.session.rollback()
    with pytest.raises(ValidationFailed):
        cw.ask(cw.lead, "leave", cw.w.lead_org)  # the lead leaves only after handing over
    db.session.rollback()
    cw.ask(cw.joiner, "join", cw.joiner_org)
    with pytest.raises(Conflict):
        cw.ask(cw.lead, "join", cw.joiner_org)  # one open change per organisation
    db.session.rollback()
    draft = make.application(cw.call, cw.lead, title="Another draft")
    with pytest.raises(Conflict):
        from tracker.changes.operations import request_change

        request_change(cw.lead, draft, {"kind": "join", "organisation_id": cw.joiner_org.id})
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(PartnershipChange)) == 1


def test_the_database_holds_one_open_change_per_organisation(cw):
    """Two people asking at the same moment both pass the operation's check: the partial unique
    index refuses the second row, a 409."""
    from tracker.database import flush
    from workflows import get_engine

    cw.ask(cw.joiner, "join", cw.joiner_org)
    twin = PartnershipChange(
        application=cw.chain, kind="join", organisation=cw.joiner_org, requested_by_id=cw.lead.id
    )
    get_engine("partnership_change").initialise(twin)
    db.session.add(twin)
    with pytest.raises(Conflict):
        flush()
