"""The password policy, and the signed single-use links that set a password (a reset, an
invitation).

Policy (OWASP ASVS 2.1): at least ``PASSWORD_MIN_LENGTH`` characters (12 by default) and at most
128, any characters; not one of the ~20,000 most common passwords (``data/``, whatever its
case); not the person's e-mail address or the part before its @. The same rule for
``flask users create --password``, an invitation, a change and a reset.

A link carries the person's id and a fingerprint of their password hash as it is, signed with
``SECRET_KEY`` and timed: it expires, and it works once, since setting the password changes the
hash it was made from (``tracker.auth.operations`` sets it with a conditional UPDATE, so two
uses at once cannot both win). Nothing about the link is stored.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import hmac
from importlib import resources

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer

from tracker.auth.models import User
from workflows.i18n import N_

MAX_LENGTH = 128
#: what a link is for -> its salt (a reset link cannot be used as an invitation)
PURPOSES = ("reset", "invitation")


@functools.cache
def common_passwords() -> frozenset[str]:
    data = resources.files("tracker.auth").joinpath("data/common-passwords.txt.gz").read_bytes()
    return frozenset(word.casefold() for word in gzip.decompress(data).decode().split())


def password_problem(password: str, email: str | None = None) -> str | None:
    """Why ``password`` may not be chosen (an English message to translate), or None."""
    minimum = int(current_app.config["PASSWORD_MIN_LENGTH"])
    if len(password) < minimum:
        return N_("Choose a password of at least %(min)s characters.", min=minimum)
    if len(password) > MAX_LENGTH:
        return N_("Choose a password of at most %(max)s characters.", max=MAX_LENGTH)
    folded = password.strip().casefold()
    if folded in common_passwords():
        return N_("This password is among the most common ones: choose another.")
    if email and folded in {email.casefold(), email.casefold().partition("@")[0]}:
        return N_("Your password must not be your e-mail address.")
    return None


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"password-{purpose}")


def _fingerprint(user: User) -> str:
    """Changes whenever the password does (a new salt each time), and tells nothing of it."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, (user.password_hash or "").encode(), hashlib.sha256).hexdigest()[:32]


def link_token(user: User, purpose: str) -> str:
    assert purpose in PURPOSES
    return _serializer(purpose).dumps({"user": user.id, "fp": _fingerprint(user)})


def max_age(purpose: str) -> int:
    config = current_app.config
    if purpose == "reset":
        return int(config["PASSWORD_RESET_MINUTES"]) * 60
    return int(config["INVITATION_DAYS"]) * 24 * 3600


def user_for_link(token: str, purpose: str) -> User | None:
    """The active person a link is for, while it is valid (signed, not expired, not used)."""
    from tracker.extensions import db

    try:
        data = _serializer(purpose).loads(token, max_age=max_age(purpose))
    except BadData:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("user"), int):
        return None
    user = db.session.get(User, data["user"])
    if user is None or not user.active:
        return None
    if not hmac.compare_digest(str(data.get("fp", "")), _fingerprint(user)):
        return None
    return user
