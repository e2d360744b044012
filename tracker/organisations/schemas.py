"""The shapes of the organisations API (see ``tracker.api.schemas`` for the rules)."""

from __future__ import annotations

from pydantic import (
    Field,
    StrictBool,
    StrictStr,
)

from tracker.api.schemas import (
    Page,
    RequestModel,
    ResponseModel,
    choices,
)
from tracker.organisations.models import KINDS, SIZES


class OrganisationIn(RequestModel):
    """A member organisation of partnerships."""

    name: StrictStr
    vat_number: StrictStr = Field(
        description="Italian partita IVA: 11 digits with a check digit; spaces and 'IT' allowed.",
        examples=["12345678903"],
    )
    kind: StrictStr = choices(KINDS)
    size: StrictStr | None = choices(SIZES, "Required for firms.", default=None)
    province: StrictStr | None = Field(None, description="Two-letter code, e.g. MI, BS.")
    city: StrictStr | None = None
    lombardy_seat: StrictBool | None = Field(
        None, description="Defaults to whether the province is in Lombardy."
    )


class OrganisationOut(ResponseModel):
    id: int
    name: str
    vat_number: str
    kind: str
    size: str | None
    province: str | None
    city: str | None
    lombardy_seat: bool


class OrganisationPage(Page):
    items: list[OrganisationOut]
