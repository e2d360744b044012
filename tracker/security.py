"""What every response says to the browser, which proxy to believe, and how fast a password may
be guessed: security headers, cookie flags, the reverse proxy, the login throttle.

- Headers: a Content-Security-Policy that runs no inline script (tracker/static/diagram.js is the
  only script besides the vendored mermaid), frame denial, nosniff, a referrer policy, and HSTS
  on HTTPS requests only (a browser ignores it over HTTP, and a plain-HTTP install must not lock
  itself out).
- Cookies: HttpOnly and SameSite=Lax always; Secure when ``SESSION_COOKIE_SECURE`` is set or the
  request came over HTTPS (directly, or through a trusted proxy: ``PROXY_COUNT``).
- Login: every attempt is counted before the password is checked, per client address and per
  account (or per device that logged in to it before), in the database all workers share
  (``tracker.auth.throttle``); after a few free failures each one doubles the wait, up to a
  maximum; a waiting attempt answers 429 saying when to retry; a success gives the count back.
"""

from __future__ import annotations

import functools
import hashlib
import math
import secrets

from flask import Flask, current_app, request
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _
from flask_babel import ngettext
from itsdangerous import BadData, URLSafeTimedSerializer
from werkzeug.middleware.proxy_fix import ProxyFix

from tracker.auth import throttle

#: 'unsafe-inline' for styles only: mermaid writes a <style> element and style attributes into
#: the SVG it draws at run time. Scripts, frames, objects, forms and the base URL stay 'self'.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
HSTS = "max-age=31536000; includeSubDomains"


def init_app(app: Flask) -> None:
    proxies = app.config.get("PROXY_COUNT", 0)
    if proxies:
        # Believe X-Forwarded-For/-Proto/-Host/-Port from that many proxies, no more: a client
        # talking to us directly could otherwise pick its own address and dodge the throttle.
        app.wsgi_app = ProxyFix(
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies
        )
    app.session_interface = SessionCookies()
    app.after_request(add_security_headers)


class SessionCookies(SecureCookieSessionInterface):
    """The session cookie is Secure when configured so, or when this request came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


def add_security_headers(response):
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
        # Every cookie set over HTTPS (the language choice, the remember-me cookie...) is
        # Secure too, not only the session's.
        cookies = response.headers.getlist("Set-Cookie")
        if any("; secure" not in c.lower() for c in cookies):
            response.headers.setlist(
                "Set-Cookie", [c if "; secure" in c.lower() else f"{c}; Secure" for c in cookies]
            )
    return response


# --- the login throttle (tracker.auth.throttle counts) ----------------------------------------

DEVICE_COOKIE = "tracker_device"
DEVICE_SALT = "login-device"
DEVICE_MAX_AGE = 180 * 24 * 3600


def _attempted_email() -> str:
    """The account a login attempt names, whatever its case and spaces (blank ones share one)."""
    return (request.form.get("email") or "").strip().lower()[:254]


def _device_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=DEVICE_SALT)


def _account_key(email: str) -> str:
    """This device's own key when it logged in to ``email`` before, else the account's: a hash
    of the e-mail as typed, so the table holds no address (nor a character the database
    refuses: the form's checks come after the count)."""
    cookie = request.cookies.get(DEVICE_COOKIE)
    if cookie:
        try:
            known = _device_serializer().loads(cookie, max_age=DEVICE_MAX_AGE)
        except BadData:
            known = None
        if isinstance(known, dict) and known.get("email") == email:
            return f"device:{known.get('nonce')}"
    return "account:" + hashlib.sha256(email.encode("utf-8", "replace")).hexdigest()


def throttle_logins(view):
    """Count each POST to ``view`` as a failed login before it runs (per client address, and per
    account or known device); refuse it with 429 while a delay runs; give the count back when
    the login succeeds (it redirects)."""

    @functools.wraps(view)
    def throttled(*args, **kwargs):
        if request.method != "POST":
            return view(*args, **kwargs)
        config = current_app.config
        email = _attempted_email()
        address = f"address:{(request.remote_addr or '')[:100]}"
        account = _account_key(email)
        keys = ((address, config["LOGIN_FREE_FAILURES_PER_ADDRESS"]),
                (account, config["LOGIN_FREE_FAILURES_PER_ACCOUNT"]))  # fmt: skip
        counted = []
        for key, free in keys:
            if refusal := throttle.reserve(key, int(free)):
                for done in counted:
                    throttle.forgive(done, everything=False)
                return too_many_attempts(refusal.retry_after)
            counted.append(key)
        response = current_app.make_response(view(*args, **kwargs))
        if response.status_code == 302:  # logged in
            throttle.forgive(account, everything=True)
            throttle.forgive(address, everything=False)
            _remember_device(response, email)
        return response

    return throttled


def _remember_device(response, email: str) -> None:
    nonce = secrets.token_urlsafe(16)
    response.set_cookie(
        DEVICE_COOKIE,
        _device_serializer().dumps({"email": email, "nonce": nonce}),
        max_age=DEVICE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=bool(current_app.config["SESSION_COOKIE_SECURE"]) or request.is_secure,
    )


def wait_in_words(seconds: int) -> str:
    if seconds < 90:
        return ngettext("%(num)d second", "%(num)d seconds", seconds)
    return ngettext("%(num)d minute", "%(num)d minutes", math.ceil(seconds / 60))


def too_many_attempts(wait: int):
    from tracker.web.errors import render_error

    message = _(
        "Too many failed logins for this account or from this address. Try again in %(wait)s.",
        wait=wait_in_words(wait),
    )
    response, status = render_error(429, "too_many_requests", message, {"retry_after": wait})
    response = current_app.make_response((response, status))
    response.headers["Retry-After"] = str(wait)
    return response
