"""Fixtures of the phase-2 tests."""

from __future__ import annotations

import pytest
from measuretools import Measures


@pytest.fixture
def measures(make, world) -> Measures:
    return Measures(make, world)
