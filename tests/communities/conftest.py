"""Fixtures of the community and HUB tests."""

from __future__ import annotations

import datetime as dt

import pytest
from communityworld import CommunityWorld


@pytest.fixture
def cw(make) -> CommunityWorld:
    return CommunityWorld(make)


@pytest.fixture
def hub_call(make):
    """An open call of workflow hub_eoi (no criteria: nobody scores it)."""
    today = dt.date.today()
    return make.call(
        title="Circular Economy HUB", workflow="hub_eoi", criteria=[], min_firms=0,
        min_reviews=1, score_threshold=0, act_reference="DGR XI/3531/2020",
        opens_at=(today - dt.timedelta(days=5)).isoformat(),
        deadline=(today + dt.timedelta(days=15)).isoformat(),
    )  # fmt: skip
