"""Demo data: a realistic world for a first look. Every firm and person in it is invented."""

from __future__ import annotations

DEMO_PASSWORD = "demo"

#: (email, what the account is for): all share DEMO_PASSWORD. Demo only: never on a real install.
DEMO_ACCOUNTS: list[tuple[str, str]] = [
    ("officer@demo.example.org", "Region officer (DG Sviluppo Economico): calls, decisions, labels"),
    ("reviewer1@demo.example.org", "Committee member of the value-chain EOI"),
    ("reviewer2@demo.example.org", "Committee member of the value-chain EOI"),
    ("reviewer3@demo.example.org", "Committee member of the value-chain EOI"),
    ("lead@demo.example.org", "Lead partner of the Fashion and Textile value chain (a draft)"),
    ("steel@demo.example.org", "Lead partner of the recognised steel value chain (Duferco)"),
    ("partner@demo.example.org", "Staff of a partner firm"),
    ("coordinator@demo.example.org", "Coordinator of an AFIL Strategic Community"),
    ("board@demo.example.org", "AFIL board member"),
    ("admin@demo.example.org", "System administrator"),
]


def load_demo() -> str:
    raise NotImplementedError("being written")
