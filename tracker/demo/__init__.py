"""Demo data: a realistic world for a first look. Every firm and person in it is invented.

``value_chains`` builds the value-chain EOI world first; every other module of this package that
defines ``extend(world) -> str`` then adds its part on top (measures, communities...), in name
order. ``world`` is the value-chain builder: its organisations, users and call.
"""

from __future__ import annotations

import importlib
import pkgutil

DEMO_PASSWORD = "demo"

#: (email, what the account is for): all share DEMO_PASSWORD. Demo only: never on a real install.
DEMO_ACCOUNTS: list[tuple[str, str]] = [
    (
        "officer@demo.example.org",
        "Region officer (DG Sviluppo Economico): calls, decisions, labels",
    ),
    ("reviewer1@demo.example.org", "Committee member of the value-chain EOI"),
    ("reviewer2@demo.example.org", "Committee member of the value-chain EOI"),
    ("reviewer3@demo.example.org", "Committee member of the value-chain EOI"),
    ("lead@demo.example.org", "Lead partner of the Fashion and Textile value chain (a draft)"),
    ("steel@demo.example.org", "Lead partner of the recognised steel value chain (Duferco)"),
    ("partner@demo.example.org", "Staff of a partner firm"),
    ("coordinator@demo.example.org", "Coordinator of an AFIL Strategic Community"),
    ("hub@demo.example.org", "Politecnico di Milano: its Circular Economy HUB application"),
    ("board@demo.example.org", "AFIL board member"),
    ("admin@demo.example.org", "System administrator"),
]


def demo_loaded() -> bool:
    """Whether this database holds the demo world (its officer account is the sign)."""
    from sqlalchemy import select

    from tracker.auth.models import User
    from tracker.extensions import db

    return db.session.scalar(select(User.id).where(User.email == DEMO_ACCOUNTS[0][0])) is not None


def load_demo() -> str:
    """Load the demo world unless the database already holds users or organisations."""
    from sqlalchemy import select

    from tracker.auth.models import User
    from tracker.database import commit
    from tracker.demo import value_chains
    from tracker.extensions import db
    from tracker.organisations.models import Organisation

    if db.session.scalar(select(User.id).limit(1)) or db.session.scalar(
        select(Organisation.id).limit(1)
    ):
        return "Demo data skipped: the database already holds users or organisations."
    from tracker.mail.operations import muted

    with muted():  # years of invented history are no news: no email about them
        world, summary = value_chains.build()
        lines = [summary]
        for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
            module = importlib.import_module(f"{__name__}.{info.name}")
            if hasattr(module, "extend"):
                lines.append(module.extend(world))
    commit()
    lines.append(f"Demo accounts: {len(DEMO_ACCOUNTS)}, password '{DEMO_PASSWORD}' (demo only).")
    return "\n".join(lines)
