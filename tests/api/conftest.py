"""Fixtures of the API tests: clients speaking as each person of the ``world``."""

from __future__ import annotations

import pytest
from apiclient import Api


@pytest.fixture
def anonymous(app) -> Api:
    return Api(app)


@pytest.fixture
def people(make, world):
    """The world's people with API clients: lead, reviewers (two), officer, and an outsider
    applicant of another organisation."""
    outsider = make.user("applicant", organisation=make.organisation("Outsider Srl"))
    return type(
        "People",
        (),
        {
            "lead": Api(make.app, make.token(world.lead)),
            "reviewers": [Api(make.app, make.token(r)) for r in world.reviewers],
            "officer": Api(make.app, make.token(world.officer)),
            "outsider": Api(make.app, make.token(outsider)),
            "outsider_user": outsider,
        },
    )
