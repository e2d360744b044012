"""Fixtures of the integration-request tests: an application asked for an integration. The API
and page helpers of tests/api and tests/views (``apiclient``, ``pagetools``) are shared."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent.parent
for _helpers in ("api", "views"):
    if str(TESTS / _helpers) not in sys.path:
        sys.path.append(str(TESTS / _helpers))

from integrationtools import QUESTION  # noqa: E402
from pagetools import text_of  # noqa: E402


@pytest.fixture
def login(app):
    """``login(user)`` -> a test client logged in as ``user`` through /login."""

    def _login(user, password: str = "secret-pass"):
        client = app.test_client()
        response = client.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, text_of(response)
        return client

    return _login


@pytest.fixture
def asked(make, world):
    """A submitted application the committee asked an integration of (the default date)."""
    app = make.application(world.call, world.lead)
    make.fire(app, world.lead, "submit")
    make.fire(app, world.reviewers[0], "request_integration", QUESTION)
    return app
