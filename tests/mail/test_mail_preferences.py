"""Each person chooses which emails they get, on their account page; the outbox honours it."""

from __future__ import annotations

import re

import pytest
from pagetools import text_of
from sqlalchemy import delete, select

from tracker.database import commit
from tracker.extensions import db
from tracker.mail.kinds import KIND_GROUP
from tracker.mail.models import MailOptOut, OutboxEmail
from tracker.mail.sending import send_outbox


@pytest.fixture
def login(app):
    def _login(user, password: str = "secret-pass"):
        client = app.test_client()
        response = client.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, text_of(response)
        return client

    return _login


def ticked(response) -> set[str]:
    html = response.get_data(as_text=True)
    return set(re.findall(r'name="kinds" value="([a-z_]+)" checked', html))


def offered(response) -> set[str]:
    return set(re.findall(r'name="kinds" value="([a-z_]+)"', response.get_data(as_text=True)))


def opt_outs(user) -> set[str]:
    query = select(MailOptOut.kind).where(MailOptOut.user_id == user.id)
    return set(db.session.scalars(query))


APPLICANT_KINDS = {k for k, g in KIND_GROUP.items() if g in ("applicant", "community")}


def test_the_page_offers_what_the_roles_concern_all_ticked(world, login):
    page = login(world.lead).get("/account")
    assert page.status_code == 200
    text = text_of(page)
    assert "Emails you receive" in text and world.lead.email in text
    assert "Your applications" in text and "Strategic Communities" in text
    assert "Decisions of the Region" not in text and "Evaluation committees" not in text
    assert offered(page) == APPLICANT_KINDS
    assert ticked(page) == APPLICANT_KINDS  # everything on until chosen
    officer_page = login(world.officer).get("/account")
    assert "decision_due" in offered(officer_page)
    assert "label_granted" not in offered(officer_page)


def test_the_account_page_needs_a_login(client):
    response = client.get("/account")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.post("/account/email", data={"kinds": "label_granted"}).status_code == 302


def test_unticking_saves_and_the_outbox_honours_it(world, make, login, smtp):
    browser = login(world.lead)
    keep = APPLICANT_KINDS - {"submission_received"}
    response = browser.post("/account/email", data={"kinds": sorted(keep)})
    assert response.status_code == 302
    assert opt_outs(world.lead) == {"submission_received"}
    page = browser.get("/account")
    assert "Your email choices are saved." in text_of(page)
    assert ticked(page) == keep

    app = make.application(world.call, world.lead)
    partner = make.user("applicant", organisation=app.partners[-1].organisation)
    db.session.execute(delete(OutboxEmail))
    commit()
    make.fire(app, world.lead, "submit")
    make.fire(app, world.reviewers[0], "request_integration", "Add the commitments.")
    send_outbox()
    assert [m["Subject"].split(":")[0] for m in smtp.to(world.lead.email)] == [
        "Integration requested"
    ]
    assert len(smtp.to(partner.email)) == 2  # partner keeps both

    # ticking it again turns it back on
    browser.post("/account/email", data={"kinds": sorted(APPLICANT_KINDS)})
    assert opt_outs(world.lead) == set()


def test_a_choice_outside_the_page_is_left_alone(world, login):
    # the lead once sat on a committee and turned its emails off: this page does not show them
    db.session.add(MailOptOut(user_id=world.lead.id, kind="review_assigned"))
    commit()
    login(world.lead).post("/account/email", data={"kinds": ["label_granted"]})
    assert opt_outs(world.lead) == (APPLICANT_KINDS - {"label_granted"}) | {"review_assigned"}


def test_an_unknown_choice_is_refused_and_nothing_saved(world, login):
    browser = login(world.lead)
    response = browser.post("/account/email", data={"kinds": ["label_granted", "decision_due"]})
    assert response.status_code == 422
    assert "Unknown kinds of email: decision_due." in text_of(response)
    assert ticked(response) == {"label_granted"}  # what was ticked stays ticked
    assert opt_outs(world.lead) == set()


def test_the_form_needs_its_csrf_token(world, login, app):
    browser = login(world.lead)
    app.config["WTF_CSRF_ENABLED"] = True
    response = browser.post("/account/email", data={"kinds": ["label_granted"]})
    assert response.status_code == 400
    assert opt_outs(world.lead) == set()
    page = browser.get("/account")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True))
    form = {"kinds": ["label_granted"], "csrf_token": token.group(1)}
    assert browser.post("/account/email", data=form).status_code == 302
    assert "label_granted" not in opt_outs(world.lead)
    assert "submission_received" in opt_outs(world.lead)


def test_the_page_lists_the_latest_emails_with_their_state(world, make, login, smtp):
    app = make.application(world.call, world.lead)
    make.fire(app, world.lead, "submit")
    page = text_of(login(world.lead).get("/account"))
    assert f"Received: {app.title}" in page and "Waiting to be sent" in page
    send_outbox()
    page = text_of(login(world.lead).get("/account"))
    assert "Waiting to be sent" not in page and "Sent" in page
