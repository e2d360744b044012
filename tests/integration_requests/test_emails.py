"""The emails: the partnership is told the question and the date, the committee the reply."""

from __future__ import annotations

from integrationtools import QUESTION
from sqlalchemy import select

from tracker.extensions import db
from tracker.integrations.operations import save_reply
from tracker.mail.models import OutboxEmail


def emails(kind: str) -> list[OutboxEmail]:
    return list(db.session.scalars(select(OutboxEmail).where(OutboxEmail.kind == kind)))


def test_the_partnership_is_told_the_question_and_the_date(asked, world):
    [email] = [e for e in emails("integration_requested") if e.user_id == world.lead.id]
    day = asked.pending_integration.reply_by.strftime("%B %-d, %Y")
    assert QUESTION in email.body and "Reply by" in email.body
    assert f"Reply by {day}." in email.body


def test_the_committee_is_told_the_reply(asked, world, make):
    from tracker.database import commit

    save_reply(world.lead, asked, "12,000 t a year; letters attached.")
    commit()
    make.fire(asked, world.lead, "resubmit")
    to_committee = [e for e in emails("submission_to_check") if e.user_id == world.reviewers[1].id]
    body = to_committee[-1].body
    assert "The lead partner replies:" in body and "12,000 t a year; letters attached." in body
    assert QUESTION in body


def test_in_italian(asked, world, make):
    from tracker.database import commit

    world.reviewers[1].language = "it"
    save_reply(world.lead, asked, "Risposta.")
    commit()
    make.fire(asked, world.lead, "resubmit")
    body = [e for e in emails("submission_to_check") if e.user_id == world.reviewers[1].id][-1]
    assert "Il capofila risponde:" in body.body
