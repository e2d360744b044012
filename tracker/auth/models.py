from __future__ import annotations

import hashlib
from functools import cached_property

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from tracker.extensions import db
from tracker.organisations.models import Organisation
from tracker.types import UTCDateTime, utcnow
from workflows.i18n import N_

ROLES = {
    "admin": N_("Administrator"),
    "officer": N_("Region officer"),
    "reviewer": N_("Committee member"),
    "applicant": N_("Applicant"),
    "coordinator": N_("Community coordinator"),
    "board": N_("AFIL board member"),
}


class UserRole(db.Model):
    __tablename__ = "user_roles"
    __table_args__ = (
        UniqueConstraint("user_id", "role"),
        CheckConstraint(f"role IN ({', '.join(repr(r) for r in ROLES)})", name="role_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    #: the language the user chose ('it' or 'en'); None follows the browser
    language: Mapped[str | None] = mapped_column(String(5))

    organisation: Mapped[Organisation | None] = relationship(foreign_keys=[organisation_id])
    role_rows: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    @property
    def roles(self) -> list[str]:
        return sorted(r.role for r in self.role_rows)

    def has_role(self, *roles: str) -> bool:
        return any(r.role in roles for r in self.role_rows)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    @cached_property
    def committee_call_ids(self) -> frozenset[int]:
        """The calls on whose evaluation committee this user sits (loaded once per request)."""
        from tracker.calls.models import CommitteeMember

        rows = db.session.scalars(
            select(CommitteeMember.call_id).where(CommitteeMember.user_id == self.id)
        )
        return frozenset(rows)


class ApiToken(db.Model):
    """A bearer token: only its SHA-256 is stored, so a leaked database leaks no token."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    last_used_at = mapped_column(UTCDateTime)
    revoked_at = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


class LoginThrottle(db.Model):
    """Failed logins counted per key (an account, a client address, a trusted device), in the
    database every worker and every instance shares (``tracker.auth.throttle``). Times are Unix
    seconds, so that one portable UPDATE can compute the next delay."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    #: no attempt on this key is let through before this time
    next_allowed: Mapped[float] = mapped_column(default=0.0)
    #: the last attempt; failures older than the forgetting time start again from zero
    updated: Mapped[float] = mapped_column(default=0.0)
