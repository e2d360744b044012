"""Fixtures of the partnership change tests."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from changeworld import ChangeWorld

sys.path.insert(0, str(Path(__file__).parents[1] / "views"))
from pagetools import text_of  # noqa: E402


@pytest.fixture
def cw(make, world) -> ChangeWorld:
    return ChangeWorld(make, world)


@pytest.fixture
def login(app):
    """``login(user)`` -> a test client logged in as ``user`` through /login."""

    def _login(user, password: str = "secret-pass"):
        client = app.test_client()
        response = client.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, text_of(response)
        return client

    return _login
