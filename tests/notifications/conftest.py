"""Fixtures of the notice tests. The helpers of tests/api, views and communities are shared."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent.parent
for _helpers in ("api", "views", "communities"):
    if str(TESTS / _helpers) not in sys.path:
        sys.path.append(str(TESTS / _helpers))

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
def cw(make):
    from communityworld import CommunityWorld

    return CommunityWorld(make)


@pytest.fixture
def chain(make, world):
    """The world's application, complete, with the staff of one partner firm among its users;
    the notices of the committee's appointments forgotten."""
    from noticetools import forget_all

    app = make.application(world.call, world.lead)
    partner_org = next(p.organisation for p in app.partners if not p.is_lead)
    partner = make.user("applicant", organisation=partner_org)
    forget_all()
    return type("Chain", (), {"app": app, "partner": partner})
