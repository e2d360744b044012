"""Fixtures of the windows tests: API clients and logged-in page clients (the helpers of
tests/api and tests/views)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent.parent
for _helpers in ("api", "views"):
    if str(TESTS / _helpers) not in sys.path:
        sys.path.append(str(TESTS / _helpers))

from apiclient import Api  # noqa: E402
from pagetools import text_of  # noqa: E402


@pytest.fixture
def api(make):
    """``api(user)`` -> an API client speaking as ``user``."""
    return lambda user: Api(make.app, make.token(user))


@pytest.fixture
def login(app):
    def _login(user, password: str = "secret-pass"):
        client = app.test_client()
        response = client.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, text_of(response)
        return client

    return _login
