"""Demo data: a realistic world for a first look. Its people, VAT numbers, scores and stories are
invented, and so are its firms but for those the public record names; each data file says what is
real and where it is from, and what the record does not give is flagged illustrative there and
marked so on the pages.

The world is data, one file per kind in ``data/`` (accounts, organisations, the calls, the value
chains, the measures, the communities, the HUB), read by ``content`` and replayed through the
real operations by the builders of this package.

``value_chains`` builds the value-chain EOI world first; every other module of this package that
defines ``extend(world) -> str`` then adds its part on top (measures, communities...), in name
order. ``world`` is the value-chain builder: its organisations, users and call.
"""

from __future__ import annotations

import importlib
import pkgutil

DEMO_PASSWORD = "demo"


def _accounts() -> list[tuple[str, str]]:
    from tracker.demo.content import load

    return [(a["email"], a["purpose"]) for a in load("accounts")["accounts"]]


#: (email, what the account is for): all share DEMO_PASSWORD. Demo only: never on a real install.
#: Kept in data/accounts.yaml.
DEMO_ACCOUNTS: list[tuple[str, str]] = _accounts()


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
    from tracker.notifications.demo import recent_notices

    lines.append(recent_notices())  # a few of the newest decisions, told as notices only
    commit()
    lines.append(f"Demo accounts: {len(DEMO_ACCOUNTS)}, password '{DEMO_PASSWORD}' (demo only).")
    return "\n".join(lines)
