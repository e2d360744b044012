from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.columns import UTCDateTime, utcnow
from tracker.extensions import db

if TYPE_CHECKING:
    from tracker.applications.models import Application


class QualityLabel(db.Model):
    """The Region's recognition of a value chain, granted by decree; revocable with a reason."""

    __tablename__ = "quality_labels"
    __table_args__ = (
        CheckConstraint("length(decree_number) > 0", name="decree_number_given"),
        CheckConstraint(
            "revoked_at IS NULL OR length(revocation_reason) > 0", name="revocation_has_reason"
        ),
        # the registry's order: valid labels by decree, then revoked ones (0006_lists)
        Index("ix_quality_labels_registry", "revoked_at", "decree_date", "code"),
        # the valid labels alone, for PostgreSQL (0026_indexes): it does not read the index
        # above in decree order under ``revoked_at IS NULL`` (not an equality to its planner),
        # so it sorted every valid label for each page of the registry
        Index(
            "ix_quality_labels_valid",
            "decree_date",
            "code",
            sqlite_where=text("revoked_at IS NULL"),
            postgresql_where=text("revoked_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), unique=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    decree_number: Mapped[str] = mapped_column(String(100))
    decree_date: Mapped[dt.date]
    #: the decree's number and date stand in for ones the public record does not give (the
    #: demo's invented value chains): pages, the API and the downloads say so
    decree_illustrative: Mapped[bool] = mapped_column(default=False, server_default=false())
    granted_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoked_at = mapped_column(UTCDateTime)
    revocation_reason: Mapped[str | None] = mapped_column(Text)

    application: Mapped[Application] = relationship(back_populates="label")

    @property
    def valid(self) -> bool:
        return self.revoked_at is None

    @staticmethod
    def code_for(application_id: int, decree_date: dt.date) -> str:
        """Unique because an application holds at most one label."""
        return f"FIL-{decree_date.year}-{application_id:04d}"
