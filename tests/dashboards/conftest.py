"""Fixtures of the dashboard tests: a small world whose figures are known by heart."""

from __future__ import annotations

import datetime as dt

import pytest
from dashworld import DashWorld


@pytest.fixture
def dw(make, world) -> DashWorld:
    return DashWorld(make, world)


@pytest.fixture
def days_ago():
    def _at(days: float) -> dt.datetime:
        from tracker.columns import utcnow

        return utcnow() - dt.timedelta(days=days)

    return _at


@pytest.fixture
def cw(make, world):
    from dashworld import Communities

    return Communities(make, world.officer)


@pytest.fixture
def request_ctx(app):
    """Figures read outside a page still speak the reader's language: give them a request."""
    with app.test_request_context():
        yield
