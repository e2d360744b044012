"""The real operations queue the emails the people concerned need, and a real SMTP server gets
them: who, what subject, the link, the language."""

from __future__ import annotations

import datetime as dt

import pytest
from babel.dates import format_date as babel_date
from flask_babel import force_locale, gettext
from smtptools import html_part, plain
from sqlalchemy import delete, func, select

from tracker.applications.operations import fire_transition
from tracker.database import commit
from tracker.errors import TrackerError
from tracker.extensions import db
from tracker.mail.models import OutboxEmail
from tracker.mail.sending import send_outbox

BASE = "http://127.0.0.1:5000"


def outbox(**where) -> list[OutboxEmail]:
    query = select(OutboxEmail).order_by(OutboxEmail.id)
    for key, value in where.items():
        query = query.where(getattr(OutboxEmail, key) == value)
    return list(db.session.scalars(query))


def kinds_to(address: str) -> list[str]:
    return [e.kind for e in outbox(address=address)]


@pytest.fixture
def chain(make, world):
    """The world's application, complete, with the staff of one partner firm among its users."""
    app = make.application(world.call, world.lead)
    partner_org = next(p.organisation for p in app.partners if not p.is_lead)
    partner = make.user("applicant", organisation=partner_org)
    forget_earlier_emails()
    return type("Chain", (), {"app": app, "partner": partner})


def forget_earlier_emails() -> None:
    """The world's committee appointments wrote emails; these tests are about what follows."""
    db.session.execute(delete(OutboxEmail))
    commit()


def test_submission_tells_the_partnership_and_the_committee(world, make, chain, smtp):
    make.fire(chain.app, world.lead, "submit")

    assert kinds_to(world.lead.email) == ["submission_received"]  # the receipt
    assert kinds_to(chain.partner.email) == ["submission_received"]
    for reviewer in world.reviewers:
        assert kinds_to(reviewer.email) == ["submission_to_check"]
    assert kinds_to(world.officer.email) == []

    run = send_outbox()
    assert run.sent == 4 and not run.failures
    link = f"{BASE}/applications/{chain.app.id}"
    receipt = smtp.one_to(world.lead.email)
    assert receipt["Subject"] == f"Received: {chain.app.title}"
    body = plain(receipt)
    assert link in body
    assert f"Hello {world.lead.name}," in body
    assert world.call.title in body
    assert f"{BASE}/account" in body  # where to choose what one gets
    check = smtp.one_to(world.reviewers[0].email)
    assert check["Subject"] == f"To check for admissibility: {chain.app.title}"
    assert "Duferco Travi e Profilati" in plain(check)
    assert all(e.status == "sent" and e.sent_at and e.attempts == 1 for e in outbox())


def test_headers_of_a_sent_email(world, make, chain, smtp, app):
    app.config["MAIL_DEFAULT_SENDER"] = "Regione Lombardia <filiere@regione.example.it>"
    make.fire(chain.app, world.lead, "submit")
    send_outbox()
    msg = smtp.one_to(world.lead.email)
    row = outbox(address=world.lead.email)[0]
    assert msg["From"] == "Regione Lombardia <filiere@regione.example.it>"
    assert msg["Message-ID"] == row.message_id and row.message_id.endswith("@regione.example.it>")
    assert msg["Auto-Submitted"] == "auto-generated"
    assert msg["Content-Language"] == "en"
    assert msg.get_content_type() == "multipart/alternative"
    text, html = msg.get_body(("plain",)), msg.get_body(("html",))
    assert text.get_content_charset() == html.get_content_charset() == "utf-8"
    assert text.get_content().replace("\r\n", "\n") == row.body  # as it was queued
    link = f"{BASE}/applications/{chain.app.id}"
    assert f'<a href="{link}">{link}</a>' in html.get_content()
    assert '<html lang="en">' in html.get_content()
    sent = msg["Date"].datetime
    assert abs((sent - dt.datetime.now(dt.UTC)).total_seconds()) < 60
    assert smtp.envelopes[0][0] == "filiere@regione.example.it"


def test_integration_request_carries_the_committee_question(world, make, chain, smtp):
    make.fire(chain.app, world.lead, "submit")
    send_outbox()
    reviewer = world.reviewers[0]
    make.fire(chain.app, reviewer, "request_integration", "Please attach the signed commitments.")

    assert kinds_to(chain.partner.email)[-1] == "integration_requested"
    assert kinds_to(reviewer.email) == ["submission_to_check"]  # not told what they did
    send_outbox()
    body = plain(smtp.one_to(chain.partner.email, "Integration requested"))
    assert "Please attach the signed commitments." in body

    make.fire(chain.app, world.lead, "resubmit", "The signed commitments are attached.")
    assert kinds_to(reviewer.email)[-1] == "submission_to_check"
    send_outbox()
    receipt = smtp.to(world.lead.email)[-1]
    assert receipt["Subject"] == f"Received: {chain.app.title}"
    assert "was resubmitted with its integration" in plain(receipt)


def test_addresses_typed_by_people_stay_text_in_the_html_part(world, make, chain, smtp):
    """A committee member's question is quoted in the e-mail; an address in it is not a link
    (only the app's own addresses are), and it is escaped."""
    make.fire(chain.app, world.lead, "submit")
    send_outbox()
    question = "See https://evil.example/login and <b>http://127.0.0.1:5000.evil.example/x</b>"
    make.fire(chain.app, world.reviewers[0], "request_integration", question)
    send_outbox()
    html = smtp.one_to(chain.partner.email, "Integration requested").get_body(("html",))
    content = html.get_content()
    assert "https://evil.example/login" in content
    assert 'href="https://evil.example' not in content and "evil.example/x</a>" not in content
    assert "&lt;b&gt;" in content  # escaped, never markup
    link = f"{BASE}/applications/{chain.app.id}"
    assert f'<a href="{link}">{link}</a>' in content  # the app's own link still is one


def test_admission_assigns_the_review_to_members_without_conflict(world, make, chain, smtp):
    conflicted = make.user("reviewer", organisation=chain.partner.organisation)
    make.appoint(world.call, conflicted)
    make.fire(chain.app, world.lead, "submit")
    first, second = world.reviewers
    make.fire(chain.app, first, "admit")

    assert kinds_to(second.email)[-1] == "review_assigned"
    assert kinds_to(first.email) == ["submission_to_check"]  # the one who admitted it
    assert "review_assigned" not in kinds_to(conflicted.email)
    assert "submission_to_check" not in kinds_to(conflicted.email)
    assert kinds_to(chain.partner.email)[-1] == "application_admitted"
    send_outbox()
    msg = smtp.one_to(second.email, "To review")
    assert f"{BASE}/applications/{chain.app.id}" in plain(msg)


def test_decision_due_then_label_granted_with_its_decree(world, make, chain, smtp):
    make.fire(chain.app, world.lead, "submit")
    make.fire(chain.app, world.officer, "admit")
    for r in world.reviewers:
        make.review(chain.app, r)
    make.fire(chain.app, world.reviewers[0], "close_evaluation")
    assert kinds_to(world.officer.email) == ["decision_due"]
    other_officer = make.user("officer")
    make.fire(
        chain.app, world.officer, "grant_label", decree_number="18573", decree_date="2026-03-15"
    )
    assert kinds_to(world.officer.email) == ["decision_due"]  # the one who granted it
    assert kinds_to(other_officer.email) == []  # appointed after the evaluation closed
    assert kinds_to(chain.partner.email)[-1] == "label_granted"
    send_outbox()
    msg = smtp.one_to(chain.partner.email, "Quality label granted")
    body = plain(msg)
    assert "decree no. 18573 of March 15, 2026" in body
    assert chain.app.label.code in body


def test_refusal_says_why_and_html_shows_it_as_text(world, make, chain, smtp):
    make.fire(chain.app, world.lead, "submit")
    make.fire(chain.app, world.officer, "admit")
    for r in world.reviewers:
        make.review(chain.app, r, scores={"coherence": 10, "impact": 20})
    make.fire(chain.app, world.officer, "close_evaluation")
    reasons = "Below the threshold of 60 <b>points</b> & <script>alert(1)</script>"
    make.fire(chain.app, world.officer, "reject", reasons)
    send_outbox()
    msg = smtp.one_to(chain.partner.email, "Not recognised")
    assert reasons in plain(msg)
    html = html_part(msg)
    assert "<script>" not in html and "<b>" not in html
    assert "60 &lt;b&gt;points&lt;/b&gt; &amp; &lt;script&gt;" in html


def test_committee_appointment_tells_the_appointee(world, make, smtp):
    newcomer = make.user("reviewer")
    make.appoint(world.call, newcomer)
    assert kinds_to(newcomer.email) == ["committee_appointed"]
    send_outbox()
    msg = smtp.one_to(newcomer.email)
    assert msg["Subject"] == f"You sit on the evaluation committee of {world.call.title}"
    assert f"{BASE}/calls/{world.call.id}" in plain(msg)


def test_links_follow_the_base_url(world, make, chain, app):
    app.config["TRACKER_BASE_URL"] = "https://filiere.regione.example.it/tracker"
    make.fire(chain.app, world.lead, "submit")
    row = outbox(address=world.lead.email)[0]
    assert row.link == f"https://filiere.regione.example.it/tracker/applications/{chain.app.id}"
    assert "https://filiere.regione.example.it/tracker/account" in row.body


def test_an_italian_reader_gets_the_email_in_italian(world, make, chain, smtp):
    chain.partner.language = "it"
    commit()
    make.fire(chain.app, world.lead, "submit")
    make.fire(chain.app, world.officer, "admit")
    for r in world.reviewers:
        make.review(chain.app, r)
    make.fire(chain.app, world.officer, "close_evaluation")
    make.fire(
        chain.app, world.officer, "grant_label", decree_number="18573", decree_date="2026-03-15"
    )
    italian = outbox(address=chain.partner.email)
    english = outbox(address=world.lead.email)
    assert {e.language for e in italian} == {"it"}
    assert {e.language for e in english} == {"en"}
    granted = next(e for e in italian if e.kind == "label_granted")
    # dates are written the Italian way (CLDR), whatever the catalogues hold...
    assert "15 marzo 2026" in granted.body and "March" not in granted.body
    submitted = next(e for e in italian if e.kind == "submission_received")
    today_it = babel_date(submitted.created_at.astimezone(dt.UTC).date(), "long", locale="it")
    assert today_it.split()[1] in submitted.body  # the month's Italian name
    # ...and the words are the Italian catalogue's (English until it translates them)
    with force_locale("it"):
        greeting = gettext("Hello %(name)s,", name=chain.partner.name)
        subject = gettext("Quality label granted: %(title)s") % {"title": chain.app.title}
    assert granted.body.startswith(greeting)
    assert granted.subject == subject
    send_outbox()
    msg = smtp.one_to(chain.partner.email, granted.subject)
    assert msg["Content-Language"] == "it"
    assert "15 marzo 2026" in plain(msg)


def test_a_rolled_back_change_leaves_no_email(world, make, chain):
    fire_transition(world.lead, chain.app, "submit")
    assert outbox()  # queued in the change's transaction...
    db.session.rollback()
    assert outbox() == []  # ...and gone with it
    assert db.session.get(type(chain.app), chain.app.id).state == "draft"


def test_a_refused_change_queues_nothing(world, make):
    draft = make.application(world.call, world.lead, complete=False)
    before = db.session.scalar(select(func.count()).select_from(OutboxEmail))
    with pytest.raises(TrackerError):
        fire_transition(world.lead, draft, "submit")
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(OutboxEmail)) == before


def test_inactive_people_and_people_without_an_address_get_nothing(world, make, chain):
    chain.partner.active = False
    silent = make.user("applicant", organisation=chain.partner.organisation)
    silent.email = ""  # an account kept for its history, its address removed
    commit()
    make.fire(chain.app, world.lead, "submit")
    assert kinds_to(chain.partner.email) == []
    assert [e for e in outbox() if e.user_id == silent.id] == []
    assert kinds_to(world.lead.email) == ["submission_received"]


def test_a_support_grant_says_how_much(measures, make, smtp):
    measure = measures.measure()
    world = measures.world
    chain = measures.value_chain()
    app = make.application(
        measure, world.lead, title="Slag to cement", requested_amount="300000",
        value_chain_id=chain.id,
    )  # fmt: skip
    make.fire(app, world.lead, "submit")
    make.fire(app, world.officer, "admit")
    for r in measures.reviewers:
        make.review(app, r)
    make.fire(app, world.officer, "close_evaluation")
    make.fire(app, world.officer, "grant", granted_amount="250000")
    assert kinds_to(world.lead.email)[-1] == "measure_granted"
    send_outbox()
    body = plain(smtp.one_to(world.lead.email, "Support granted"))
    assert "€250,000.00" in body and "€300,000.00 were requested" in body
    assert measure.title in body


def test_a_broken_translation_falls_back_to_english(world, make, chain, monkeypatch, caplog):
    import dataclasses

    from flask_babel import get_locale

    from tracker.mail import kinds

    class Subject:  # an Italian translation that renamed its placeholder
        def __str__(self):
            return "Ricevuta: %(titolo)s" if get_locale().language == "it" else "Got: %(title)s"

    kind = kinds.KINDS["submission_received"]
    monkeypatch.setitem(kinds.KINDS, kind.name, dataclasses.replace(kind, subject=Subject()))
    chain.partner.language = "it"
    commit()
    make.fire(chain.app, world.lead, "submit")  # the submission itself goes through
    (email,) = outbox(address=chain.partner.email)
    assert (email.language, email.subject) == ("en", f"Got: {chain.app.title}")
    assert f"Hello {chain.partner.name}," in email.body
    assert "email submission_received in 'it' failed" in caplog.text
