"""The demo's phase 2: the real measures with their rules, replayed through the operations, with
books that balance and value chains whose support comes from granted applications."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from measuretools import committed_by_grants
from sqlalchemy import select

from tracker.applications.models import Application
from tracker.applications.operations import available_transitions
from tracker.auth.models import User
from tracker.calls.models import Call
from tracker.demo import load_demo
from tracker.demo.value_chains import STEEL_TITLE
from tracker.extensions import db
from tracker.measures.queries import ranking
from workflows.definitions.support_application import HOLDS_BUDGET


def test_the_demo_measures(app):
    summary = load_demo()
    assert "Support measures: 6 measures" in summary
    db.session.expire_all()
    measures = {
        c.title: c
        for c in db.session.scalars(select(Call).where(Call.workflow == "support_application"))
    }
    bando = measures["Bando Filiere 2022 - progetti delle filiere lombarde"]
    assert (bando.budget, bando.max_grant, bando.min_firms, bando.score_threshold) == (
        4_000_000, 400_000, 10, 65,
    )  # fmt: skip
    assert bando.label_bonus == 10 and bando.opens_at.year == bando.deadline.year == 2022
    assert [(c.key, c.max_score) for c in bando.criteria] == [
        ("coherence", 10), ("innovativeness", 20), ("added_value", 20),
        ("representativeness", 15), ("investments", 20), ("employment", 15),
    ]  # fmt: skip
    rules = {
        title.split(" - ")[-1] if "Rafforzamento" in title else title.split(" ")[0]: (
            c.budget,
            c.max_grant,
            c.min_firms,
            c.min_smes,
        )
        for title, c in measures.items()
    }
    assert rules["2024 window"] == (34_000_000, 5_000_000, 3, 1)
    assert rules["2025 window"] == (32_400_000, 5_000_000, 3, 1)
    assert rules["Basket"][0] == 32_000_000 and rules["Basket"][3] == 3
    assert rules["Competenze"][0] == 10_000_000 and rules["Competenze"][3] == 5
    assert rules["Transizione"][0] == 12_000_000 and rules["Transizione"][2] == 5

    support = db.session.scalars(
        select(Application).where(Application.workflow == "support_application")
    ).all()
    states = {a.state for a in support}
    assert {"draft", "submitted", "under_evaluation", "scored", "granted", "waitlisted",
            "rejected", "inadmissible", "in_implementation", "completed", "withdrawn"} == states  # fmt: skip

    # the books balance, and every score is what the rules give
    for call in measures.values():
        assert call.committed == committed_by_grants(call.id) <= call.budget, call.title
    now = dt.datetime.now(dt.UTC)
    for a in support:
        assert a.state == (a.history[-1].to_state if a.history else "draft")
        assert all(x.at < y.at for x, y in zip(a.history, a.history[1:], strict=False))
        assert a.created_at <= a.state_entered_at < now
        assert a.requested_amount <= a.call.max_grant
        if a.granted_amount is not None:
            assert a.granted_amount <= a.requested_amount
        if a.base_score is not None:
            assert a.score == a.base_score + a.label_bonus_applied
            closed = next(h.at for h in a.history if h.trigger == "close_evaluation")
            label = a.value_chain.label if a.value_chain else None
            valid = label is not None and (label.revoked_at is None or label.revoked_at > closed)
            assert a.label_bonus_applied == (a.call.label_bonus if valid else 0), a.title
        if a.state in ("granted", "waitlisted", *HOLDS_BUDGET):
            assert a.base_score >= a.call.score_threshold
    # the bonus never lifts an application over the threshold
    lifted = [a for a in support if a.base_score is not None and a.base_score < 65 <= a.score]
    assert lifted and all(a.state == "rejected" for a in lifted if a.call == bando)
    assert any(r.application.state == "waitlisted" for r in ranking(bando))
    assert any(a.granted_amount and a.granted_amount < a.requested_amount for a in support)
    no_bonus = [a for a in support if a.value_chain and a.value_chain.state == "label_revoked"]
    assert no_bonus and all(a.label_bonus_applied == 0 for a in no_bonus)

    # value chains: support comes from grants, recorded in their history with the officer
    chains = db.session.scalars(
        select(Application).where(Application.workflow == "value_chain")
    ).all()
    officer = db.session.scalar(select(User).where(User.email == "officer@demo.example.org"))
    supported = [c for c in chains if c.state in ("support_active", "closed")]
    assert len(supported) >= 5 and any(c.state == "closed" for c in supported)
    for chain in supported:
        activation = next(h for h in chain.history if h.trigger == "activate_support")
        assert activation.actor_id == officer.id
        grants = [h for a in support if a.value_chain_id == chain.id
                  for h in a.history if h.trigger == "grant"]  # fmt: skip
        assert activation.at in {h.at for h in grants}, chain.title
    for chain in chains:
        if chain.state == "label_granted":
            assert not any(a.value_chain_id == chain.id and a.granted_amount for a in support), (
                chain.title
            )

    # the demo accounts have something to do
    users = {u.email: u for u in db.session.scalars(select(User))}
    steel = next(c for c in chains if c.title == STEEL_TITLE)
    assert steel.state == "label_granted"
    steel_draft = next(a for a in support if a.value_chain_id == steel.id)
    submit = next(
        o for o in available_transitions(users["steel@demo.example.org"], steel_draft)
        if o.trigger == "submit"
    )  # fmt: skip
    assert {u.condition for u in submit.unmet} <= {"call_open"}
    lead = users["lead@demo.example.org"]
    silk_draft = next(a for a in support if a.created_by_id == lead.id)
    submit = next(o for o in available_transitions(lead, silk_draft) if o.trigger == "submit")
    assert "min_lombardy_firms" in {u.condition for u in submit.unmet}
    reviewer = users["reviewer1@demo.example.org"]
    # a review due: once reviewer1 has declared no conflict of interest, as the page asks
    assert any(a.state == "under_evaluation" and a.review_awaited(reviewer) for a in support)
    scored = [a for a in support if a.state == "scored"]
    assert scored and all(
        any(o.trigger == "grant" and o.allowed for o in available_transitions(officer, a))
        for a in scored
    )
    assert sum(a.granted_amount for a in support if a.state in HOLDS_BUDGET) > Decimal(30_000_000)
