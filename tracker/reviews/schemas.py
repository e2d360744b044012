"""The shapes of a review in the API (see ``tracker.api.schemas`` for the rules)."""

from __future__ import annotations

from typing import Annotated

from pydantic import (
    Field,
    StrictStr,
)

from tracker.api.schemas import (
    Instant,
    RequestModel,
    ResponseModel,
    attribute_of,
    choices,
)
from tracker.reviews.models import RECOMMENDATIONS


class ReviewIn(RequestModel):
    scores: dict[str, Annotated[int, Field(strict=True)]] = Field(
        description="Criterion key -> whole number between 0 and the criterion's max."
    )
    recommendation: StrictStr = choices(RECOMMENDATIONS)
    comment: StrictStr | None = ""


class ReviewOut(ResponseModel):
    id: int
    application_id: int
    reviewer_id: int
    reviewer: str = Field(validation_alias=attribute_of("reviewer", "name"))
    scores: dict[str, int]
    total: int
    recommendation: str
    comment: str
    submitted_at: Instant
