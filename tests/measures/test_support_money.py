"""The money rules through the operations: the score and its bonus, grants in full or for less,
the budget refused, freed and taken again, a lost race, and the value chain's support."""

from __future__ import annotations

from decimal import Decimal

import pytest
from measuretools import committed_by_grants
from sqlalchemy import select, text, update
from sqlalchemy.exc import IntegrityError

from tracker.applications.models import Application, HistoryEntry
from tracker.applications.operations import create_application, fire_transition
from tracker.calls.models import Call
from tracker.errors import Conflict, ValidationFailed
from tracker.extensions import db
from tracker.measures.queries import ranking, support_received


def unmet(err) -> dict[str, str]:
    return {u["condition"]: u["message"] for u in err.value.details["unmet"]}


def test_the_bonus_goes_to_a_value_chain_holding_a_valid_label_when_the_evaluation_closes(
    measures, world
):
    call = measures.measure()
    labelled = measures.value_chain(title="Labelled")
    unlabelled = measures.value_chain(label=False, title="Still a draft")
    revoked_later = measures.value_chain(title="Revoked after closing")

    with_label = measures.scored(call, 61, value_chain_id=labelled.id)
    assert (with_label.base_score, with_label.label_bonus_applied, with_label.score) == (
        Decimal("61.00"), Decimal("10.00"), Decimal("71.00"),
    )  # fmt: skip
    without_label = measures.scored(call, 61, value_chain_id=unlabelled.id)
    alone = measures.scored(call, 61)
    for app in (without_label, alone):
        assert (app.base_score, app.label_bonus_applied, app.score) == (61, 0, 61)

    # the score is fixed when the evaluation closes: a later revocation does not change it
    kept = measures.scored(call, 66, value_chain_id=revoked_later.id)
    measures.fire(revoked_later, world.officer, "revoke_label", "Fewer than ten firms left.")
    assert kept.score == Decimal("76.00")
    measures.fire(kept, world.officer, "grant", granted_amount="100000")
    assert revoked_later.state == "label_revoked"  # a grant does not bring a revoked chain back

    # the average is exact to the hundredth: 80 and 81 make 80.50
    call2 = measures.measure(title="Second measure")
    app = measures.application(call2)
    measures.fire(app, world.lead, "submit")
    measures.fire(app, world.officer, "admit")
    from measuretools import scores_for

    measures.make.review(app, measures.reviewers[0], scores_for(80))
    measures.make.review(app, measures.reviewers[1], scores_for(81))
    measures.fire(app, world.officer, "close_evaluation")
    assert app.base_score == Decimal("80.50") and isinstance(app.score, Decimal)


def test_the_ranking_orders_by_total_and_leaves_those_below_the_threshold_unranked(measures):
    call = measures.measure()
    chain = measures.value_chain()
    plain_high = measures.scored(call, 75)
    bonus_low = measures.scored(call, 70, value_chain_id=chain.id)  # 80 with the bonus
    below = measures.scored(call, 60, value_chain_id=chain.id)  # 70 with it, still below 65
    measures.application(call)  # a draft: not in the ranking
    rows = ranking(call)
    assert [(r.application.id, r.rank) for r in rows] == [
        (bonus_low.id, 1), (plain_high.id, 2), (below.id, None),
    ]  # fmt: skip
    # 70 with the bonus reaches 65, but the threshold applies to the 60 before it
    assert below.score >= call.score_threshold > below.base_score


def test_grants_commit_the_budget_and_withdrawals_free_it(measures, world):
    call = measures.measure(budget="700000")
    a = measures.scored(call, 90, amount="400000")
    b = measures.scored(call, 85, amount="400000")
    c = measures.scored(call, 80, amount="250000")
    measures.fire(a, world.officer, "grant")
    assert call.committed == Decimal("400000.00") and call.remaining_budget == 300000

    with pytest.raises(ValidationFailed) as err:
        fire_transition(world.officer, b, "grant")
    assert unmet(err) == {
        "budget_available": "Remaining budget EUR 300,000.00 is less than EUR 400,000.00."
    }
    db.session.rollback()
    measures.fire(b, world.officer, "waitlist")
    measures.fire(c, world.officer, "grant", granted_amount="200000")  # a lower grant
    assert call.committed == Decimal("600000.00")
    assert c.granted_amount == Decimal("200000.00") and c.requested_amount == 250000

    measures.fire(a, world.lead, "withdraw", "The lead partner merged with another group.")
    assert call.committed == Decimal("200000.00")
    assert a.granted_amount == Decimal("400000.00")  # the record stays; the budget is free
    measures.fire(b, world.officer, "grant")
    assert call.committed == Decimal("600000.00") == committed_by_grants(call.id)
    entry = db.session.scalars(
        select(HistoryEntry)
        .where(HistoryEntry.application_id == c.id, HistoryEntry.trigger == "grant")
    ).one()  # fmt: skip
    assert entry.data == {"granted_amount": "200000.00"}  # exact text, never a float

    # withdrawing before a grant frees nothing; withdrawing twice is a conflict
    d = measures.scored(call, 70, amount="50000")
    measures.fire(d, world.lead, "withdraw")
    assert call.committed == Decimal("600000.00")
    with pytest.raises(Conflict):
        fire_transition(world.lead, d, "withdraw")
    db.session.rollback()


@pytest.mark.fresh_database
def test_a_grant_that_loses_the_race_writes_nothing(measures, world):
    """The officer saw enough budget; meanwhile another grant took it. The conditional UPDATE
    changes no row: a 409 naming the budget left, and the application stays as it was."""
    call = measures.measure(budget="500000")
    app = measures.scored(call, 80, amount="300000")
    version = app.version
    assert call.committed == 0  # what this session has seen
    with db.engine.begin() as other:  # another officer's transaction, committed meanwhile
        other.execute(update(Call).where(Call.id == call.id).values(committed=Decimal(300000)))
    with pytest.raises(Conflict) as err:
        fire_transition(world.officer, app, "grant")
    assert err.value.code == "budget_exhausted" and err.value.status == 409
    assert err.value.message == (
        "Meanwhile other grants committed the measure's budget: the remaining EUR 200,000.00 is "
        "less than EUR 300,000.00. Nothing was granted."
    )
    db.session.rollback()
    db.session.expire_all()
    assert (app.state, app.version, app.granted_amount) == ("scored", version, None)
    assert call.committed == Decimal("300000.00")
    assert not db.session.scalars(
        select(HistoryEntry).where(HistoryEntry.application_id == app.id, HistoryEntry.trigger == "grant")
    ).all()  # fmt: skip


def test_the_database_refuses_an_overcommitted_budget_and_a_grant_above_the_request(measures):
    call = measures.measure(budget="500000")
    with pytest.raises(IntegrityError):
        db.session.execute(
            update(Call).where(Call.id == call.id).values(committed=Decimal("500000.01"))
        )
        db.session.flush()
    db.session.rollback()
    app = measures.scored(call, 80, amount="300000")
    with pytest.raises(IntegrityError):  # raw SQL: the CHECK, not the ORM, refuses it
        db.session.execute(
            text("UPDATE applications SET granted_amount = :g WHERE id = :id"),
            {"g": 30000001, "id": app.id},
        )
    db.session.rollback()


def test_granting_moves_a_recognised_value_chain_to_support_active_once(measures, world):
    call = measures.measure()
    chain = measures.value_chain()
    first = measures.scored(call, 80, value_chain_id=chain.id)
    second = measures.scored(call, 75, value_chain_id=chain.id)
    before = len(chain.history)
    measures.fire(first, world.officer, "grant")
    db.session.expire_all()
    assert chain.state == "support_active"
    assert len(chain.history) == before + 1
    activation = chain.history[-1]
    assert (activation.trigger, activation.actor_id, activation.at) == (
        "activate_support", world.officer.id, first.history[-1].at,
    )  # fmt: skip
    measures.fire(second, world.officer, "grant", granted_amount="100000")
    db.session.expire_all()
    assert len(chain.history) == before + 1  # already active: nothing more to record
    assert support_received([chain.id]) == {chain.id: Decimal("400000.00")}


def test_what_a_lead_may_ask_and_for_which_value_chain(make, measures, world):
    call = measures.measure()
    mine = measures.value_chain(label=False, title="Ours, not yet recognised")
    partner_org = mine.partners[1].organisation
    partner_lead = make.user("applicant", organisation=partner_org)
    # a partner (not the lead) of a value chain may apply for it too
    app = create_application(
        partner_lead, call, {"title": "T", "requested_amount": "1", "value_chain_id": mine.id}
    )
    assert app.value_chain_id == mine.id and app.requested_amount == Decimal("1.00")
    db.session.rollback()
    cases = {
        "0": "Requested amount must be a number of at least 0.01.",
        "-3": "Requested amount must be a number of at least 0.01.",
        "10.001": "Requested amount may have at most two decimal places.",
        "abc": "Requested amount must be a number.",
        "400000.01": "Requested EUR 400,000.01 is above the maximum grant of EUR 400,000.00.",
    }
    for amount, message in cases.items():
        with pytest.raises(ValidationFailed) as err:
            create_application(world.lead, call, {"title": "T", "requested_amount": amount})
        assert err.value.details["fields"] == {"requested_amount": message}, amount
        db.session.rollback()
    support_app = measures.application(call)
    for bad in (support_app.id, 10**6, "x", True):
        with pytest.raises(ValidationFailed) as err:
            create_application(
                world.lead, call, {"title": "T", "requested_amount": "5", "value_chain_id": bad}
            )
        assert list(err.value.details["fields"]) == ["value_chain_id"]
        db.session.rollback()
    # a phase-1 call ignores both fields
    plain = create_application(
        world.lead, world.call, {"title": "T", "value_chain_id": mine.id, "requested_amount": "5"}
    )
    assert plain.value_chain_id is None
    assert (
        db.session.scalar(select(Application.value_chain_id).where(Application.id == plain.id))
        is None
    )
