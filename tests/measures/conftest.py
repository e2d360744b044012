"""Fixtures of the phase-2 tests. The API and page helpers of tests/api and tests/views
(``apiclient``, ``pagetools``) are shared with these tests."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent.parent
for _helpers in ("api", "views"):
    if str(TESTS / _helpers) not in sys.path:
        sys.path.append(str(TESTS / _helpers))

from apiclient import Api  # noqa: E402
from measuretools import Measures  # noqa: E402
from pagetools import text_of  # noqa: E402


@pytest.fixture
def measures(make, world) -> Measures:
    return Measures(make, world)


@pytest.fixture
def api(make):
    """``api(user)`` -> an API client speaking as ``user`` (None: without a token)."""
    return lambda user=None: Api(make.app, make.token(user) if user is not None else None)


@pytest.fixture
def login(app):
    """``login(user)`` -> a test client logged in as ``user`` through /login."""

    def _login(user, password: str = "secret-pass"):
        client = app.test_client()
        response = client.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, text_of(response)
        return client

    return _login
