"""A measure's budget: the one place that moves ``Call.committed``.

Each change is a single conditional UPDATE, so the database serialises simultaneous grants:

    UPDATE calls SET committed = committed + :amount
     WHERE id = :measure AND committed + :amount <= budget

On PostgreSQL the UPDATE locks the measure's row: a second grant at the same moment waits for the
first to commit, then re-evaluates its WHERE against the new ``committed`` and either still fits
or changes nothing. SQLite has a single writer, so the second grant runs after the first one.
Either way a grant that no longer fits updates no row and is refused as a lost race (409) with
nothing written, and the CHECK ``committed <= budget`` on the table is the last line of defence.

The application's own row is always written (flushed) before the measure's row, and the value
chain's row after it, so two transactions never wait for each other's locks in opposite orders.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select, update

from tracker.calls.models import Call
from tracker.errors import Conflict
from tracker.extensions import db
from workflows.i18n import N_, Amount


def commit(call: Call, amount: Decimal) -> None:
    """Hold ``amount`` of ``call``'s budget, or raise a 409 if it no longer fits."""
    db.session.flush()  # the application's versioned UPDATE first: a fixed lock order
    result = db.session.execute(
        update(Call)
        .where(Call.id == call.id, Call.committed + amount <= Call.budget)
        .values(committed=Call.committed + amount)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(call, ["committed"])
    if result.rowcount == 1:
        return
    left = remaining(call)
    message = N_(
        "Meanwhile other grants committed the measure's budget: the remaining %(left)s is "
        "less than %(amount)s. Nothing was granted.",
        left=Amount(left),
        amount=Amount(amount),
    )
    raise Conflict(
        message,
        {
            "unmet": [{"condition": "budget_available", "message": message}],
            "remaining_budget": str(left),
        },
        code="budget_exhausted",
    )


def release(call: Call, amount: Decimal) -> None:
    """Give ``amount`` back to ``call``'s budget (a withdrawn grant)."""
    db.session.flush()
    db.session.execute(
        update(Call)
        .where(Call.id == call.id)
        .values(committed=Call.committed - amount)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(call, ["committed"])


def remaining(call: Call) -> Decimal:
    """What is left of the budget, read afresh from the database."""
    budget, committed = db.session.execute(
        select(Call.budget, Call.committed).where(Call.id == call.id)
    ).one()
    return (budget or Decimal(0)) - committed
