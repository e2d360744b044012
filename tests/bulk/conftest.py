"""Fixtures of the bulk-decision tests: evaluated applications waiting for the Region's decree,
built through the real operations."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

for folder in ("views", "api"):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / folder))

from apiclient import Api  # noqa: E402
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


class Desk:
    """An officer, one committee member and a call whose applications need one review."""

    def __init__(self, make) -> None:
        self.make = make
        self.officer = make.user("officer")
        self.call = make.call(self.officer, min_firms=1, min_reviews=1)
        self.reviewer = make.user("reviewer", organisation=make.organisation(kind="university"))
        make.appoint(self.call, self.reviewer)
        self.lead_org = make.organisation("Lead firm", province="BS")
        self.lead = make.user("applicant", organisation=self.lead_org)

    def submitted(self, n: int, title: str = "Chain") -> list:
        apps = []
        for i in range(n):
            app = self.make.application(self.call, self.lead, title=f"{title} {i + 1}")
            self.make.fire(app, self.lead, "submit")
            apps.append(app)
        return apps

    def evaluated(self, n: int, *, scores=None, title: str = "Chain") -> list:
        """``n`` applications evaluated with full marks (or ``scores``: below the threshold)."""
        apps = self.submitted(n, title)
        for app in apps:
            self.make.fire(app, self.reviewer, "admit")
            self.make.review(app, self.reviewer, scores)
            self.make.fire(app, self.reviewer, "close_evaluation")
        return apps


@pytest.fixture
def desk(make) -> Desk:
    return Desk(make)


@pytest.fixture
def api(make):
    """``api(user)`` -> an API client speaking as ``user``."""
    return lambda user: Api(make.app, make.token(user))
