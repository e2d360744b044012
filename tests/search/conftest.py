"""Fixtures of the search, registry and organisation page tests: the partnership change tests'
recognised chain, and clients logged in through /login."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "changes"))
sys.path.insert(0, str(Path(__file__).parents[1] / "views"))
from changeworld import ChangeWorld  # noqa: E402
from pagetools import text_of  # noqa: E402


@pytest.fixture
def cw(make, world) -> ChangeWorld:
    return ChangeWorld(make, world)


@pytest.fixture
def login(app):
    def _login(user, password: str = "secret-pass"):
        client = app.test_client()
        response = client.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, text_of(response)
        return client

    return _login
