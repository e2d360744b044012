"""The shapes of reviews and conflict-of-interest declarations in the API (see
``tracker.api.schemas`` for the rules)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import (
    Field,
    StrictBool,
    StrictStr,
)

from tracker.api.schemas import (
    Instant,
    PatchModel,
    RequestModel,
    ResponseModel,
    attribute_of,
    choices,
)
from tracker.reviews.models import RECOMMENDATIONS

Score = Annotated[int, Field(strict=True)]


class ReviewIn(RequestModel):
    scores: dict[str, Score] = Field(
        description="Criterion key -> whole number between 0 and the criterion's max."
    )
    recommendation: StrictStr = choices(RECOMMENDATIONS)
    comment: StrictStr | None = ""


class ReviewPatch(PatchModel):
    """Only the keys sent change: ``scores`` names the criteria it changes, the others keep
    their score. Fields of the answer may be sent back unchanged."""

    scores: dict[str, Score] | None = Field(
        None, description="Criterion key -> whole number: the criteria whose score changes."
    )
    recommendation: StrictStr | None = choices(RECOMMENDATIONS, default=None)
    comment: StrictStr | None = None

    def merged(self, review: Any) -> tuple[Any, Any, Any]:
        """(scores, recommendation, comment) of the new version: the current one, with what
        was sent."""
        sent = self.fields()
        scores = sent.get("scores")
        if isinstance(scores, dict) and isinstance(review.scores, dict):
            scores = {**review.scores, **scores}
        return (
            scores if "scores" in sent else dict(review.scores),
            sent.get("recommendation", review.recommendation),
            sent.get("comment", review.comment),
        )


class ReviewRevisionOut(ResponseModel):
    """A version its author replaced, and who replaced it when."""

    revised_at: Instant
    revised_by_id: int
    scores: dict[str, int]
    total: int
    recommendation: str
    comment: str


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
    updated_at: Instant = Field(description="When this version was written (its latest change).")
    revisions: list[ReviewRevisionOut] = Field(
        description="The versions its author replaced, oldest first (empty if never revised)."
    )


class DeclarationIn(RequestModel):
    conflict: StrictBool = Field(
        description="true: the member has a conflict of interest on the application (a reason "
        "is then required, and the member may no longer act on it); false: none."
    )
    reason: StrictStr | None = Field(None, description="Why: required for a conflict.")


class DeclarationOut(ResponseModel):
    id: int
    application_id: int
    member_id: int
    member: str = Field(validation_alias=attribute_of("member", "name"))
    conflict: bool
    reason: str
    declared_at: Instant
    migrated: bool = Field(
        description="Recorded by the migration that introduced declarations, for a member who "
        "had already reviewed or acted on the application: no conflict, as their acts implied."
    )
