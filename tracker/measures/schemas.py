"""The shapes of the support-measure API (see ``tracker.api.schemas`` for the rules)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from tracker.api.schemas import Money, MoneyOrZero, ResponseModel, attribute_of, with_fields
from tracker.applications.models import Application
from tracker.calls.models import Call

MONEY = 'A decimal string in euros, e.g. "400000.00".'


class RankedOut(ResponseModel):
    rank: int | None = Field(
        description="Place among the applications reaching the threshold before the bonus; "
        "null below it."
    )
    eligible: bool = Field(description="Whether the score before the bonus reaches the threshold.")
    application_id: int = Field(validation_alias=attribute_of("id"))
    title: str
    lead_organisation: str = Field(validation_alias=attribute_of("lead_organisation", "name"))
    value_chain_id: int | None
    state: str
    base_score: Money = Field(description="The committee's average, before the bonus.")
    label_bonus_applied: MoneyOrZero = Field(
        description="The bonus added at closing (0 without label)."
    )
    score: Money = Field(description="base_score + label_bonus_applied: what the ranking sorts by.")
    requested_amount: Money | None = Field(description=MONEY)
    granted_amount: Money | None = Field(description=MONEY + " Null until granted.")


class RankingOut(ResponseModel):
    """A measure's published ranking, its budget and its waitlist."""

    call_id: int
    title: str
    budget: Money = Field(description=MONEY)
    committed: Money = Field(description=MONEY + " Held by grants (granted, in implementation, "
                             "completed); always the sum of their granted_amount.")  # fmt: skip
    remaining_budget: Money = Field(description=MONEY)
    score_threshold: Money
    label_bonus: MoneyOrZero
    items: list[RankedOut] = Field(
        description="Every application whose evaluation is closed, best total score first; "
        "those below the threshold last."
    )
    waitlist: list[int] = Field(
        description="Ids of the waitlisted applications, in ranking order (next to grant first)."
    )

    @classmethod
    def of(cls, call: Call, budget: Any, rows: list, waitlist: list) -> RankingOut:
        """``rows`` and ``waitlist``: ``tracker.measures.queries.ranking`` and ``waitlist``;
        ``budget``: ``budget_of(call)``."""
        return cls(
            call_id=call.id,
            title=call.title,
            budget=budget.total,
            committed=budget.committed,
            remaining_budget=budget.remaining,
            score_threshold=call.score_threshold,
            label_bonus=call.label_bonus,
            items=[
                RankedOut.model_validate(
                    with_fields(r.application, rank=r.rank, eligible=r.eligible)
                )
                for r in rows
            ],
            waitlist=[r.application.id for r in waitlist],
        )


class SupportItemOut(ResponseModel):
    application_id: int = Field(validation_alias=attribute_of("id"))
    call_id: int
    measure: str = Field(validation_alias=attribute_of("call", "title"))
    state: str
    requested_amount: Money | None = Field(description=MONEY)
    granted_amount: Money | None = Field(description=MONEY)
    score: Money | None


class ValueChainSupportOut(ResponseModel):
    """A value chain's phase 2: the applications made to measures on its behalf."""

    value_chain_id: int
    support_granted: MoneyOrZero = Field(
        description=MONEY + " Granted and not withdrawn, over all its applications."
    )
    items: list[SupportItemOut] = Field(
        description="The applications on its behalf that the caller may see, latest first."
    )

    @classmethod
    def of(cls, chain: Application, granted: Any, items: list[Application]) -> ValueChainSupportOut:
        return cls.model_validate(
            {"value_chain_id": chain.id, "support_granted": granted, "items": items}
        )
