from __future__ import annotations

import functools
import secrets

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from tracker.auth.models import ROLES, ApiToken, User, UserRole
from tracker.database import flush
from tracker.errors import Conflict, ValidationFailed
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
    user = User(email=email, name=name or email.split("@")[0], organisation=organisation)
    user.role_rows = [UserRole(role=r) for r in sorted(set(roles))]
    if password:
        user.set_password(password)
    db.session.add(user)
    flush()
    return user


def issue_token(user: User) -> str:
    """A new API token; only its hash is kept, so this is the one time it can be read."""
    token = "trk_" + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=ApiToken.hash(token), prefix=token[:12]))
    flush()
    return token


def user_for_token(token: str) -> User | None:
    row = db.session.scalar(
        select(ApiToken).where(
            ApiToken.token_hash == ApiToken.hash(token), ApiToken.revoked_at.is_(None)
        )
    )
    if row is None or not row.user.active:
        return None
    return row.user


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
