"""Security headers on pages, API answers and error pages; cookie flags over HTTP, HTTPS and
behind a proxy; no inline script in any template; failed logins throttled per account and per
address, successful ones never."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import update

from tracker import create_app
from tracker.extensions import db
from tracker.security import CONTENT_SECURITY_POLICY

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
SQLITE_ONLY = pytest.mark.parametrize("backend", ["sqlite"])  # nothing here depends on it
HTTPS = "https://tracker.example.org"


def directives(policy: str) -> dict[str, str]:
    return dict(d.strip().split(" ", 1) for d in policy.split(";"))


@SQLITE_ONLY
@pytest.mark.parametrize(
    ("path", "status"),
    [("/login", 200), ("/api/v1/registry", 200), ("/no/such/page", 404), ("/api/v1/me", 401),
     ("/static/style.css", 200)],
)  # fmt: skip
def test_every_answer_carries_the_security_headers(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    csp = directives(response.headers["Content-Security-Policy"])
    assert csp["default-src"] == "'self'"
    assert csp["script-src"] == "'self'"  # no 'unsafe-inline', no 'unsafe-eval'
    assert csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'"
    assert csp["base-uri"] == "'self'" and csp["form-action"] == "'self'"
    assert csp["img-src"] == "'self' data:"
    assert "unsafe" not in csp["default-src"] + csp["script-src"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP: no HSTS
    response.close()  # a static file's handle


@SQLITE_ONLY
def test_hsts_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    hsts = client.get("/login", base_url=HTTPS).headers["Strict-Transport-Security"]
    assert hsts.startswith("max-age=31536000")


def _session_cookie(response) -> str:
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert len(cookies) == 1, response.headers.getlist("Set-Cookie")
    return cookies[0].lower()


@SQLITE_ONLY
def test_the_session_cookie_is_httponly_and_samesite_and_secure_over_https(make, client):
    user = make.user("officer")
    form = {"email": user.email, "password": "secret-pass"}
    plain = _session_cookie(client.post("/login", data=form))
    assert "; httponly" in plain and "; samesite=lax" in plain
    assert "; secure" not in plain  # a plain-HTTP install must still be able to log in
    secure = _session_cookie(make.app.test_client().post("/login", data=form, base_url=HTTPS))
    assert "; httponly" in secure and "; samesite=lax" in secure and "; secure" in secure


@pytest.mark.own_app
@SQLITE_ONLY
def test_every_cookie_set_over_https_is_secure(app):
    """A cookie any view sets (a language choice, say) is Secure over HTTPS, not only the
    session's."""

    def choose():
        response = app.make_response("chosen")
        response.set_cookie("language", "it", httponly=True, samesite="Lax")
        return response

    app.add_url_rule("/_test/choose", view_func=choose)
    client = app.test_client()
    assert all(
        "; Secure" not in c for c in client.get("/_test/choose").headers.getlist("Set-Cookie")
    )
    cookies = client.get("/_test/choose", base_url=HTTPS).headers.getlist("Set-Cookie")
    assert cookies and all(c.endswith("; Secure") for c in cookies), cookies


@SQLITE_ONLY
def test_session_cookie_secure_setting_forces_secure_over_http(app):
    app.config["SESSION_COOKIE_SECURE"] = True
    client = app.test_client()
    with client.session_transaction() as session:
        session["x"] = 1
    cookie = client.get("/login").headers.getlist("Set-Cookie")
    assert all("; Secure" in c for c in cookie), cookie


@pytest.mark.parametrize(("proxies", "secure"), [(0, False), (1, True)])
def test_https_seen_through_a_trusted_proxy_only(tmp_path, proxies, secure):
    """Behind nginx (PROXY_COUNT=1) X-Forwarded-Proto: https makes the request secure (HSTS,
    Secure cookies); with no proxy configured the header is a client's claim and is ignored."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'proxy.db'}",
            "PROXY_COUNT": proxies,
        }
    )
    with app.app_context():
        db.create_all()
        headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
        response = app.test_client().get("/login", headers=headers)
        assert ("Strict-Transport-Security" in response.headers) is secure
        db.engine.dispose()


def test_no_template_runs_inline_script():
    """The CSP allows scripts from 'self' only: no <script> with a body, no on*= handler, no
    javascript: URL in any template."""
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        html = path.read_text()
        for m in re.finditer(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S | re.I):
            if m.group(2).strip() or "src=" not in m.group(1):
                found.append(f"{path.name}: inline <script>")
        for m in re.finditer(r"<[a-z][^>]*\s(on[a-z]+)\s*=", html, flags=re.I):
            found.append(f"{path.name}: {m.group(1)}= handler")
        if re.search(r"javascript:", html, flags=re.I):
            found.append(f"{path.name}: javascript: URL")
    assert not found, found
    assert "script-src 'self';" in CONTENT_SECURITY_POLICY + ";"


# --- the login throttle -----------------------------------------------------------------------


def _fail_login(client, email, address="198.51.100.7"):
    return client.post(
        "/login",
        data={"email": email, "password": "guess"},
        environ_base={"REMOTE_ADDR": address},
    )


def _wait_over(key_prefix: str = "") -> None:
    """Let every running delay end now (instead of sleeping through it)."""
    from tracker.auth.models import LoginThrottle

    db.session.execute(
        update(LoginThrottle)
        .where(LoginThrottle.key.startswith(key_prefix))
        .values(next_allowed=0.0)
    )
    db.session.commit()


def test_failed_logins_are_throttled_per_account_with_growing_delays(make, client):
    user = make.user("officer")
    for _ in range(5):
        assert _fail_login(client, user.email).status_code == 422
    refused = _fail_login(client, user.email, address="198.51.100.8")  # another address too
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "1"
    text = refused.get_data(as_text=True)
    assert "Too many failed logins" in text and "Try again in 1 second." in text
    # even the right password waits: the throttle must not tell a guesser when it hit
    right = client.post("/login", data={"email": user.email, "password": "secret-pass"})
    assert right.status_code == 429
    # each further failure doubles the wait: 1, 2, 4, 8 s... (a delay, never a lock)
    waits = []
    for _ in range(4):
        _wait_over()
        assert _fail_login(client, user.email).status_code == 422
        waits.append(int(_fail_login(client, user.email).headers["Retry-After"]))
    assert waits == [2, 4, 8, 16]
    _wait_over()
    assert (
        client.post("/login", data={"email": user.email, "password": "secret-pass"}).status_code
        == 302
    )
    # other accounts are not locked out by it
    other = make.user("officer")
    ok = app_client(client).post("/login", data={"email": other.email, "password": "secret-pass"})
    assert ok.status_code == 302


def app_client(client):
    return client.application.test_client()


def test_the_longest_delay_is_the_configured_maximum(make, app, client):
    app.config["LOGIN_MAX_DELAY_SECONDS"] = 30
    user = make.user("officer")
    for _ in range(12):
        _wait_over()
        _fail_login(client, user.email)
    assert int(_fail_login(client, user.email).headers["Retry-After"]) == 30


def test_the_account_key_ignores_case_and_spaces(make, client):
    user = make.user("officer")
    email = user.email
    for variant in (email.upper(), f" {email}", f"{email} ", email.title(), email):
        assert _fail_login(client, variant).status_code == 422
    assert _fail_login(client, f"  {user.email.upper()} ").status_code == 429


def test_failed_logins_are_throttled_per_address(make, client):
    """One address trying many accounts: twenty free failures, then a wait for any account."""
    for i in range(20):
        assert _fail_login(client, f"nobody{i}@example.org").status_code == 422
    assert _fail_login(client, "someone-else@example.org").status_code == 429
    assert (
        _fail_login(client, "someone-else@example.org", address="198.51.100.99").status_code == 422
    )


def test_the_owner_on_a_known_device_is_not_locked_out_by_a_guesser(make, app):
    """A guesser elsewhere makes the account wait; the person who logged in on this device
    before is counted on the device's own key and logs in at once."""
    app.config["LOGIN_FIRST_DELAY_SECONDS"] = 60  # no delay runs out while the guesses last
    user = make.user("officer")
    owner = app.test_client()
    assert (
        owner.post("/login", data={"email": user.email, "password": "secret-pass"}).status_code
        == 302
    )
    assert owner.get_cookie("tracker_device") is not None
    guesser = app.test_client()
    for _ in range(6):
        _fail_login(guesser, user.email, address="203.0.113.9")
    assert _fail_login(guesser, user.email, address="203.0.113.9").status_code == 429
    ok = owner.post("/login", data={"email": user.email, "password": "secret-pass"})
    assert ok.status_code == 302
    # the device's own failures are counted too: it is no way round the throttle
    for _ in range(5):
        assert _fail_login(owner, user.email).status_code == 422
    assert _fail_login(owner, user.email).status_code == 429


def test_a_device_cookie_of_another_account_or_forged_counts_for_nothing(make, app):
    app.config["LOGIN_FIRST_DELAY_SECONDS"] = 60  # no delay runs out while the guesses last
    first, second = make.user("officer"), make.user("officer")
    device = app.test_client()
    assert (
        device.post("/login", data={"email": first.email, "password": "secret-pass"}).status_code
        == 302
    )
    for _ in range(5):
        _fail_login(app.test_client(), second.email, address="203.0.113.9")
    assert _fail_login(device, second.email).status_code == 429  # the cookie names another account
    device.set_cookie("tracker_device", "forged.value.here")
    for _ in range(5):
        _fail_login(app.test_client(), first.email, address="203.0.113.10")
    assert _fail_login(device, first.email).status_code == 429


def test_successful_logins_never_count(make, app):
    user = make.user("officer")
    for _ in range(25):  # above both allowances (5 per account, 20 per address)
        client = app.test_client()
        response = client.post("/login", data={"email": user.email, "password": "secret-pass"})
        assert response.status_code == 302


@pytest.mark.fresh_database  # threads: each guess on its own connection
def test_parallel_guesses_are_counted_before_they_are_checked(make, app):
    """Twenty guesses at the same moment: the count comes first, so exactly the five free ones
    reach the password check, whatever the timing."""
    from concurrent.futures import ThreadPoolExecutor

    app.config["LOGIN_FIRST_DELAY_SECONDS"] = 60  # no delay runs out while the guesses last
    email = make.user("officer").email  # read here: the threads never touch the test's session

    def guess(i):
        with app.app_context():
            return _fail_login(app.test_client(), email, address=f"198.51.100.{i}").status_code

    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(pool.map(guess, range(20)))
    assert statuses.count(422) == 5 and statuses.count(429) == 15, statuses


@SQLITE_ONLY
def test_the_api_is_not_throttled_by_failed_logins(make, client):
    user = make.user("officer")
    token = make.token(user)
    for _ in range(12):
        _fail_login(client, user.email, address="127.0.0.1")
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
