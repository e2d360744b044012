"""Browser sessions the server can end (tracker.auth.sessions): logout ends that session for
good, a password change every other one, a deactivation all of them and every API token."""

from __future__ import annotations

import datetime as dt

from accounttools import copy_of
from flask_login.utils import encode_cookie
from sqlalchemy import select

from tracker.auth import sessions
from tracker.auth.models import UserSession
from tracker.database import commit
from tracker.extensions import db


def logged_in(client) -> bool:
    response = client.get("/account")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def test_a_copied_session_cookie_dies_with_the_logout(app, make, login):
    user = make.user("applicant")
    browser = login(user)
    thief = copy_of(app, browser)
    assert logged_in(thief)
    assert browser.post("/logout").status_code == 302
    response = thief.get("/account")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert not logged_in(browser)


def test_logout_ends_only_that_browser(app, make, login):
    user = make.user("applicant")
    laptop, phone = login(user), login(user)
    laptop.post("/logout")
    assert logged_in(phone) and not logged_in(laptop)


def test_a_cookie_naming_only_a_user_id_opens_nothing(app, make):
    """The old signed cookie carried the user's id: it no longer logs anyone in."""
    user = make.user("admin")
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = str(user.id), True
    assert not logged_in(client)


def test_a_remember_me_cookie_follows_the_same_rules(app, make, login):
    user = make.user("applicant")
    browser = login(user)
    with client_session(browser) as data:
        secret = data["_user_id"]
    remembered = app.test_client()
    remembered.set_cookie(app.config.get("REMEMBER_COOKIE_NAME", "remember_token"),
                          encode_cookie(secret))  # fmt: skip
    assert logged_in(remembered)
    browser.post("/logout")
    fresh = app.test_client()
    fresh.set_cookie(app.config.get("REMEMBER_COOKIE_NAME", "remember_token"),
                     encode_cookie(secret))  # fmt: skip
    assert not logged_in(fresh)


def client_session(client):
    return client.session_transaction()


def test_a_session_unused_for_too_long_ends(app, make, login):
    user = make.user("applicant")
    browser = login(user)
    row = db.session.scalar(select(UserSession).where(UserSession.user_id == user.id))
    row.last_seen_at -= dt.timedelta(hours=app.config["SESSION_IDLE_HOURS"], minutes=1)
    commit()
    assert not logged_in(browser)


def test_a_session_ends_after_its_longest_life_even_when_used(app, make, login):
    user = make.user("applicant")
    browser = login(user)
    row = db.session.scalar(select(UserSession).where(UserSession.user_id == user.id))
    row.created_at -= dt.timedelta(days=app.config["SESSION_MAX_DAYS"], minutes=1)
    commit()
    assert not logged_in(browser)


def test_use_is_recorded_at_most_once_a_minute(app, make, login):
    user = make.user("applicant")
    browser = login(user)
    row = db.session.scalar(select(UserSession).where(UserSession.user_id == user.id))
    long_ago = row.last_seen_at - dt.timedelta(minutes=5)
    row.last_seen_at = long_ago
    commit()
    assert logged_in(browser)
    db.session.expire_all()
    seen = db.session.get(UserSession, row.id).last_seen_at
    assert seen > long_ago


def test_a_password_change_ends_every_other_session_and_keeps_this_one(app, make, login):
    user = make.user("applicant")
    browser, elsewhere = login(user), login(user)
    copy_before = copy_of(app, browser)
    token = make.token(user)
    response = browser.post(
        "/account/password",
        data={
            "current": "secret-pass",
            "new": "blue-heron-at-dawn",
            "new_again": "blue-heron-at-dawn",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    assert logged_in(browser), "the browser that changed it stays in, under a new session"
    assert not logged_in(elsewhere)
    assert not logged_in(copy_before), "the changing browser's old session id is gone"
    # scripts keep their tokens
    r = app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200


def test_scripts_keep_their_tokens_across_logouts(app, make, login):
    user = make.user("applicant")
    token = make.token(user)
    login(user).post("/logout")
    r = app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200


def test_deactivation_ends_sessions_and_tokens_at_once(app, make, login):
    admin = make.user("admin")
    user = make.user("applicant")
    browser, token = login(user), make.token(user)
    api = app.test_client()
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    page = login(admin).post(f"/admin/people/{user.id}/deactivate", data={"confirm": "y"})
    assert page.status_code == 302
    assert not logged_in(browser)
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert sessions.sessions_of(user) == []
    # and they cannot log in again
    again = app.test_client().post("/login", data={"email": user.email, "password": "secret-pass"})
    assert again.status_code == 422


def test_the_command_line_deactivates_and_reactivates(app, make, login):
    user = make.user("applicant")
    browser, token = login(user), make.token(user)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "deactivate", user.email.upper()])
    assert result.exit_code == 0, result.output
    assert not logged_in(browser)
    api = app.test_client()
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    result = runner.invoke(args=["users", "reactivate", user.email])
    assert result.exit_code == 0, result.output
    login(user)  # can log in again
    # the old token stays revoked
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert runner.invoke(args=["users", "deactivate", "nobody@example.org"]).exit_code == 1


def test_ending_the_other_browsers_from_the_account_page(app, make, login):
    user = make.user("applicant")
    here, there = login(user), login(user)
    page = here.get("/account").get_data(as_text=True)
    assert "Where you are logged in" in page and "this browser" in page
    assert here.post("/account/sessions/end-others").status_code == 302
    assert logged_in(here) and not logged_in(there)


def test_logging_in_again_ends_the_session_it_replaces(app, make, login):
    first, second = make.user("applicant"), make.user("officer")
    browser = login(first)
    copy = copy_of(app, browser)
    login(second, client=browser)
    assert not logged_in(copy)
    assert "Region officer" in browser.get("/").get_data(as_text=True)


def test_a_session_is_read_with_its_person_and_their_roles_in_one_statement(app, make):
    from pagetools import counting_queries

    user = make.user("officer", "reviewer")
    with app.test_request_context("/"):
        secret = sessions.start(user)
        commit()
        db.session.expire_all()
        with counting_queries() as reads:
            person = sessions.load(secret)
            roles = person.roles
    assert person.id == user.id and roles == ["officer", "reviewer"]
    assert person.session_token == secret
    assert reads["n"] == 1
