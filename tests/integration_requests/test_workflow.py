"""The workflow's rules about integrations, on real applications: a dated question, its default
from the call, a reply before resubmitting, inadmissibility only past the date."""

from __future__ import annotations

import datetime as dt

import pytest
from integrationtools import QUESTION, make_overdue, today

from tracker.applications.operations import fire_transition
from tracker.database import commit
from tracker.errors import ValidationFailed
from tracker.extensions import db
from tracker.integrations.models import ConceptNoteVersion, IntegrationRequest
from tracker.integrations.operations import save_reply
from workflows import get_workflow


def unmet(err) -> dict[str, str]:
    return {u["condition"]: u["message"] for u in err.value.details["unmet"]}


def test_the_question_is_kept_with_the_calls_reply_period_as_its_date(asked, world):
    request = asked.pending_integration
    assert (request.number, request.question) == (1, QUESTION)
    assert request.reply_by == today() + dt.timedelta(days=world.call.integration_reply_days)
    assert request.requested_by_id == world.reviewers[0].id
    # the history row says the date too (the email and the audit read it there)
    assert asked.history[-1].data == {"reply_by": request.reply_by.isoformat()}
    assert request.days_left() == 30 and not request.overdue


def test_a_date_in_the_past_or_beyond_the_calls_period_is_refused(make, world):
    app = make.application(world.call, world.lead)
    make.fire(app, world.lead, "submit")
    reviewer = world.reviewers[0]
    make.declare(app, reviewer)
    for day, condition in [
        (today(), "reply_by"),  # not after today
        (today() + dt.timedelta(days=31), "reply_within_period"),
    ]:
        with pytest.raises(ValidationFailed) as err:
            fire_transition(reviewer, app, "request_integration", comment="Q?",
                            data={"reply_by": day.isoformat()})  # fmt: skip
        db.session.rollback()
        assert list(unmet(err)) == [condition]
    assert "at most 30 days from today" in unmet(err)["reply_within_period"]
    world.call.integration_reply_days = 60  # the call's own rule
    commit()
    later = today() + dt.timedelta(days=45)
    make.fire(app, reviewer, "request_integration", "Q?", reply_by=later.isoformat())
    assert app.pending_integration.reply_by == later


def test_a_resubmission_without_a_reply_is_refused_by_name(asked, world):
    with pytest.raises(ValidationFailed) as err:
        fire_transition(world.lead, asked, "resubmit")
    db.session.rollback()
    assert list(unmet(err)) == ["integration_answered"]
    save_reply(world.lead, asked, "12,000 t a year; the letters are attached.")
    commit()
    fire_transition(world.lead, asked, "resubmit")
    commit()
    request = db.session.scalars(db.select(IntegrationRequest)).one()
    assert request.answered and request.closed_at is not None
    assert asked.pending_integration is None


def test_the_resubmissions_comment_is_the_reply_when_none_was_saved(asked, world):
    fire_transition(world.lead, asked, "resubmit", comment="Letters attached.")
    commit()
    request = db.session.scalars(db.select(IntegrationRequest)).one()
    assert (request.reply, request.closed_by) == ("Letters attached.", "resubmit")


def test_inadmissible_only_past_the_reply_date(asked, world):
    reviewer = world.reviewers[0]
    with pytest.raises(ValidationFailed) as err:
        fire_transition(reviewer, asked, "declare_inadmissible", comment="No reply.")
    db.session.rollback()
    reason = unmet(err)["reply_overdue"]
    assert asked.pending_integration.reply_by.strftime("%d/%m/%Y") in reason
    make_overdue(asked)
    assert asked.pending_integration.overdue
    fire_transition(reviewer, asked, "declare_inadmissible", comment="No reply.")
    commit()
    assert asked.state == "inadmissible"
    request = db.session.scalars(db.select(IntegrationRequest)).one()
    assert (request.closed_by, request.answered) == ("declare_inadmissible", False)


def test_withdrawing_closes_the_request(asked, world):
    fire_transition(world.lead, asked, "withdraw")
    commit()
    assert db.session.scalars(db.select(IntegrationRequest)).one().closed_by == "withdraw"


def test_each_submission_keeps_a_version_numbered_by_round(asked, world, make):
    from tracker.applications.operations import update_application

    update_application(world.lead, asked, {"concept_note": {"investments": "EUR 2.4M."}})
    commit()
    make.fire(asked, world.lead, "resubmit", "Quantified.")
    make.fire(asked, world.reviewers[0], "request_integration", "And the logistics?")
    make.fire(asked, world.lead, "resubmit", "The hub is in Brescia.")
    versions = db.session.scalars(
        db.select(ConceptNoteVersion).order_by(ConceptNoteVersion.round)
    ).all()
    assert [(v.round, v.trigger) for v in versions] == [
        (1, "submit"), (2, "resubmit"), (3, "resubmit")
    ]  # fmt: skip
    assert versions[1].content["investments"] == "EUR 2.4M."
    assert versions[0].content["investments"] != "EUR 2.4M."
    numbers = db.session.scalars(db.select(IntegrationRequest.number)).all()
    assert sorted(numbers) == [1, 2]


def test_the_clock_is_suspended_while_waiting_on_the_applicants():
    wf = get_workflow("value_chain")
    assert wf.states_where(clock_suspended=True) == ["integration_requested"]
    assert wf.state("integration_requested").service_days is None
    inadmissible = wf.transition("declare_inadmissible")
    assert "integration_requested" in inadmissible.sources
    assert [c.name for c in inadmissible.conditions] == ["conflict_not_declared", "reply_overdue"]
