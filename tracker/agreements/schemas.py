"""The shapes of the agreements API (see ``tracker.api.schemas`` for the rules)."""

from __future__ import annotations

import datetime as dt

from pydantic import Field, StrictStr

from tracker.api.schemas import Amount, Day, Id, Instant, Money, Page, RequestModel, ResponseModel


class SharedAgreementIn(RequestModel):
    """A multi-party agreement of a call, recorded once by a Region officer."""

    reference: StrictStr = Field(description="How each application's agreement_reference names it.")
    title: StrictStr
    call_id: Id
    concluded_on: Day
    total_amount: Amount
    regional_amount: Amount | None = Field(None, description="The Region's share.")
    managed_by: StrictStr | None = Field("", description="The Region's directorate running it.")
    notes: StrictStr | None = ""
    party_ids: list[Id] = Field(description="The organisations party to it (besides the Region).")


class AgreementPartyOut(ResponseModel):
    id: int
    name: str
    kind: str
    public_body: bool


class AgreementSignatureOut(ResponseModel):
    application_id: int
    recorded_at: Instant


class SharedAgreementOut(ResponseModel):
    id: int
    reference: str
    title: str
    call_id: int
    concluded_on: dt.date
    total_amount: Money
    regional_amount: Money | None
    managed_by: str
    notes: str
    parties: list[AgreementPartyOut]
    signatures: list[AgreementSignatureOut] = Field(
        description="The applications that joined it by their sign_agreement transition."
    )


class SharedAgreementPage(Page):
    items: list[SharedAgreementOut]
