"""Fixtures of the email tests: a real SMTP server (aiosmtpd) started for the test, and what
arrived in it. The helpers of tests/api, views, measures and communities are shared."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from smtptools import Inbox, free_port

TESTS = Path(__file__).resolve().parent.parent
for _helpers in ("api", "views", "measures", "communities"):
    if str(TESTS / _helpers) not in sys.path:
        sys.path.append(str(TESTS / _helpers))


@pytest.fixture
def smtp(app):
    """A real SMTP server on a free port, the app pointed at it; yields its inbox."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port, MAIL_USE_TLS=False)
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def nowhere(app):
    """The app pointed at a port where no SMTP server listens."""
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_USE_TLS=False)


@pytest.fixture
def measures(make, world):
    from measuretools import Measures

    return Measures(make, world)


@pytest.fixture
def cw(make):
    from communityworld import CommunityWorld

    return CommunityWorld(make)
