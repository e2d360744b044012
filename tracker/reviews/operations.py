from __future__ import annotations

from typing import Any

from tracker.applications.models import Application
from tracker.auth.models import User
from tracker.database import flush
from tracker.effects import effect
from tracker.errors import Conflict, Forbidden, ValidationFailed
from tracker.reviews.models import RECOMMENDATIONS, Review
from tracker.validation import Problems
from workflows.i18n import N_


def submit_review(
    user: User, app: Application, scores: Any, recommendation: Any, comment: Any = ""
) -> Review:
    """A committee member's scores, once, each within its criterion's range."""
    refusal = app.review_refusal(user)
    if refusal:
        already = any(r.reviewer_id == user.id for r in app.reviews)
        not_now = not app.state_info.reviewable
        if already or (
            not_now and app.call_id in user.committee_call_ids and not app.has_conflict(user)
        ):
            raise Conflict(refusal, code="already_reviewed" if already else "not_reviewable")
        raise Forbidden(refusal, code="not_allowed")
    p = Problems()
    if not isinstance(scores, dict):
        raise ValidationFailed.fields(
            {"scores": N_("scores is an object of criterion key -> whole number.")}
        )
    clean: dict[str, int] = {}
    for criterion in app.call.criteria:
        if criterion.key not in scores:
            p[f"scores.{criterion.key}"] = N_(
                "%(criterion)s: a score is required.", criterion=criterion.label
            )
            continue
        value = p.integer(
            f"scores.{criterion.key}",
            scores[criterion.key],
            criterion.label,
            minimum=0,
            maximum=criterion.max_score,
        )
        if value is not None:
            clean[criterion.key] = value
    known = {c.key for c in app.call.criteria}
    for key in scores:
        if key not in known:
            p[f"scores.{key}"] = N_("'%(key)s' is not a criterion of this call.", key=key)
    recommendation = p.choice("recommendation", recommendation, "Recommendation", RECOMMENDATIONS)
    comment = p.text("comment", comment, "Comment", max_len=10000, required=False)
    p.raise_if_any()
    review = Review(
        reviewer_id=user.id,
        scores=clean,
        total=sum(clean.values()),
        recommendation=recommendation,
        comment=comment,
    )
    app.reviews.append(review)
    flush()
    return review


@effect("compute_score")
def compute_score(app: Application, firing, actor) -> None:
    """Closing the evaluation fixes the score: the mean of the committee's totals."""
    app.score = app.average_score
