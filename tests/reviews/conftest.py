"""The world of the review tests: an application under evaluation, two committee members who
have not declared yet, a member whose firm is a partner, and an officer, each with an API
client and a page client."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "api"))  # the shape-checking API client

from apiclient import Api  # noqa: E402


@pytest.fixture
def panel(make, world):
    """An application admitted by the officer (who does not declare), under evaluation."""
    app = make.application(world.call, world.lead)
    conflicted = make.user("reviewer", organisation=app.partners[1].organisation)
    make.appoint(world.call, conflicted)
    make.fire(app, world.lead, "submit")
    make.fire(app, world.officer, "admit")
    first, second = world.reviewers
    api = {
        "first": Api(make.app, make.token(first)),
        "second": Api(make.app, make.token(second)),
        "conflicted": Api(make.app, make.token(conflicted)),
        "officer": Api(make.app, make.token(world.officer)),
        "lead": Api(make.app, make.token(world.lead)),
    }
    return type(
        "Panel",
        (),
        {"app": app, "first": first, "second": second, "conflicted": conflicted,
         "officer": world.officer, "lead": world.lead, "call": world.call, "api": api},
    )  # fmt: skip


@pytest.fixture
def login(app):
    def _login(user, language: str | None = None):
        client = app.test_client()
        response = client.post("/login", data={"email": user.email, "password": "secret-pass"})
        assert response.status_code == 302
        if language:
            client.post("/language", data={"language": language, "next": "/"})
        return client

    return _login
