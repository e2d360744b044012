"""API tokens expire and can be revoked, by their owner or an administrator; one place checks
them (tracker.auth.operations.user_for_token)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from tracker.auth.models import ApiToken
from tracker.auth.operations import user_for_token
from tracker.columns import utcnow
from tracker.database import commit
from tracker.extensions import db


def me(app, token):
    return app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})


def row_of(token: str) -> ApiToken:
    db.session.expire_all()
    return db.session.scalar(select(ApiToken).where(ApiToken.token_hash == ApiToken.hash(token)))


def test_a_new_token_expires_after_the_default_lifetime(app, make):
    token = make.token(make.user("applicant"))
    left = row_of(token).expires_at - utcnow()
    assert dt.timedelta(days=89) < left <= dt.timedelta(days=app.config["API_TOKEN_DAYS"])


def test_an_expired_token_is_401(app, make):
    user = make.user("applicant")
    token = make.token(user)
    assert me(app, token).status_code == 200
    row_of(token).expires_at = utcnow() - dt.timedelta(seconds=1)
    commit()
    r = me(app, token)
    assert r.status_code == 401 and 'error="invalid_token"' in r.headers["WWW-Authenticate"]
    assert user_for_token(token) is None


def test_the_command_line_takes_days_and_prints_the_token_last(app, make):
    user = make.user("applicant")
    result = app.test_cli_runner().invoke(args=["users", "token", user.email, "--days", "1"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert me(app, token).status_code == 200
    assert row_of(token).expires_at - utcnow() <= dt.timedelta(days=1)
    for days in ("0", "-3", "100000"):
        bad = app.test_cli_runner().invoke(args=["users", "token", user.email, "--days", days])
        assert bad.exit_code == 1 and "1 to" in bad.output, bad.output


def test_use_is_recorded(app, make):
    token = make.token(make.user("applicant"))
    assert row_of(token).last_used_at is None
    me(app, token)
    assert row_of(token).last_used_at is not None


def test_the_owner_revokes_a_token_from_the_account_page(app, make, login):
    user = make.user("applicant")
    token = make.token(user)
    browser = login(user)
    page = browser.get("/account").get_data(as_text=True)
    row = row_of(token)
    assert row.prefix in page and "Revoke" in page
    assert browser.post(f"/account/tokens/{row.id}/revoke").status_code == 302
    assert me(app, token).status_code == 401
    assert row_of(token).revoked_at is not None
    assert "Revoked" in browser.get("/account").get_data(as_text=True)


def test_nobody_revokes_another_persons_token_from_their_account(app, make, login):
    owner, other = make.user("applicant"), make.user("officer")
    token = make.token(owner)
    r = login(other).post(f"/account/tokens/{row_of(token).id}/revoke")
    assert r.status_code == 404
    assert me(app, token).status_code == 200


def test_an_administrator_revokes_a_persons_token(app, make, login):
    admin, owner = make.user("admin"), make.user("applicant")
    token = make.token(owner)
    browser = login(admin)
    page = browser.get(f"/admin/people/{owner.id}").get_data(as_text=True)
    assert row_of(token).prefix in page
    r = browser.post(f"/admin/people/{owner.id}/tokens/{row_of(token).id}/revoke")
    assert r.status_code == 302
    assert me(app, token).status_code == 401
    log = browser.get(f"/admin/people/{owner.id}").get_data(as_text=True)
    assert f"API token {row_of(token).prefix}… revoked" in log
