"""An integration request with its reply and documents, and the concept note kept at each
submission: what the committee asked, what the applicants answered, and what changed."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.applications.models import Application
from tracker.auth.models import User
from tracker.columns import UTCDateTime, utcnow
from tracker.extensions import db
from workflows.conditions import local_date


class IntegrationRequest(db.Model):
    """The committee's question (the comment of ``request_integration``) with its date to reply
    by, and the lead partner's reply. Open until the application leaves the state: answered by
    ``resubmit``, or closed by ``declare_inadmissible`` or ``withdraw`` (``closed_by``)."""

    __tablename__ = "integration_requests"
    __table_args__ = (
        UniqueConstraint("application_id", "number"),
        CheckConstraint("number >= 1", name="number_positive"),
        CheckConstraint(
            "(closed_at IS NULL) = (closed_by IS NULL)", name="closed_with_its_trigger"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    #: the first, second... request made on this application
    number: Mapped[int]
    question: Mapped[str] = mapped_column(Text)
    requested_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reply_by: Mapped[dt.date]
    #: the lead partner's reply, saved before resubmitting (or the resubmission's comment)
    reply: Mapped[str] = mapped_column(Text, default="")
    replied_at = mapped_column(UTCDateTime)
    replied_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_at = mapped_column(UTCDateTime)
    #: the trigger that closed it: resubmit (answered), declare_inadmissible, withdraw
    closed_by: Mapped[str | None] = mapped_column(String(50))

    application: Mapped[Application] = relationship(back_populates="integration_requests")
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    documents: Mapped[list[IntegrationDocument]] = relationship(
        back_populates="request", order_by="IntegrationDocument.id", cascade="all, delete-orphan"
    )

    @property
    def pending(self) -> bool:
        return self.closed_at is None

    @property
    def answered(self) -> bool:
        return self.closed_by == "resubmit"

    def days_left(self, today: dt.date | None = None) -> int:
        """Days until the reply date (0 on the day itself, negative once past)."""
        return (self.reply_by - (today or local_date(utcnow()))).days

    @property
    def overdue(self) -> bool:
        """Still unanswered after its reply date."""
        return self.pending and self.days_left() < 0


class IntegrationDocument(db.Model):
    """A document attached to the reply (a PDF, judged as the signed agreement is). The file
    lives in the database, its bytes loaded only when downloaded."""

    __tablename__ = "integration_documents"
    __table_args__ = (
        CheckConstraint("size > 0", name="size_positive"),
        CheckConstraint("length(sha256) = 64", name="sha256_hex"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("integration_requests.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100), default="application/pdf")
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    request: Mapped[IntegrationRequest] = relationship(back_populates="documents")
    uploaded_by: Mapped[User | None] = relationship(lazy="joined")


class ConceptNoteVersion(db.Model):
    """What the application said when it was handed to the evaluators: one row per submission
    (``round`` 1 the first, 2 the resubmission after the first integration...)."""

    __tablename__ = "concept_note_versions"
    __table_args__ = (
        UniqueConstraint("application_id", "round"),
        CheckConstraint("round >= 1", name="round_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    round: Mapped[int]
    trigger: Mapped[str] = mapped_column(String(50))
    taken_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    taken_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    title: Mapped[str] = mapped_column(String(300))
    thematic_area: Mapped[str | None] = mapped_column(String(50))
    s3_ecosystem: Mapped[str | None] = mapped_column(String(50))
    #: the concept note's parts by key (``workflows.model.CONTENT_KEYS``)
    content: Mapped[dict] = mapped_column(JSON, default=dict)

    taken_by: Mapped[User | None] = relationship()
