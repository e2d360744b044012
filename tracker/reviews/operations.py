"""Reviews and conflict-of-interest declarations: what a committee member writes about an
application. The pages and the API both call these; they flush, never commit.

- A member declares once, before acting on the application: no conflict, or a conflict with
  its reason (which then binds like a partner's: ``Application.has_conflict``).
- A member reviews once, then may revise their review until the evaluation closes; each version
  replaced is kept (``ReviewRevision``), and the score computed at closing reads the latest.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tracker.applications.models import Application
from tracker.auth.models import User
from tracker.columns import utcnow
from tracker.database import flush
from tracker.effects import effect
from tracker.errors import Conflict, Forbidden, NotFound, ValidationFailed, from_workflow
from tracker.reviews.models import RECOMMENDATIONS, ConflictDeclaration, Review, ReviewRevision
from tracker.validation import Problems
from workflows import ConditionsUnmet
from workflows.conditions import conflict_not_declared
from workflows.i18n import N_, term
from workflows.model import Context

#: the longest reason or comment accepted
MAX_TEXT = 10000


# --- declarations -----------------------------------------------------------------------------


def declare_conflict(
    user: User, app: Application, conflict: Any, reason: Any = "", *, at: dt.datetime | None = None
) -> ConflictDeclaration:
    """``user``'s declaration about their own conflict of interest on ``app``, once: 403 for
    anyone but a member of the call's committee (officers acting as officers do not declare; a
    partner's staff have their conflict already), 409 once made, 422 for a conflict without
    its reason. ``at`` backdates it (the demo replaying the past)."""
    if not app.on_committee(user):
        raise Forbidden(
            N_("Only members of this call's evaluation committee declare about a conflict of "
               "interest on its applications."),
            code="not_allowed",
        )  # fmt: skip
    if app.partner_conflict(user):
        raise Forbidden(
            N_("Your organisation is a partner of this application: your conflict of interest "
               "is known, there is nothing to declare."),
            code="partner_conflict",
        )  # fmt: skip
    made = app.declaration_of(user)
    if made is not None:
        raise Conflict(
            N_("You have already declared about a conflict of interest on this application, on "
               "%(when)s.", when=made.declared_at.date().isoformat()),
            code="already_declared",
        )  # fmt: skip
    p = Problems()
    if not isinstance(conflict, bool):
        p["conflict"] = N_("Say whether you have a conflict of interest: true or false.")
    reason = p.text("reason", reason, N_("Reason"), max_len=MAX_TEXT, required=conflict is True)
    p.raise_if_any()
    declaration = ConflictDeclaration(
        member_id=user.id,
        conflict=conflict,
        reason=reason if conflict else "",
        declared_at=at or utcnow(),
    )
    app.declarations.append(declaration)
    flush()
    return declaration


def _require_declared(user: User, app: Application) -> None:
    """422 ``conflict_not_declared`` (the workflow condition, asked as a committee member)."""
    ctx = Context(roles=frozenset({"reviewer"}), now=utcnow(), actor=user)
    unmet = conflict_not_declared.evaluate(app, ctx)
    if unmet is not None:
        raise from_workflow(ConditionsUnmet([unmet]))


# --- reviews ------------------------------------------------------------------------------------


def _clean(app: Application, scores: Any, recommendation: Any, comment: Any):
    """The scores (each within its criterion's range), recommendation and comment; 422 naming
    every field in error at once."""
    p = Problems()
    if not isinstance(scores, dict):
        raise ValidationFailed.fields(
            {"scores": N_("scores is an object of criterion key -> whole number.")}
        )
    clean: dict[str, int] = {}
    for criterion in app.criteria:
        if criterion.key not in scores:
            p[f"scores.{criterion.key}"] = N_(
                "%(criterion)s: a score is required.", criterion=term(criterion.label)
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
    known = {c.key for c in app.criteria}
    for key in scores:
        if key not in known:
            p[f"scores.{key}"] = N_("'%(key)s' is not a criterion of this call.", key=key)
    recommendation = p.choice(
        "recommendation", recommendation, N_("Recommendation"), RECOMMENDATIONS
    )
    comment = p.text("comment", comment, N_("Comment"), max_len=MAX_TEXT, required=False)
    p.raise_if_any()
    return clean, recommendation, comment


def submit_review(
    user: User, app: Application, scores: Any, recommendation: Any, comment: Any = ""
) -> Review:
    """A committee member's scores, once, each within its criterion's range, after their
    declaration about a conflict of interest (422 ``conflict_not_declared`` before)."""
    refusal = app.review_refusal(user)
    if refusal:
        already = any(r.reviewer_id == user.id for r in app.reviews)
        not_now = not app.state_info.reviewable
        member = app.on_committee(user) and not app.has_conflict(user)
        if already or (not_now and member):
            raise Conflict(refusal, code="already_reviewed" if already else "not_reviewable")
        if member and app.declaration_awaited(user):
            _require_declared(user, app)
        raise Forbidden(refusal, code="not_allowed")
    clean, recommendation, comment = _clean(app, scores, recommendation, comment)
    now = utcnow()
    review = Review(
        reviewer_id=user.id,
        scores=clean,
        total=sum(clean.values()),
        recommendation=recommendation,
        comment=comment,
        submitted_at=now,
        updated_at=now,
    )
    app.reviews.append(review)
    flush()
    return review


def get_review(app: Application, review_id: int) -> Review:
    review = next((r for r in app.reviews if r.id == review_id), None)
    if review is None:
        raise NotFound(N_("No review %(id)s on application %(app)s.", id=review_id, app=app.id))
    return review


def revision_refusal(user: User, app: Application, review: Review) -> Forbidden | Conflict | None:
    """Why ``user`` may not revise ``review`` now (403: not its author, or now in conflict;
    409: the evaluation is closed or not under way), or None."""
    if review.reviewer_id != getattr(user, "id", None):
        return Forbidden(N_("Only its author may change a review."), code="not_allowed")
    if app.has_conflict(user) or not app.on_committee(user):
        return Forbidden(
            N_("You may no longer act on this application's evaluation."), code="not_allowed"
        )
    if app.evaluation_closed:
        return Conflict(
            N_("The evaluation is closed: its reviews can no longer be changed."),
            code="evaluation_closed",
        )
    if not app.state_info.reviewable:
        return Conflict(
            N_(
                "Reviews are changed while the application is under evaluation, not '%(state)s'.",
                state=term(app.state_info.title),
            ),
            code="not_reviewable",
        )
    return None


def revise_review(
    user: User,
    app: Application,
    review: Review,
    scores: Any,
    recommendation: Any,
    comment: Any = "",
) -> Review:
    """The author's new version of ``review``, until the evaluation closes; the version it
    replaces is kept as a ``ReviewRevision`` (who replaced it, when). A version identical to the
    current one records nothing."""
    if refused := revision_refusal(user, app, review):
        raise refused
    clean, recommendation, comment = _clean(app, scores, recommendation, comment)
    if (clean, recommendation, comment) == (review.scores, review.recommendation, review.comment):
        return review
    now = utcnow()
    review.revisions.append(
        ReviewRevision(
            revised_at=now,
            revised_by_id=user.id,
            scores=dict(review.scores),
            total=review.total,
            recommendation=review.recommendation,
            comment=review.comment,
        )
    )
    review.scores = clean
    review.total = sum(clean.values())
    review.recommendation = recommendation
    review.comment = comment
    review.updated_at = now
    flush()
    return review


def versions_of(review: Review) -> list[dict[str, Any]]:
    """The review's versions, oldest first, each with when it was written, by whom, and which
    of its parts changed from the version before: what its history shows."""
    written = [review.submitted_at] + [r.revised_at for r in review.revisions]
    authors = [review.reviewer] + [r.revised_by for r in review.revisions]
    bodies = [*review.revisions, review]
    out: list[dict[str, Any]] = []
    for i, body in enumerate(bodies):
        before = bodies[i - 1] if i else None
        changed = []
        if before is not None:
            keys = sorted(set(before.scores) | set(body.scores))
            changed = [f"scores.{k}" for k in keys if before.scores.get(k) != body.scores.get(k)]
            changed += [
                name
                for name in ("recommendation", "comment")
                if getattr(before, name) != getattr(body, name)
            ]
        out.append(
            {
                "at": written[i],
                "by": authors[i],
                "scores": body.scores,
                "total": body.total,
                "recommendation": body.recommendation,
                "comment": body.comment,
                "changed": changed,
                "current": body is review,
            }
        )
    return out


@effect("compute_score")
def compute_score(app: Application, firing, actor) -> None:
    """Closing the evaluation fixes the score: the mean of the committee's totals, each the
    latest version of its review."""
    app.score = app.average_score
