"""The demo world: loaded through the real operations, consistent, and loaded once only."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import func, select

from tracker.applications.models import Application
from tracker.applications.operations import available_transitions
from tracker.auth.models import User
from tracker.calls.models import Call
from tracker.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo
from tracker.demo.value_chains import FASHION_TITLE, STEEL_TITLE
from tracker.extensions import db
from tracker.labels.models import QualityLabel
from tracker.organisations.models import Organisation
from tracker.organisations.vat import vat_problem
from tracker.reference import LOMBARDY_PROVINCES, THEMATIC_AREAS
from tracker.types import utcnow
from workflows import get_workflow


def _counts() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Organisation, User, Call, Application, QualityLabel)
    )


def test_demo_world(app):
    summary = load_demo()
    assert summary.startswith("Demo data loaded")
    assert summary.splitlines()[-1].startswith(f"Demo accounts: {len(DEMO_ACCOUNTS)}")
    db.session.expire_all()

    # the call, with its three real extensions in order
    call = db.session.scalar(select(Call).where(Call.workflow == "value_chain"))
    assert call.title == "Manifestazione di interesse per l'individuazione delle filiere"
    assert call.opens_at == dt.date(2022, 3, 1)
    assert call.deadline == dt.date(2027, 12, 31)
    assert [(e.previous_deadline, e.new_deadline) for e in call.extensions] == [
        (dt.date(2022, 12, 31), dt.date(2023, 12, 31)),
        (dt.date(2023, 12, 31), dt.date(2025, 12, 31)),
        (dt.date(2025, 12, 31), dt.date(2027, 12, 31)),
    ]
    assert call.max_total == 100 and call.min_firms == 10
    assert len(call.committee) == 3

    apps = db.session.scalars(
        select(Application).where(Application.workflow == "value_chain").order_by(Application.id)
    ).all()
    states = Counter(a.state for a in apps)
    assert set(states) == {s.name for s in get_workflow("value_chain").states}, states
    assert states["label_granted"] > len(apps) / 2
    assert {a.thematic_area for a in apps} == set(THEMATIC_AREAS)

    # every application's state is what its history says, at the time it says
    now = utcnow()
    for a in apps:
        if a.history:
            assert a.state == a.history[-1].to_state, a.title
            assert a.state_entered_at == a.history[-1].at, a.title
            assert a.history[0].from_state == "draft"
            for before, after in zip(a.history, a.history[1:], strict=False):
                assert before.to_state == after.from_state and before.at < after.at, a.title
        else:
            assert a.state == "draft" and a.state_entered_at == a.created_at, a.title
        assert a.created_at <= a.state_entered_at < now
        assert all(r.submitted_at < now for r in a.reviews)

    # labels: unique codes, granted above the threshold, the revoked one with its reason
    labels = db.session.scalars(select(QualityLabel)).all()
    assert len(labels) >= 40
    assert len({label.code for label in labels}) == len(labels)
    for label in labels:
        assert label.application.score >= call.score_threshold
        assert label.valid == (label.application.state != "label_revoked")
    assert all(a.score < call.score_threshold for a in apps if a.state == "not_recognised")

    # organisations: valid, unique VAT numbers; all twelve provinces in the partnerships
    orgs = db.session.scalars(select(Organisation)).all()
    assert len(orgs) >= 300
    assert all(vat_problem(o.vat_number) is None for o in orgs)
    assert len({o.vat_number for o in orgs}) == len(orgs)
    provinces = {o.province for a in apps for o in a.partner_organisations}
    assert set(LOMBARDY_PROVINCES) <= provinces
    assert any(not o.lombardy_seat for a in apps for o in a.partner_organisations)

    # every demo account logs in with the demo password
    users = {u.email: u for u in db.session.scalars(select(User))}
    for email, _ in DEMO_ACCOUNTS:
        assert users[email].check_password(DEMO_PASSWORD), email

    # the real case
    steel = next(a for a in apps if a.title == STEEL_TITLE)
    assert steel.state == "label_granted"
    assert len(steel.partners) == 43
    assert steel.lead_organisation.name.startswith("Duferco Travi e Profilati")
    assert steel.lead_organisation.province == "BS"
    assert "AFIL" in steel.actions and "white slag" in steel.objectives
    assert steel.lead_organisation_id == users["steel@demo.example.org"].organisation_id
    assert steel.partner_for(users["partner@demo.example.org"].organisation_id) is not None
    reviewer3 = users["reviewer3@demo.example.org"]
    assert steel.has_conflict(reviewer3)
    assert reviewer3.id not in {r.reviewer_id for r in steel.reviews}

    # the draft one firm short: its submission is refused, naming the missing firms
    fashion = next(a for a in apps if a.title == FASHION_TITLE)
    lead = users["lead@demo.example.org"]
    assert fashion.state == "draft" and fashion.lead_organisation_id == lead.organisation_id
    submit = next(o for o in available_transitions(lead, fashion) if o.trigger == "submit")
    assert not submit.allowed
    assert [u.condition for u in submit.unmet] == ["min_lombardy_firms"]

    # a reviewer has work to do, and a conflict to respect, among the applications under evaluation
    under = [a for a in apps if a.state == "under_evaluation"]
    assert any(a.review_refusal(users["reviewer1@demo.example.org"]) is None for a in under)
    assert any(a.has_conflict(reviewer3) for a in under)

    # loading again changes nothing, also through the command line
    before = _counts()
    assert "skipped" in load_demo()
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0 and "skipped" in result.output
    assert _counts() == before
