"""Fixtures of the partnership change tests."""

from __future__ import annotations

import pytest
from changeworld import ChangeWorld


@pytest.fixture
def cw(make, world) -> ChangeWorld:
    return ChangeWorld(make, world)
