from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.auth.models import User
from tracker.columns import UTCDateTime, utcnow
from tracker.extensions import db
from workflows.i18n import N_

if TYPE_CHECKING:
    from tracker.applications.models import Application

RECOMMENDATIONS = {"favourable": N_("Favourable"), "unfavourable": N_("Unfavourable")}


class Review(db.Model):
    """A committee member's scores on the call's criteria: one per member and application."""

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

    application: Mapped[Application] = relationship(back_populates="reviews")
    reviewer: Mapped[User] = relationship()
