"""Helpers of the speed tools' tests: the size of the test benches, their app, the PostgreSQL
server to build on."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import make_url

from tracker import create_app
from tracker.extensions import db

#: applications of the test benches: every state is reached, and it builds in a second or two
N = 200
PG_URL = os.environ.get("TEST_DATABASE_URL", "").strip()
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def bench_app(url: str):
    return create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False}
    )


def dispose(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def postgres_base() -> str:
    if not PG_URL:
        if IN_CI:
            pytest.fail("CI=true but TEST_DATABASE_URL is not set")
        pytest.skip("no PostgreSQL server: set TEST_DATABASE_URL to run these tests against one")
    url = make_url(PG_URL)
    return url.set(database=f"{url.database}_bench_{os.getpid()}").render_as_string(
        hide_password=False
    )
