"""Reading measures: the ranking and the waitlist, the budget, and a value chain's phase 2.

Each read costs a fixed number of queries, whatever the number of applications.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import joinedload

from tracker.applications.models import Application
from tracker.calls.models import Call
from tracker.extensions import db
from workflows import APPLICATION_WORKFLOWS, states_where

ZERO = Decimal(0)
#: by measure workflow, the states in which an application holds part of its measure's budget
BUDGET_STATES = states_where(APPLICATION_WORKFLOWS, holds_budget=True)


def holds_budget() -> ColumnElement[bool]:
    """Applications holding part of their measure's budget, whatever the measure's kind."""
    return or_(
        *(
            and_(Application.workflow == name, Application.state.in_(states))
            for name, states in BUDGET_STATES.items()
        )
    )


@dataclass(frozen=True)
class Ranked:
    """One scored application in the measure's ranking."""

    application: Application
    #: its place among the applications reaching the threshold before the bonus; None below it
    rank: int | None

    @property
    def eligible(self) -> bool:
        return self.rank is not None


@dataclass(frozen=True)
class Budget:
    total: Decimal
    committed: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.total - self.committed

    @property
    def percent_committed(self) -> int:
        """Rounded down, so a bar never shows 100% while something is left."""
        if self.total <= 0:
            return 0
        return int(self.committed * 100 / self.total)


def budget_of(call: Call) -> Budget | None:
    if call.budget is None:
        return None
    return Budget(call.budget, call.committed or ZERO)


def ranking(call: Call) -> list[Ranked]:
    """The applications whose evaluation is closed, best first: total score (with the bonus),
    then the score before the bonus, then the earlier submission. Those below the threshold
    (before the bonus) come last, unranked."""
    apps = db.session.scalars(
        select(Application)
        .where(Application.call_id == call.id, Application.base_score.is_not(None))
        .options(joinedload(Application.lead_organisation), joinedload(Application.value_chain))
        .order_by(
            Application.score.desc(),
            Application.base_score.desc(),
            Application.submitted_at,
            Application.id,
        )
    ).all()
    above = [a for a in apps if a.base_score >= call.score_threshold]
    below = [a for a in apps if a.base_score < call.score_threshold]
    return [Ranked(a, i) for i, a in enumerate(above, start=1)] + [Ranked(a, None) for a in below]


def waitlist(rows: list[Ranked]) -> list[Ranked]:
    """The waitlisted applications, in ranking order: the first is granted when budget frees up."""
    return [r for r in rows if r.application.state == "waitlisted"]


def support_applications_of(chain_id: int) -> list[Application]:
    """The applications made to measures on behalf of a value chain, latest first."""
    return list(
        db.session.scalars(
            select(Application)
            .where(Application.value_chain_id == chain_id)
            .options(joinedload(Application.call), joinedload(Application.lead_organisation))
            .order_by(Application.created_at.desc(), Application.id.desc())
        ).all()
    )


def support_received(chain_ids: list[int]) -> dict[int, Decimal]:
    """The total granted (and not withdrawn) to each of these value chains, in one query."""
    if not chain_ids:
        return {}
    rows = db.session.execute(
        select(Application.value_chain_id, func.sum(Application.granted_amount))
        .where(Application.value_chain_id.in_(chain_ids), holds_budget())
        .group_by(Application.value_chain_id)
    ).all()
    return {chain_id: total or ZERO for chain_id, total in rows}


def granted_total(apps: list[Application]) -> Decimal:
    return sum(
        (a.granted_amount for a in apps if a.state_info.holds_budget and a.granted_amount),
        ZERO,
    )
