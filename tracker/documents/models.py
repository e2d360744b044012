"""The signed project agreements, kept in the database with the application they belong to."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.auth.models import User
from tracker.columns import UTCDateTime, utcnow
from tracker.extensions import db


class AgreementDocument(db.Model):
    """One upload of an application's signed project agreement. The newest is the current one;
    replaced ones stay listed, so what was uploaded when is never lost.

    The file lives in the database (one transaction with its record, one backup, the same on
    SQLite and PostgreSQL); its bytes are loaded only when downloaded.
    """

    __tablename__ = "agreement_documents"
    __table_args__ = (
        CheckConstraint("size > 0", name="size_positive"),
        CheckConstraint("length(sha256) = 64", name="sha256_hex"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100), default="application/pdf")
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    uploaded_by: Mapped[User | None] = relationship(lazy="joined")
