from __future__ import annotations

import hashlib
from functools import cached_property

from flask_login import UserMixin
from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from tracker.columns import UTCDateTime, utcnow
from tracker.extensions import db
from tracker.organisations.models import Organisation
from workflows.i18n import N_

ROLES = {
    "admin": N_("Administrator"),
    "officer": N_("Region officer"),
    "reviewer": N_("Committee member"),
    "applicant": N_("Applicant"),
    "coordinator": N_("Community coordinator"),
    "board": N_("AFIL board member"),
}


#: (table, column) recording when a session or a token was last used: bookkeeping that any
#: request does, refused ones included, not a change the request made (the tests that check
#: that a refusal changes nothing leave them out)
USE_BOOKKEEPING = frozenset({("user_sessions", "last_seen_at"), ("api_tokens", "last_used_at")})


class UserRole(db.Model):
    __tablename__ = "user_roles"
    __table_args__ = (
        UniqueConstraint("user_id", "role"),
        CheckConstraint(f"role IN ({', '.join(repr(r) for r in ROLES)})", name="role_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))


def signed_in(user) -> User | None:
    """``user`` when it is a signed-in person: None for None and for Flask-Login's anonymous
    user (what the access predicates and panels are given outside a login)."""
    return user if user is not None and getattr(user, "is_authenticated", False) else None


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

    @property
    def applicant_organisation_id(self) -> int | None:
        """The organisation this person acts for as an applicant, or None."""
        return self.organisation_id if self.has_role("applicant") else None

    def has_role(self, *roles: str) -> bool:
        return any(r.role in roles for r in self.role_rows)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    @property
    def sees_email_addresses(self) -> bool:
        """Officers, committee members and administrators read people's e-mail addresses in
        histories and lists; everyone else reads names only (the GDPR's data minimisation)."""
        return self.has_role("officer", "reviewer", "admin")

    #: the browser session this request runs in (its secret, as the signed cookie carries it),
    #: set by ``tracker.auth.sessions``; Flask-Login stores ``get_id()`` in the cookie
    session_token = None

    def get_id(self) -> str | None:
        """What Flask-Login keeps in the session cookie (and a remember-me cookie): the secret of
        a row of ``user_sessions``, not the user's id, so that ending the row ends the cookie."""
        return self.session_token

    # UserMixin compares people by get_id(): compare them by their id, as before
    __hash__ = object.__hash__

    def __eq__(self, other: object) -> bool:
        if isinstance(other, User):
            return self is other or (self.id is not None and self.id == other.id)
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

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
    #: after this the token answers 401 (``API_TOKEN_DAYS`` after it was issued by default)
    expires_at = mapped_column(UTCDateTime, nullable=False)
    revoked_at = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    def valid_at(self, moment) -> bool:
        return self.revoked_at is None and self.expires_at > moment

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


class UserSession(db.Model):
    """A browser session: the signed session cookie names it by a secret whose SHA-256 is kept
    here. Deleting the row ends the session for good, even for a copy of the cookie."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    last_seen_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    user_agent: Mapped[str | None] = mapped_column(String(200))


class AccountEvent(db.Model):
    """The audit log of people's accounts: who changed whose account, when, and what."""

    __tablename__ = "account_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    #: who did it (None: the command line, or the person through an e-mailed link)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: whose account it is about
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    details: Mapped[dict] = mapped_column(JSON, default=dict)

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])


def person_of(table, last_use, token_hash: str, *conditions):
    """The row of ``table`` (a browser session or an API token) whose ``token_hash`` it is and
    that meets ``conditions``, as (its person with their roles, its id, its ``last_use``
    column), or None: one statement, where the row, the person and the roles were three.

    The person is also named by a scalar subquery of the hash (uncorrelated: run once, first),
    so that PostgreSQL looks them up by key whatever its statistics say. Otherwise, for a person
    whose row is newer than the table's statistics (a first login or token, before autovacuum
    analyses the table), it merge-joined the row with every person in id order, on each of
    that person's requests (README, "How the requests stay flat")."""
    user_id = (
        select(table.c.user_id)
        .where(table.c.token_hash == token_hash)
        .correlate(None)
        .scalar_subquery()
    )
    return (
        db.session.execute(
            select(User, table.c.id, last_use.label("last_use"))
            .join(table, table.c.user_id == User.id)
            .where(table.c.token_hash == token_hash, User.id == user_id, *conditions)
            .options(joinedload(User.role_rows))
        )
        .unique()
        .first()
    )
