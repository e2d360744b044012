"""What every response says to the browser, which proxy to believe, and how fast a password may
be guessed: security headers, cookie flags, the reverse proxy, the login throttle.

- Headers: a Content-Security-Policy that runs no inline script (tracker/static/diagram.js is the
  only script besides the vendored mermaid), frame denial, nosniff, a referrer policy, and HSTS
  on HTTPS requests only (a browser ignores it over HTTP, and a plain-HTTP install must not lock
  itself out).
- Cookies: HttpOnly and SameSite=Lax always; Secure when ``SESSION_COOKIE_SECURE`` is set or the
  request came over HTTPS (directly, or through a trusted proxy: ``PROXY_COUNT``).
- Login: failed attempts are limited per account and per client address (Flask-Limiter); a
  correct password does not count, an exceeded limit answers 429 saying when to retry.
"""

from __future__ import annotations

import math
import time

from flask import Flask, current_app, request
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address
from werkzeug.middleware.proxy_fix import ProxyFix

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

limiter = Limiter(key_func=get_remote_address)


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
    limiter.init_app(app)
    app.register_error_handler(RateLimitExceeded, too_many_attempts)


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


# --- the login throttle -----------------------------------------------------------------------


def _account_key() -> str:
    """The account a login attempt names, whatever its case and spaces (blank ones share one)."""
    return "account:" + (request.form.get("email") or "").strip().lower()[:254]


def _failed(response) -> bool:
    """A login attempt costs only when it fails (a success redirects)."""
    return response.status_code != 302


def throttle_logins(view):
    """Limit failed POSTs to ``view`` per account and per client address."""
    per_account = limiter.limit(
        lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"],
        key_func=_account_key,
        methods=["POST"],
        deduct_when=_failed,
    )
    per_address = limiter.limit(
        lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"],
        methods=["POST"],
        deduct_when=_failed,
    )
    return per_address(per_account(view))


def seconds_to_wait() -> int:
    current = limiter.current_limit
    if current is None:
        return 60
    return max(1, math.ceil(current.reset_at - time.time()))


def wait_in_words(seconds: int) -> str:
    if seconds < 90:
        return ngettext("%(num)d second", "%(num)d seconds", seconds)
    return ngettext("%(num)d minute", "%(num)d minutes", math.ceil(seconds / 60))


def too_many_attempts(err: RateLimitExceeded):
    from tracker.web.errors import render_error

    wait = seconds_to_wait()
    message = _(
        "Too many failed logins for this account or from this address. Try again in %(wait)s.",
        wait=wait_in_words(wait),
    )
    response, status = render_error(429, "too_many_requests", message, {"retry_after": wait})
    response = current_app.make_response((response, status))
    response.headers["Retry-After"] = str(wait)
    return response
