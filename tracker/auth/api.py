"""Who the token belongs to."""

from __future__ import annotations

from tracker.api.framework import endpoint
from tracker.auth.models import User
from tracker.auth.schemas import UserOut


@endpoint("GET", "/me", summary="The token's user", tag="people", response=UserOut)
def me(user: User) -> UserOut:
    """The user the bearer token belongs to, with their roles and organisation."""
    return UserOut.model_validate(user)
