"""The shapes of the support-measure API (see ``tracker.api.schemas`` for the rules)."""

from __future__ import annotations

from pydantic import Field

from tracker.api.schemas import ResponseModel

MONEY = 'A decimal string in euros, e.g. "400000.00".'


class RankedOut(ResponseModel):
    rank: int | None = Field(
        description="Place among the applications reaching the threshold before the bonus; "
        "null below it."
    )
    eligible: bool = Field(description="Whether the score before the bonus reaches the threshold.")
    application_id: int
    title: str
    lead_organisation: str
    value_chain_id: int | None
    state: str
    base_score: str = Field(description="The committee's average, before the bonus.")
    label_bonus_applied: str = Field(description="The bonus added at closing (0 without label).")
    score: str = Field(description="base_score + label_bonus_applied: what the ranking sorts by.")
    requested_amount: str | None = Field(description=MONEY)
    granted_amount: str | None = Field(description=MONEY + " Null until granted.")


class RankingOut(ResponseModel):
    """A measure's published ranking, its budget and its waitlist."""

    call_id: int
    title: str
    budget: str = Field(description=MONEY)
    committed: str = Field(description=MONEY + " Held by grants (granted, in implementation, "
                           "completed); always the sum of their granted_amount.")  # fmt: skip
    remaining_budget: str = Field(description=MONEY)
    score_threshold: str
    label_bonus: str
    items: list[RankedOut] = Field(
        description="Every application whose evaluation is closed, best total score first; "
        "those below the threshold last."
    )
    waitlist: list[int] = Field(
        description="Ids of the waitlisted applications, in ranking order (next to grant first)."
    )


class SupportItemOut(ResponseModel):
    application_id: int
    call_id: int
    measure: str
    state: str
    requested_amount: str | None = Field(description=MONEY)
    granted_amount: str | None = Field(description=MONEY)
    score: str | None


class ValueChainSupportOut(ResponseModel):
    """A value chain's phase 2: the applications made to measures on its behalf."""

    value_chain_id: int
    support_granted: str = Field(
        description=MONEY + " Granted and not withdrawn, over all its applications."
    )
    items: list[SupportItemOut] = Field(
        description="The applications on its behalf that the caller may see, latest first."
    )
