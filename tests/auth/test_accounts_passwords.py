"""The password policy, a change from the account page, a reset by an e-mailed link."""

from __future__ import annotations

import re

import pytest
from accounttools import copy_of
from sqlalchemy import select

from tracker.auth.models import User
from tracker.auth.passwords import common_passwords, password_problem
from tracker.extensions import db

GOOD = "blue-heron-at-dawn"


def text(response) -> str:
    return response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("short-one", "at least 12"),
        ("qwerty123456", "most common"),
        ("QWERTY123456", "most common"),
        ("x" * 129, "at most 128"),
        ("someone.long@example.org", "e-mail"),
        ("someone.long", "e-mail"),
    ],
)
def test_the_policy_refuses(app, password, why):
    with app.test_request_context():
        assert why in password_problem(password, "someone.long@example.org")


def test_the_policy_accepts_a_long_uncommon_password(app):
    with app.test_request_context():
        assert password_problem(GOOD, "someone@example.org") is None
    assert len(common_passwords()) > 10000


def test_the_command_line_applies_the_policy(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "a@example.org", "--role", "officer",
                                 "--password", "qwerty123456"])  # fmt: skip
    assert result.exit_code == 1 and "most common" in result.output
    result = runner.invoke(args=["users", "create", "a@example.org", "--role", "officer",
                                 "--password", "short"])  # fmt: skip
    assert result.exit_code == 1 and "at least 12" in result.output


def test_changing_the_password(app, make, login):
    user = make.user("applicant")
    browser = login(user)
    wrong = browser.post("/account/password",
                         data={"current": "not-it", "new": GOOD, "new_again": GOOD})  # fmt: skip
    assert wrong.status_code == 422 and "not your current password" in text(wrong)
    differ = browser.post("/account/password",
                          data={"current": "secret-pass", "new": GOOD, "new_again": GOOD + "x"})  # fmt: skip
    assert differ.status_code == 422 and "The two passwords differ" in text(differ)
    common = browser.post("/account/password", data={
        "current": "secret-pass", "new": "qwerty123456", "new_again": "qwerty123456"})  # fmt: skip
    assert common.status_code == 422 and "most common" in text(common)
    for field in ("current", "new", "new_again"):
        assert f'for="{field}"' in text(common), field  # every field labelled
    ok = browser.post("/account/password",
                      data={"current": "secret-pass", "new": GOOD, "new_again": GOOD})  # fmt: skip
    assert ok.status_code == 302
    login(user, GOOD)
    old = app.test_client().post("/login", data={"email": user.email, "password": "secret-pass"})
    assert old.status_code == 422


def test_the_forgotten_password_page_answers_the_same_for_anyone(app, make, outbox):
    user = make.user("applicant")
    known = app.test_client().post("/password/forgot", data={"email": user.email})
    unknown = app.test_client().post("/password/forgot", data={"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert text(known) == text(unknown)
    emails = outbox("password_reset")
    assert [e.address for e in emails] == [user.email]


def reset_link(email) -> str:
    return re.search(r"http\S+/password/reset/\S+", email.body).group(0)


def test_a_reset_link_works_once_and_ends_every_session(app, make, login, outbox):
    user = make.user("applicant")
    browser = login(user)
    app.test_client().post("/password/forgot", data={"email": user.email})
    (email,) = outbox("password_reset")
    assert "60 minutes" in email.body and email.link.endswith("/login")
    path = "/" + reset_link(email).split("/", 3)[3]
    client = app.test_client()
    assert client.get(path).status_code == 200
    mismatch = client.post(path, data={"new": GOOD, "new_again": "other-long-password"})
    assert mismatch.status_code == 422
    assert client.post(path, data={"new": GOOD, "new_again": GOOD}).status_code == 302
    assert browser.get("/account").status_code == 302, "a reset ends every session"
    login(user, GOOD)
    again = app.test_client().post(
        path, data={"new": "another-fine-phrase", "new_again": "another-fine-phrase"}
    )
    assert again.status_code == 404 and "was used already" in text(again)
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password(GOOD)


def test_an_expired_reset_link_is_refused(app, make, outbox, monkeypatch):
    import itsdangerous.timed

    user = make.user("applicant")
    real = itsdangerous.timed.time.time
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: real() - 61 * 60)
    app.test_client().post("/password/forgot", data={"email": user.email})
    monkeypatch.setattr(itsdangerous.timed.time, "time", real)
    (email,) = outbox("password_reset")
    path = "/" + reset_link(email).split("/", 3)[3]
    assert app.test_client().get(path).status_code == 404
    assert app.test_client().post(path, data={"new": GOOD, "new_again": GOOD}).status_code == 404


def test_a_tampered_link_is_refused(app, make, outbox):
    user = make.user("applicant")
    app.test_client().post("/password/forgot", data={"email": user.email})
    path = "/" + reset_link(outbox("password_reset")[0]).split("/", 3)[3]
    assert app.test_client().get(path[:-2] + "xx").status_code == 404


def test_reset_emails_are_limited_and_written_in_the_persons_language(app, make, outbox):
    user = make.user("applicant")
    user.language = "it"
    db.session.commit()
    for _ in range(5):
        app.test_client().post("/password/forgot", data={"email": user.email})
    emails = outbox("password_reset")
    assert len(emails) == 3
    assert emails[0].language == "it" and "Imposta una nuova password" in emails[0].subject


def test_a_deactivated_person_gets_no_reset_link(app, make, outbox):
    user = make.user("applicant")
    user.active = False
    db.session.commit()
    app.test_client().post("/password/forgot", data={"email": user.email})
    assert outbox("password_reset") == []


def test_the_login_page_links_to_the_forgotten_password_page(client):
    assert "/password/forgot" in text(client.get("/login"))


def test_reset_email_keeps_no_secret_in_its_link_column(app, make, outbox, login):
    user = make.user("applicant")
    app.test_client().post("/password/forgot", data={"email": user.email})
    (email,) = outbox("password_reset")
    assert "/password/reset/" not in email.link
    browser = login(user)
    assert "/password/reset/" not in text(browser.get("/account"))
    assert copy_of(app, browser).get("/account").status_code == 200
    db.session.expire_all()
    assert db.session.scalar(select(User).where(User.id == user.id)).active


def test_the_hint_names_the_length_this_install_requires(app, make, login):
    app.config["PASSWORD_MIN_LENGTH"] = 16
    page = login(make.user("applicant")).get("/account").get_data(as_text=True)
    assert "At least 16 characters" in page and "At least 12 characters" not in page
