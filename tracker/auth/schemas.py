"""The shape of the API's answer about a token's user (see ``tracker.api.schemas``)."""

from __future__ import annotations

from tracker.api.schemas import (
    ResponseModel,
)


class UserOut(ResponseModel):
    id: int
    email: str
    name: str
    roles: list[str]
    organisation_id: int | None
