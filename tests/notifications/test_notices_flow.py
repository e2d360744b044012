"""Each email queued about an application, a change, a proposal or a committee also writes its
notice, for exactly the same people, in the same transaction and language; account emails and
the demo's muted history write none."""

from __future__ import annotations

import pytest
from flask_babel import force_locale, gettext
from noticetools import emailed, forget_all, noticed, notices_of
from sqlalchemy import func, select

from tracker.applications.operations import fire_transition
from tracker.database import commit
from tracker.errors import TrackerError
from tracker.extensions import db
from tracker.mail.kinds import ACCOUNT_KINDS, EVENTS, KINDS
from tracker.mail.models import MailOptOut, OutboxEmail
from tracker.mail.operations import muted, queue_account_email
from tracker.notifications.models import Notice


def _count() -> int:
    return db.session.scalar(select(func.count(Notice.id)))


def test_a_value_chain_story_gives_each_email_its_notice(world, make, chain):
    lead, reviewer, other_reviewer = world.lead, *world.reviewers
    steps = [
        (lead, "submit", "", {}),
        (reviewer, "request_integration", "Attach the partners' letters.", {}),
        (lead, "resubmit", "Attached.", {}),
        (reviewer, "admit", "", {}),
        (world.officer, "close_evaluation", "", {}),
        (world.officer, "grant_label", "", {"decree_number": "18573", "decree_date": "2026-03-15"}),
    ]
    for actor, trigger, comment, data in steps:
        if trigger == "close_evaluation":
            for r in world.reviewers:
                make.review(chain.app, r)
        before = _count()
        make.fire(chain.app, actor, trigger, comment, **data)
        assert _count() > before, trigger  # each of these sends email, so writes notices
        assert noticed() == emailed(), trigger

    # the receipt goes to who submitted; other kinds skip the person who acted
    assert [n.kind for n in notices_of(lead)][:1] == ["submission_received"]
    assert not notices_of(reviewer, "review_assigned")  # they admitted it themselves
    assert [n.kind for n in notices_of(other_reviewer, "review_assigned")] == ["review_assigned"]
    assert not notices_of(reviewer, "integration_requested")
    assert {n.user_id for n in db.session.scalars(select(Notice).where(
        Notice.kind == "label_granted"))} == {lead.id, chain.partner.id}  # fmt: skip


def test_a_notice_says_what_the_email_says(world, make, chain, app):
    make.fire(chain.app, world.lead, "submit")
    question = "Quantify the white slag reused each year."
    make.fire(chain.app, world.reviewers[0], "request_integration", question)
    (email,) = db.session.scalars(
        select(OutboxEmail).where(
            OutboxEmail.user_id == chain.partner.id, OutboxEmail.kind == "integration_requested"
        )
    )
    (notice,) = notices_of(chain.partner, "integration_requested")
    assert notice.subject == email.subject == f"Integration requested: {chain.app.title}"
    assert question in notice.text
    assert "Reply by" in notice.text  # the date to reply by, as the email gives it
    # the email's words of what happened, without greeting, link or signature
    first_line = notice.text.splitlines()[0]
    assert first_line in email.body
    assert "Hello" not in notice.text and "http" not in notice.text
    assert notice.path == f"/applications/{chain.app.id}" and notice.read_at is None
    assert (notice.object_type, notice.object_id) == ("application", chain.app.id)
    assert notice.created_at is not None


def test_the_notice_is_in_the_readers_language(world, make, chain):
    chain.partner.language = "it"
    commit()
    make.fire(chain.app, world.lead, "submit")
    (italian,) = notices_of(chain.partner)
    (english,) = notices_of(world.lead)
    assert (italian.language, english.language) == ("it", "en")
    with force_locale("it"):
        subject = gettext("Received: %(title)s") % {"title": chain.app.title}
    assert italian.subject == subject != english.subject
    assert italian.text != english.text and italian.text


def test_the_link_is_a_path_on_this_site_whatever_the_base_url(world, make, chain, app):
    app.config["TRACKER_BASE_URL"] = "https://filiere.regione.example.it/tracker"
    make.fire(chain.app, world.lead, "submit")
    (notice,) = notices_of(world.lead)
    assert notice.path == f"/applications/{chain.app.id}"


def test_no_email_no_notice(world, make, chain):
    """A person who turned a kind of email off gets neither; the others get both."""
    db.session.add(MailOptOut(user_id=chain.partner.id, kind="submission_received"))
    commit()
    make.fire(chain.app, world.lead, "submit")
    assert not notices_of(chain.partner)
    assert [n.kind for n in notices_of(world.lead)] == ["submission_received"]
    assert noticed() == emailed()


def test_a_refused_change_leaves_no_notice(world, make, chain):
    with pytest.raises(TrackerError):
        fire_transition(world.lead, chain.app, "grant_label")
    db.session.rollback()
    assert _count() == 0


def test_a_rolled_back_transition_takes_its_notices_with_it(world, make, chain):
    fire_transition(world.lead, chain.app, "submit")
    assert _count() > 0  # written in the transition's transaction...
    db.session.rollback()
    assert _count() == 0  # ...and gone with it


def test_account_emails_write_no_notice(world, make):
    forget_all()
    for kind in ACCOUNT_KINDS:
        queue_account_email(kind, world.lead, "http://127.0.0.1:5000/secret")
    commit()
    assert db.session.scalar(select(func.count(OutboxEmail.id))) == len(ACCOUNT_KINDS)
    assert _count() == 0


def test_muted_changes_write_no_notice(world, make, chain):
    with muted():
        make.fire(chain.app, world.lead, "submit")
    assert _count() == 0 and not emailed()


def test_committee_appointments_partnership_changes_and_proposals_too(make, world, cw):
    """Every kind of email the workflows send has its notice: an appointment, a change of a
    partnership, a proposal's way through the board and the Region."""
    from tracker.changes.operations import fire_transition as fire_change
    from tracker.changes.operations import request_change

    forget_all()
    make.appoint(
        world.call, make.user("reviewer", organisation=make.organisation(kind="university"))
    )
    assert {k for _, k, *_ in noticed()} == {"committee_appointed"}

    app = make.application(world.call, world.lead)
    make.fire(app, world.lead, "submit")
    leaving = next(p.organisation for p in app.partners if not p.is_lead)
    leaver = make.user("applicant", organisation=leaving)  # a partner's staff asks to leave
    change = request_change(leaver, app, {"kind": "leave", "organisation_id": leaving.id})
    commit()
    fire_change(world.lead, change, "accept")
    commit()
    fire_change(world.officer, change, "acknowledge")
    commit()
    proposal = cw.proposal()
    cw.drive(proposal, "under_regional_review")
    assert noticed() == emailed()
    kinds = {k for _, k, *_ in noticed()}
    assert {"change_requested", "change_accepted", "change_in_force"} <= kinds
    assert {"proposal_board_review", "proposal_board_approved", "proposal_submitted"} <= kinds
    (in_force,) = notices_of(leaver, "change_in_force")
    assert in_force.path == f"/changes/{change.id}"


def test_every_kind_of_email_is_a_kind_of_notice():
    """The hook is where emails are queued: no kind is left out, whoever adds one."""
    sent = {k for kinds in EVENTS.values() for k in kinds} | {"committee_appointed"}
    assert sent <= set(KINDS)
    column = Notice.__table__.c.kind.type.length
    assert all(len(k) <= column for k in KINDS)
