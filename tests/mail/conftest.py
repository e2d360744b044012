"""Fixtures of the email tests: a real SMTP server (aiosmtpd) started for the test, and what
arrived in it. The helpers of tests/views, tests/measures and tests/communities are shared."""

from __future__ import annotations

import email
import email.policy
import socket
import sys
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

TESTS = Path(__file__).resolve().parent.parent
for _helpers in ("views", "measures", "communities"):
    if str(TESTS / _helpers) not in sys.path:
        sys.path.append(str(TESTS / _helpers))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """An SMTP server's handler keeping what arrives; it refuses the addresses it is told to:
    ``refuse[address] = "550 5.1.1 No such user"``."""

    def __init__(self) -> None:
        self.messages: list = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refuse: dict[str, str] = {}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] == address]

    def one_to(self, address: str, kind_subject: str | None = None):
        found = [
            m for m in self.to(address) if kind_subject is None or kind_subject in m["Subject"]
        ]
        assert len(found) == 1, [m["Subject"] for m in self.to(address)]
        return found[0]


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
