"""A real SMTP server's side of the email tests: what arrived, and what it refuses."""

from __future__ import annotations

import email
import email.policy
import socket


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


def plain(msg) -> str:
    """The text/plain part of an email: what the tracker wrote."""
    return msg.get_body(preferencelist=("plain",)).get_content()


def html_part(msg) -> str:
    return msg.get_body(preferencelist=("html",)).get_content()
