from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.auth.models import User
from tracker.columns import UTCDateTime, utcnow
from tracker.extensions import db
from workflows.i18n import N_

if TYPE_CHECKING:
    from tracker.applications.models import Application

RECOMMENDATIONS = {"favourable": N_("Favourable"), "unfavourable": N_("Unfavourable")}


class Review(db.Model):
    """A committee member's scores on the call's criteria: one per member and application.

    Its author may revise it until the evaluation closes: the row holds the latest version (the
    one the score is computed from), each version it replaced is a ``ReviewRevision``."""

    __tablename__ = "reviews"
    __table_args__ = (
        UniqueConstraint("application_id", "reviewer_id"),
        CheckConstraint("total >= 0", name="total_not_negative"),
        CheckConstraint(
            f"recommendation IN ({', '.join(repr(r) for r in RECOMMENDATIONS)})",
            name="recommendation_known",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    scores: Mapped[dict] = mapped_column(db.JSON)
    total: Mapped[int]
    recommendation: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")
    submitted_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    #: when this version was written: ``submitted_at`` until its author revises it
    updated_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    application: Mapped[Application] = relationship(back_populates="reviews")
    reviewer: Mapped[User] = relationship()
    revisions: Mapped[list[ReviewRevision]] = relationship(
        back_populates="review", order_by="ReviewRevision.id", cascade="all, delete-orphan"
    )

    @property
    def revised(self) -> bool:
        return bool(self.revisions)


class ReviewRevision(db.Model):
    """A version of a review that its author replaced: what it said, and who replaced it when.

    The review's first version was written at ``Review.submitted_at``; revision n holds the
    version that stood until ``revised_at``."""

    __tablename__ = "review_revisions"
    __table_args__ = (CheckConstraint("total >= 0", name="total_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    revised_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    revised_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: the replaced version
    scores: Mapped[dict] = mapped_column(db.JSON)
    total: Mapped[int]
    recommendation: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")

    review: Mapped[Review] = relationship(back_populates="revisions")
    revised_by: Mapped[User] = relationship()


class ConflictDeclaration(db.Model):
    """A committee member's declaration about their own conflict of interest on one application:
    none, or one with its reason (which then binds like a partner's). Made once, before the
    member acts on the application."""

    __tablename__ = "conflict_declarations"
    __table_args__ = (
        UniqueConstraint("application_id", "member_id"),
        CheckConstraint("NOT conflict OR length(reason) > 0", name="conflict_has_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    conflict: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(Text, default="")
    declared_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    #: recorded by migration 0011 for a member who had already reviewed or acted on the
    #: application before declarations were asked: "no conflict", as their acts implied
    migrated: Mapped[bool] = mapped_column(Boolean, default=False)

    application: Mapped[Application] = relationship(back_populates="declarations")
    member: Mapped[User] = relationship()
