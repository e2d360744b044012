"""Settings come from the environment only; tests pass overrides to ``create_app``."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


def secret_key() -> str:
    """SECRET_KEY from the environment; else one generated once and kept in instance/, so that
    sessions survive restarts and every worker of ``make serve`` signs with the same key."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = INSTANCE / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        INSTANCE.mkdir(parents=True, exist_ok=True)
        # Written whole under a temporary name, then linked into place: a worker racing us
        # either wins the link or reads the complete key of the one that did.
        tmp = INSTANCE / f".secret_key.{os.getpid()}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
        return path.read_text().strip()


def database_url() -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{INSTANCE / 'tracker.db'}"
    # Heroku-style URLs name the old driver; we ship psycopg 3.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def from_environment() -> dict:
    return {
        "SECRET_KEY": secret_key(),
        "SQLALCHEMY_DATABASE_URI": database_url(),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # PostgreSQL: the planner's cost of reading a page out of order, for this app's
        # connections (tracker.database.planner_options); empty: the server's own setting
        "PG_RANDOM_PAGE_COST": os.environ.get("PG_RANDOM_PAGE_COST", "1.1"),
        # Bodies above this are refused with 413 before any parsing.
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", 1024 * 1024)),
        # The signed agreement's PDF may be larger (its upload routes alone; tracker.documents).
        "AGREEMENT_MAX_BYTES": int(os.environ.get("AGREEMENT_MAX_BYTES", 10 * 1024 * 1024)),
        # The largest annex any call may allow (each annex sets its own limit below it).
        "ANNEX_MAX_BYTES": int(os.environ.get("ANNEX_MAX_BYTES", 20 * 1024 * 1024)),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE", False),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE", False),
        # Reverse proxies in front of the app whose X-Forwarded-* headers are believed (nginx: 1).
        "PROXY_COUNT": int(os.environ.get("PROXY_COUNT", 0)),
        # The login throttle (tracker.auth.throttle): failures free of delay per account (or
        # known device) and per client address, the first and the longest delay (each failure
        # doubles it), and when failures are forgotten.
        "LOGIN_FREE_FAILURES_PER_ACCOUNT": int(
            os.environ.get("LOGIN_FREE_FAILURES_PER_ACCOUNT", 5)
        ),
        "LOGIN_FREE_FAILURES_PER_ADDRESS": int(
            os.environ.get("LOGIN_FREE_FAILURES_PER_ADDRESS", 20)
        ),
        "LOGIN_FIRST_DELAY_SECONDS": int(os.environ.get("LOGIN_FIRST_DELAY_SECONDS", 1)),
        "LOGIN_MAX_DELAY_SECONDS": int(os.environ.get("LOGIN_MAX_DELAY_SECONDS", 900)),
        "LOGIN_FORGET_AFTER_SECONDS": int(os.environ.get("LOGIN_FORGET_AFTER_SECONDS", 24 * 3600)),
        # Accounts (tracker.auth): a browser session ends after this long unused, or this long
        # after its login whatever happens; API tokens expire after API_TOKEN_DAYS unless
        # `users token --days N` says otherwise (at most API_TOKEN_MAX_DAYS); passwords have at
        # least PASSWORD_MIN_LENGTH characters; a password reset link lasts PASSWORD_RESET_MINUTES,
        # an invitation INVITATION_DAYS.
        "SESSION_IDLE_HOURS": int(os.environ.get("SESSION_IDLE_HOURS", 12)),
        "SESSION_MAX_DAYS": int(os.environ.get("SESSION_MAX_DAYS", 30)),
        "API_TOKEN_DAYS": int(os.environ.get("API_TOKEN_DAYS", 90)),
        "API_TOKEN_MAX_DAYS": int(os.environ.get("API_TOKEN_MAX_DAYS", 366)),
        "PASSWORD_MIN_LENGTH": int(os.environ.get("PASSWORD_MIN_LENGTH", 12)),
        "PASSWORD_RESET_MINUTES": int(os.environ.get("PASSWORD_RESET_MINUTES", 60)),
        "INVITATION_DAYS": int(os.environ.get("INVITATION_DAYS", 7)),
        "WTF_CSRF_TIME_LIMIT": None,
        "PER_PAGE": 50,
        "MAX_PER_PAGE": 200,
        # Email (tracker.mail): the SMTP server the outbox is sent through, and the address
        # links in emails start with.
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", "localhost"),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", 25)),
        "MAIL_USE_TLS": _flag("MAIL_USE_TLS", False),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_DEFAULT_SENDER": os.environ.get(
            "MAIL_DEFAULT_SENDER", "Tracker <noreply@tracker.localhost>"
        ),
        "TRACKER_BASE_URL": os.environ.get("TRACKER_BASE_URL", "http://127.0.0.1:5000"),
    }
