"""The outbox (one row per email to one person) and the kinds of email each person turned off."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.auth.models import User
from tracker.columns import UTCDateTime, utcnow
from tracker.extensions import db

#: queued: waiting for its first or its next attempt; sent: the SMTP server took it;
#: failed: given up (a permanent refusal, or too many attempts), kept for inspection
STATUSES = ("queued", "sent", "failed")


class OutboxEmail(db.Model):
    """One email to one person, written with the change it tells about and sent later.

    Subject and body are rendered when it is queued, in the recipient's language, so what is
    sent is what the change looked like at that moment, whatever happens afterwards.
    """

    __tablename__ = "mail_outbox"
    __table_args__ = (
        CheckConstraint(f"status IN ({', '.join(repr(s) for s in STATUSES)})", name="status_known"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        CheckConstraint("status <> 'sent' OR sent_at IS NOT NULL", name="sent_has_time"),
        # what a sender looks for: the queued rows whose time has come
        Index("ix_mail_outbox_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: the address at the moment it was queued
    address: Mapped[str] = mapped_column(String(254))
    kind: Mapped[str] = mapped_column(String(50))
    language: Mapped[str] = mapped_column(String(5))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    #: the page of what it is about (absolute, from TRACKER_BASE_URL)
    link: Mapped[str] = mapped_column(String(500))
    #: what it is about: ("application" | "proposal" | "call", id)
    object_type: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[int]
    #: fixed when queued, so that a resent email (a sender that died after sending) has the same
    #: Message-ID and mail clients show it once
    message_id: Mapped[str] = mapped_column(String(250), unique=True)
    status: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    #: when a sender may take it: now when queued, later after a failure (backoff) or while a
    #: sender holds it (its claim)
    next_attempt_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    sent_at = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class MailOptOut(db.Model):
    """A kind of email a person chose not to get. Every kind is on until turned off."""

    __tablename__ = "mail_opt_outs"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(50))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
