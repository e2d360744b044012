"""People's accounts: creating them, their passwords and API tokens, what an administrator
changes (roles, organisation, deactivation), each change written to the account audit log.

Operations flush, never commit. Sessions are ``tracker.auth.sessions``; the password policy and
the e-mailed links ``tracker.auth.passwords``.
"""

from __future__ import annotations

import datetime as dt
import functools
import secrets
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy import select, update
from werkzeug.security import check_password_hash, generate_password_hash

from tracker.auth import passwords, sessions
from tracker.auth.models import ROLES, AccountEvent, ApiToken, User, UserRole, person_of
from tracker.columns import utcnow
from tracker.database import commit, flush
from tracker.errors import Conflict, Forbidden, NotFound, ValidationFailed
from tracker.extensions import db
from tracker.organisations.models import Organisation
from tracker.organisations.vat import normalise_vat
from workflows.i18n import N_


def normalise_email(raw: str) -> str:
    try:
        return validate_email(raw.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as err:
        raise ValidationFailed.fields({"email": str(err)}) from err


def create_user(
    email: str,
    roles: list[str],
    *,
    name: str | None = None,
    password: str | None = None,
    organisation_vat: str | None = None,
    organisation: Organisation | None = None,
) -> User:
    email = normalise_email(email)
    unknown = sorted(set(roles) - ROLES.keys())
    if unknown or not roles:
        raise ValidationFailed.fields(
            {"roles": N_("Roles must be among: %(roles)s.", roles=", ".join(ROLES))}
        )
    if organisation is None and organisation_vat:
        vat = normalise_vat(organisation_vat)
        organisation = db.session.scalar(select(Organisation).where(Organisation.vat_number == vat))
        if organisation is None:
            raise ValidationFailed.fields(
                {"org": N_("No organisation with VAT number %(vat)s.", vat=vat)}
            )
    if db.session.scalar(select(User.id).where(User.email == email)):
        raise Conflict(
            N_("A user with email %(email)s already exists.", email=email), code="duplicate"
        )
    if password:
        _check_policy(password, email)
    user = User(email=email, name=name or email.split("@")[0], organisation=organisation)
    user.role_rows = [UserRole(role=r) for r in sorted(set(roles))]
    if password:
        user.set_password(password)
    db.session.add(user)
    flush()
    return user


def _check_policy(password: str, email: str, field: str = "password") -> None:
    if problem := passwords.password_problem(password, email):
        raise ValidationFailed.fields({field: problem})


# --- the audit log of accounts ------------------------------------------------------------------


def record(actor: User | None, user: User, action: str, **details: Any) -> AccountEvent:
    """Write who (``actor``; None: the command line or an e-mailed link) did ``action`` to
    ``user``'s account, now, with what changed."""
    event = AccountEvent(
        actor_id=actor.id if actor is not None else None,
        user_id=user.id,
        action=action,
        details=details,
    )
    db.session.add(event)
    return event


def events_of(user: User) -> list[AccountEvent]:
    return list(
        db.session.scalars(
            select(AccountEvent)
            .where(AccountEvent.user_id == user.id)
            .order_by(AccountEvent.at.desc(), AccountEvent.id.desc())
        )
    )


# --- API tokens -----------------------------------------------------------------------------------


def issue_token(user: User, days: int | None = None, *, actor: User | None = None) -> str:
    """A new API token, valid ``days`` (``API_TOKEN_DAYS`` by default); only its hash is kept,
    so this is the one time it can be read."""
    config = current_app.config
    days = int(config["API_TOKEN_DAYS"]) if days is None else days
    longest = int(config["API_TOKEN_MAX_DAYS"])
    if not 1 <= days <= longest:
        raise ValidationFailed.fields(
            {"days": N_("A token lasts from 1 to %(max)s days.", max=longest)}
        )
    token = "trk_" + secrets.token_urlsafe(32)
    row = ApiToken(
        user_id=user.id,
        token_hash=ApiToken.hash(token),
        prefix=token[:12],
        created_at=utcnow(),
        expires_at=utcnow() + dt.timedelta(days=days),
    )
    db.session.add(row)
    flush()
    record(actor, user, "token_issued", prefix=row.prefix, days=days)
    return token


#: last_used_at is written at most this often (not on every API call)
_USE_RECORDED_EVERY = dt.timedelta(minutes=1)


def user_for_token(token: str) -> User | None:
    """The user of a valid API token: known, not revoked, not expired, its person active. The
    one place tokens are checked (the API layer calls it).

    Its use is recorded at most once a minute, committed at once: the token is read before
    anything else in the request's session, and API reads commit nothing of their own."""
    now = utcnow()
    tokens = ApiToken.__table__
    row = person_of(
        tokens,
        tokens.c.last_used_at,
        ApiToken.hash(token),
        tokens.c.revoked_at.is_(None),
        tokens.c.expires_at > now,
        User.active.is_(True),
    )
    if row is None:
        return None
    user = row[0]
    if row.last_use is None or now - row.last_use > _USE_RECORDED_EVERY:
        db.session.execute(update(tokens).where(tokens.c.id == row.id).values(last_used_at=now))
        commit()  # expires the person: read again on first use, as before
    return user if user.active else None


def tokens_of(user: User) -> list[ApiToken]:
    """Every token of ``user``, newest first, revoked and expired ones included."""
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def revoke_token(actor: User, owner: User, token_id: int) -> ApiToken:
    """Revoke ``owner``'s token ``token_id``: by its owner, or by an administrator."""
    if actor.id != owner.id and not actor.has_role("admin"):
        raise Forbidden(N_("Only its owner or an administrator may revoke a token."))
    row = db.session.get(ApiToken, token_id)
    if row is None or row.user_id != owner.id:
        raise NotFound(N_("No such token."))
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        record(actor, owner, "token_revoked", prefix=row.prefix)
        flush()
    return row


def _revoke_all_tokens(user: User) -> int:
    return db.session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    ).rowcount


# --- passwords --------------------------------------------------------------------------------


def _set_password_once(user: User, password: str) -> None:
    """Set ``user``'s password if nobody changed it since it was read (two uses of one link at
    once: one wins, the other is refused)."""
    old = user.password_hash
    new = generate_password_hash(password)
    same = User.password_hash.is_(None) if old is None else User.password_hash == old
    done = db.session.execute(
        update(User).where(User.id == user.id, same).values(password_hash=new),
        execution_options={"synchronize_session": False},
    ).rowcount
    if not done:
        raise Conflict(N_("This link was used already."), code="link_used")
    db.session.expire(user, ["password_hash"])


def change_password(user: User, current: str, new: str) -> str:
    """``user`` changes their password, knowing the current one: every other session of theirs
    ends, and the one that changed it goes on under a new secret (returned). API tokens stay."""
    if not user.check_password(current or ""):
        raise ValidationFailed.fields({"current": N_("This is not your current password.")})
    _check_policy(new, user.email, "new")
    if user.check_password(new):
        raise ValidationFailed.fields({"new": N_("Choose a password other than the current one.")})
    _set_password_once(user, new)
    sessions.end_all(user)
    record(user, user, "password_changed")
    return sessions.start(user)


def request_password_reset(email: str) -> bool:
    """E-mail a reset link to the active person with ``email``, if there is one; the caller
    answers the same either way. At most 3 links a quarter of an hour per person."""
    from tracker.mail.operations import account_emails_since, queue_account_email

    try:
        email = normalise_email(email)
    except ValidationFailed:
        return False
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None or not user.active:
        return False
    if account_emails_since(user, "password_reset", utcnow() - dt.timedelta(minutes=15)) >= 3:
        return False
    link = _absolute("auth.reset_password", token=passwords.link_token(user, "reset"))
    minutes = int(current_app.config["PASSWORD_RESET_MINUTES"])
    queue_account_email("password_reset", user, link, minutes=minutes)
    record(None, user, "reset_requested")
    return True


def _absolute(endpoint: str, **values: Any) -> str:
    from tracker.mail.operations import absolute_url

    return absolute_url(endpoint, **values)


def set_password_by_link(token: str, purpose: str, new: str) -> User:
    """Set the password of the person a reset or invitation link is for; every session of
    theirs ends (a reset is what one does when someone else may know the old password)."""
    user = passwords.user_for_link(token, purpose)
    if user is None:
        raise NotFound(N_("This link is not valid: it expired, was used already, or was changed."))
    _check_policy(new, user.email, "new")
    _set_password_once(user, new)
    sessions.end_all(user)
    record(None, user, "password_reset" if purpose == "reset" else "invitation_accepted")
    return user


# --- what an administrator does -----------------------------------------------------------------


def organisation_by_vat(vat: str | None) -> Organisation | None:
    """The organisation with VAT number ``vat`` (None when blank), or a refusal on ``organisation``."""
    if not vat or not vat.strip():
        return None
    number = normalise_vat(vat)[:20]
    organisation = db.session.scalar(select(Organisation).where(Organisation.vat_number == number))
    if organisation is None:
        raise ValidationFailed.fields(
            {"organisation": N_("No organisation with VAT number %(vat)s.", vat=number)}
        )
    return organisation


def invite(
    actor: User, email: str, name: str, roles: list[str], organisation_vat: str | None = None
) -> User:
    """Create ``email``'s account without a password and e-mail them a link to choose one."""
    from tracker.mail.operations import queue_account_email

    organisation = organisation_by_vat(organisation_vat)
    user = create_user(email, roles, name=name.strip() or None, organisation=organisation)
    record(
        actor, user, "invited",
        roles=user.roles, organisation=organisation.name if organisation else None,
    )  # fmt: skip
    link = _absolute("auth.accept_invitation", token=passwords.link_token(user, "invitation"))
    days = int(current_app.config["INVITATION_DAYS"])
    queue_account_email("invitation", user, link, inviter=actor.name, days=days)
    return user


def update_person(
    actor: User, user: User, *, roles: list[str], organisation_vat: str | None
) -> list[str]:
    """Set ``user``'s roles and organisation; what changed. An administrator may not take away
    their own admin role: the last administrator could otherwise lock everyone out of the
    administration, and nobody should lose a power by a slip of their own hand."""
    roles = sorted(set(roles))
    if not roles or set(roles) - ROLES.keys():
        raise ValidationFailed.fields(
            {"roles": N_("Roles must be among: %(roles)s.", roles=", ".join(ROLES))}
        )
    if actor.id == user.id and "admin" not in roles:
        raise ValidationFailed.fields(
            {
                "roles": N_(
                    "You cannot remove your own administrator role: ask another administrator."
                )
            }
        )
    organisation = organisation_by_vat(organisation_vat)
    changed = []
    if roles != user.roles:
        record(actor, user, "roles_changed", before=user.roles, after=roles)
        keep = {r.role: r for r in user.role_rows}
        user.role_rows = [keep.get(r) or UserRole(role=r) for r in roles]
        changed.append("roles")
    if (organisation.id if organisation else None) != user.organisation_id:
        record(
            actor, user, "organisation_changed",
            before=user.organisation.name if user.organisation else None,
            after=organisation.name if organisation else None,
        )  # fmt: skip
        user.organisation = organisation
        changed.append("organisation")
    flush()
    return changed


def deactivate(actor: User | None, user: User) -> None:
    """``user`` can no longer log in; every session and API token of theirs ends at once.
    Reactivating them does not bring the tokens back: they ask for new ones."""
    if actor is not None and actor.id == user.id:
        raise Conflict(
            N_("You cannot deactivate yourself: ask another administrator."), code="self"
        )
    if not user.active:
        return
    user.active = False
    ended = sessions.end_all(user)
    revoked = _revoke_all_tokens(user)
    record(actor, user, "deactivated", sessions=ended, tokens=revoked)
    flush()


def reactivate(actor: User | None, user: User) -> None:
    if user.active:
        return
    user.active = True
    record(actor, user, "reactivated")
    flush()


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


@functools.cache
def _stand_in_hash() -> str:
    """A hash of nothing anyone knows, made as every password's is (same method, same cost)."""
    return generate_password_hash(secrets.token_urlsafe(16))


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, or None. An unknown, inactive or
    password-less account costs the same hash check as a known one, so the answer's timing
    does not tell which e-mails have an account."""
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or not user.active or not user.password_hash:
        check_password_hash(_stand_in_hash(), password)
        return None
    return user if user.check_password(password) else None
