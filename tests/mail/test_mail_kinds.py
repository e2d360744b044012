"""The table of what is sent to whom holds together, every kind is written by the real operations
in both languages, and the demo writes no email about its invented past."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete, func, select

from tracker.auth.models import User
from tracker.calls.operations import appoint_member
from tracker.communities.operations import fire_transition as fire_proposal
from tracker.database import commit
from tracker.extensions import db
from tracker.mail.kinds import EVENTS, KIND_GROUP, KINDS
from tracker.mail.models import OutboxEmail
from tracker.mail.operations import AUDIENCES, muted
from tracker.settings import ROOT
from workflows import get_workflow


def test_the_table_names_real_transitions_audiences_and_templates():
    for (workflow, trigger), kinds in EVENTS.items():
        assert trigger in {t.trigger for t in get_workflow(workflow).transitions}, trigger
        assert kinds and set(kinds) <= set(KINDS)
    sent_by_transitions = {k for kinds in EVENTS.values() for k in kinds}
    # a partnership change asked is news to its counterpart: sent by ``request_change``
    assert set(KINDS) == sent_by_transitions | {"committee_appointed", "change_requested"}
    assert set(KIND_GROUP) == set(KINDS)
    for kind in KINDS.values():
        assert kind.audience in AUDIENCES
        assert (ROOT / "templates" / kind.template).is_file(), kind.template
        assert "%(title)s" in str(kind.subject)


def test_templates_read_only_the_name_of_their_reader():
    """An email is written once per kind and language, then the name put in for each reader
    (tracker.mail.operations._Reader): a template reading more of ``person`` would be wrong."""
    import re

    for path in (ROOT / "templates" / "mail").glob("*.txt"):
        uses = set(re.findall(r"\bperson\b[\w.]*", path.read_text()))
        assert uses <= {"person.name"}, (path.name, uses)


def outbox() -> list[OutboxEmail]:
    return list(db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id)))


def _walk_value_chains(make, world):
    ok = make.application(world.call, world.lead, title="Steel slag value chain")
    make.fire(ok, world.lead, "submit")
    make.fire(ok, world.reviewers[0], "request_integration", "Add the signed commitments.")
    make.fire(ok, world.lead, "resubmit", "The signed commitments are attached.")
    make.fire(ok, world.reviewers[0], "admit")
    for r in world.reviewers:
        make.review(ok, r)
    make.fire(ok, world.reviewers[1], "close_evaluation")
    make.fire(ok, world.officer, "grant_label", decree_number="18573", decree_date="2022-11-10")
    make.fire(ok, world.officer, "revoke_label", "The partnership dissolved.")
    out = make.application(world.call, world.lead, title="Late partnership")
    make.fire(out, world.lead, "submit")
    make.fire(out, world.officer, "declare_inadmissible", "Submitted without the annexes.")
    low = make.application(world.call, world.lead, title="Weak partnership")
    make.fire(low, world.lead, "submit")
    make.fire(low, world.officer, "admit")
    for r in world.reviewers:
        make.review(low, r, scores={"coherence": 10, "impact": 10})
    make.fire(low, world.officer, "close_evaluation")
    make.fire(low, world.officer, "reject", "Below the threshold.")


def _walk_support(make, world, measures):
    measure = measures.measure()
    chain = measures.value_chain(title="Recognised chain")
    for title, outcome in (("Granted", "grant"), ("Waiting", "waitlist"), ("Refused", "reject")):
        app = make.application(
            measure, world.lead, title=title, requested_amount="300000", value_chain_id=chain.id
        )
        make.fire(app, world.lead, "submit")
        make.fire(app, world.officer, "admit")
        for r in measures.reviewers:
            make.review(app, r)
        make.fire(app, world.officer, "close_evaluation")
        make.fire(app, world.officer, outcome, "Reasons." if outcome == "reject" else "")


def _walk_changes(make, world):
    from tracker.changes.operations import fire_transition as fire_change
    from tracker.changes.operations import request_change

    chain = make.application(world.call, world.lead, title="Growing value chain")
    make.fire(chain, world.lead, "submit")
    make.fire(chain, world.officer, "admit")
    for r in world.reviewers:
        make.review(chain, r)
    make.fire(chain, world.officer, "close_evaluation")
    make.fire(chain, world.officer, "grant_label", decree_number="D-9", decree_date="2023-01-10")
    joiner = make.user("applicant", organisation=make.organisation("Joining firm"))
    join = request_change(
        joiner, chain, {"kind": "join", "organisation_id": joiner.organisation_id}
    )
    fire_change(world.lead, join, "accept")
    fire_change(world.officer, join, "acknowledge")
    leave = request_change(
        world.lead, chain, {"kind": "leave", "organisation_id": chain.partners[1].organisation_id}
    )
    fire_change(world.officer, leave, "refuse", comment="The chain would fall below ten firms.")
    commit()
    # a periodic report of the recognised chain: submitted, returned, resubmitted, accepted
    from tracker.reports.operations import file_report
    from tracker.reports.operations import fire_transition as fire_report

    report = file_report(world.lead, chain, {
        "kind": "periodic", "partners": 3, "firms": 3, "smes": 2, "investments": "1000",
        "employment": 30, "projects_started": 1,
    })  # fmt: skip
    fire_report(world.lead, report, "submit")
    fire_report(world.officer, report, "return_for_changes", comment="Check employment.")
    fire_report(world.lead, report, "resubmit")
    fire_report(world.officer, report, "accept")
    commit()
    # the Region closes the chain by a decision with its reason (issue 13)
    make.fire(chain, world.officer, "close", "The partners ended their joint programme.")


def _walk_hub(make, world, hub_call, lead):
    for title, steps in (
        ("HUB selected", [("declare_eligible", ""), ("select", "")]),
        ("HUB not selected", [("declare_eligible", ""), ("not_select", "Fewer pilots.")]),
        ("HUB ineligible", [("declare_ineligible", "Not public.")]),
    ):
        app = make.application(hub_call, lead, title=title)
        make.fire(app, lead, "submit")
        for trigger, comment in steps:
            make.fire(app, world.officer, trigger, comment)


def _walk_proposals(cw):
    endorsed = cw.proposal("Circular Economy roadmap")
    cw.drive(endorsed, "board_review")
    fire_proposal(cw.board, endorsed, "board_return", comment="Name the pilot plants.")
    commit()
    wf = get_workflow("community_proposal")
    for trigger in ("request_board_review", "board_approve", "submit_to_region", "acknowledge",
                    "endorse"):  # fmt: skip
        t = next(t for t in wf.transitions if t.trigger == trigger)
        fire_proposal(cw.actor_for(t), endorsed, trigger, **cw.inputs(t))
        commit()
    declined = cw.proposal("Another roadmap")
    cw.drive(declined, "not_endorsed")


@pytest.mark.parametrize("language", ["en", "it"])
def test_every_kind_is_written_by_the_real_operations(language, app, make, world, measures, cw):
    from tracker.calls.operations import create_call

    today = dt.date.today()
    hub_call = create_call(world.officer, {
        "title": "Circular Economy HUB", "workflow": "hub_eoi", "criteria": [], "min_firms": 0,
        "min_reviews": 1, "score_threshold": 0, "opens_at": (today - dt.timedelta(days=5)).isoformat(),
        "deadline": (today + dt.timedelta(days=15)).isoformat(),
    })  # fmt: skip
    university = make.organisation("Politecnico di Milano", kind="university")
    hub_lead = make.user("applicant", organisation=university, email="hub@polimi.example.it")
    newcomer = make.user("reviewer")
    for user in db.session.scalars(select(User)):
        user.language = language
    # people made along the way (the factory's officers) read the default language
    app.config["BABEL_DEFAULT_LOCALE"] = language
    db.session.execute(delete(OutboxEmail))  # the fixtures' appointments
    commit()
    appoint_member(world.officer, world.call, newcomer.id)
    commit()
    _walk_value_chains(make, world)
    _walk_support(make, world, measures)
    _walk_hub(make, world, hub_call, hub_lead)
    _walk_proposals(cw)
    _walk_changes(make, world)

    emails = outbox()
    assert {e.kind for e in emails} == set(KINDS)
    for e in emails:
        assert e.language == language, (e.kind, e.address, e.user.language, e.user.created_at)
        assert e.body.startswith(f"{e.user.name}") is False  # a greeting comes first
        assert e.user.name in e.body.splitlines()[0]  # each reader greeted by their own name
        assert e.link in e.body and e.link.startswith("http://127.0.0.1:5000/")
        assert "%(" not in e.body + e.subject and "{{" not in e.body
        assert "\n\n\n" not in e.body  # no holes where a block was empty
    closed = [e for e in emails if e.kind == "chain_closed"]
    # the partnership's people (the lead's among them), not the officer who decided
    assert world.lead.id in {e.user_id for e in closed}
    assert world.officer.id not in {e.user_id for e in closed}
    assert "The partners ended their joint programme." in closed[0].body
    endorsed = next(e for e in emails if e.kind == "proposal_endorsed")
    assert "DGR 3098/2020" in endorsed.body
    who = {(e.kind, e.user_id) for e in emails}
    assert ("proposal_board_review", cw.board.id) in who
    assert ("proposal_board_returned", cw.coordinator.id) in who
    assert ("proposal_board_returned", cw.member.id) not in who  # coordinators only
    assert ("proposal_endorsed", cw.member.id) in who
    assert ("proposal_submitted", cw.officer.id) in who
    assert ("proposal_submitted", world.officer.id) in who


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_demo_writes_no_email_about_its_past(app, make):
    from tracker.calls.models import Call
    from tracker.demo import load_demo

    load_demo()
    assert db.session.scalar(select(func.count()).select_from(OutboxEmail)) == 0
    # muting ends with the demo: what happens next is news again
    officer = db.session.scalar(select(User).where(User.email == "officer@demo.example.org"))
    call = db.session.scalar(select(Call).where(Call.workflow == "value_chain"))
    appoint_member(officer, call, make.user("reviewer").id)
    commit()
    assert [e.kind for e in outbox()] == ["committee_appointed"]


def test_muted_writes_nothing_and_ends(make, world):
    before = len(outbox())
    with muted():
        make.appoint(world.call, make.user("reviewer"))
    assert len(outbox()) == before
    make.appoint(world.call, make.user("reviewer"))
    assert len(outbox()) == before + 1
