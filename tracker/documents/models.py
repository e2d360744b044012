"""The documents applicants upload, kept in the database with the application they belong to: the
signed project agreement, and the annexes its call asks for (defined per call by officers)."""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.auth.models import User
from tracker.calls.models import Call
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


class AnnexType(db.Model):
    """An annex a call asks applications to carry: its name, whether submission needs it, the
    formats it may come in (keys of ``tracker.documents.formats.FORMATS``) and its largest
    size. Officers define them on the call."""

    __tablename__ = "call_annexes"
    __table_args__ = (
        UniqueConstraint("call_id", "name"),
        CheckConstraint("max_bytes > 0", name="max_bytes_positive"),
        CheckConstraint("formats <> ''", name="formats_named"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    required: Mapped[bool] = mapped_column(default=True)
    #: comma-separated format keys, e.g. "pdf,p7m"
    formats: Mapped[str] = mapped_column(String(100))
    max_bytes: Mapped[int]
    position: Mapped[int] = mapped_column(default=0)
    #: the annex stands in for one the call's act does not list in public (the demo's): pages say so
    illustrative: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    call: Mapped[Call] = relationship()

    @property
    def format_keys(self) -> list[str]:
        return [k for k in self.formats.split(",") if k]


class AnnexDocument(db.Model):
    """One upload of an annex to an application. The newest of an annex is its current file;
    replaced ones stay listed. Its bytes are loaded only when downloaded."""

    __tablename__ = "annex_documents"
    __table_args__ = (
        CheckConstraint("size > 0", name="size_positive"),
        CheckConstraint("length(sha256) = 64", name="sha256_hex"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    #: an annex type with uploads is never deleted (the call's page refuses it)
    annex_id: Mapped[int] = mapped_column(ForeignKey("call_annexes.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    #: the format its bytes were recognised as (a key of FORMATS) and its type
    format: Mapped[str] = mapped_column(String(10))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    annex: Mapped[AnnexType] = relationship()  # the lists read annex_id only
    uploaded_by: Mapped[User | None] = relationship(lazy="joined")
