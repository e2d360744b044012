"""The shapes of the organisations API (see ``tracker.api.schemas`` for the rules)."""

from __future__ import annotations

from pydantic import (
    Field,
    StrictBool,
    StrictStr,
)

from tracker.api.schemas import (
    Instant,
    Page,
    RequestModel,
    ResponseModel,
    attribute_of,
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
    public_body: StrictBool = Field(
        False,
        description="A public body (a state university, a public research centre...); only "
        "public universities and research centres may lead a Circular Economy HUB application.",
    )


class VerificationIn(RequestModel):
    """An officer's or a committee member's check of what an organisation declared."""

    note: StrictStr | None = Field(
        None, description="How the declared data were checked (at most 500 characters)."
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
    public_body: bool = Field(description="A public body, as declared.")
    verified: bool = Field(
        description="An officer or a committee member checked the declared data; until then "
        "it does not count toward a call's minimums when a committee admits an application."
    )
    declared_by: int | None = Field(
        validation_alias=attribute_of("declared_by_id"),
        description="The user who registered it and declared its data; null if entered "
        "before declarations were recorded.",
    )
    declared_at: Instant
    verified_at: Instant | None = Field(description="Null while awaiting verification.")
    verified_by: int | None = Field(
        validation_alias=attribute_of("verified_by_id"),
        description="The user who verified it; null while awaiting verification, or if it was "
        "verified by migration (entered before the rule).",
    )
    verification_note: str | None


class OrganisationPage(Page):
    items: list[OrganisationOut]
