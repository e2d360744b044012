"""A notice: one email's news, for its reader, in the app."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from tracker.columns import UTCDateTime, utcnow
from tracker.extensions import db

#: the unread notices of a person, what the header counts on every page
_UNREAD = text("read_at IS NULL")


class Notice(db.Model):
    """What an email told one person, kept in the app until they read it (and after).

    Subject and text are written when the email is queued, in the reader's language, like the
    email: a notice says what the change looked like then."""

    __tablename__ = "notices"
    __table_args__ = (
        # the list, newest first
        Index("ix_notices_user_created", "user_id", "created_at"),
        # the header's count and the "unread" filter: only the unread rows are in it
        Index("ix_notices_unread", "user_id", postgresql_where=_UNREAD, sqlite_where=_UNREAD),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    #: the kind of email it comes with (``tracker.mail.kinds.KINDS``)
    kind: Mapped[str] = mapped_column(String(50))
    language: Mapped[str] = mapped_column(String(5))
    subject: Mapped[str] = mapped_column(String(300))
    #: what happened, the email's own words without greeting and links
    text: Mapped[str] = mapped_column(Text)
    #: the page of what it is about, a path on this site (the email's link, without the host)
    path: Mapped[str] = mapped_column(String(500))
    #: what it is about: ("application" | "proposal" | "change" | "call", id), as the email's
    object_type: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[int]
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    read_at = mapped_column(UTCDateTime)

    @property
    def unread(self) -> bool:
        return self.read_at is None
