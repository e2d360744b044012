"""The shapes of quality labels and the public registry in the API (see ``tracker.api.schemas``)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from pydantic import (
    Field,
)

from tracker.api.schemas import (
    Instant,
    Money,
    Page,
    ResponseModel,
    with_fields,
)

if TYPE_CHECKING:
    from tracker.labels.models import QualityLabel
    from tracker.labels.queries import RegistryChain


class LabelOut(ResponseModel):
    code: str
    decree_number: str
    decree_date: dt.date
    decree_illustrative: bool = Field(
        description="The decree's number and date stand in for ones the record does not give."
    )
    revoked: bool

    @classmethod
    def of(cls, label: QualityLabel | None) -> LabelOut | None:
        if label is None:
            return None
        return cls.model_validate(with_fields(label, revoked=not label.valid))


class RegistryEntryOut(ResponseModel):
    # a row of tracker.labels.operations.registry_page (shared with the page and the exports)

    label_code: str
    title: str
    lead: str
    decree_number: str
    decree_date: dt.date
    decree_illustrative: bool = Field(
        False,
        description="The decree's number and date stand in for ones the record does not give.",
    )
    partners_count: int
    provinces: list[str]
    thematic_area: str | None
    state: str
    application_id: int
    revoked: bool
    revoked_at: Instant | None = Field(None, description="When the label was revoked.")
    revocation_reason: str | None = Field(None, description="Why the label was revoked.")
    closed: bool = Field(
        False,
        description="The Region closed the value chain by a decision: it stays in the registry, "
        "its label not revoked, but earns no bonus and applies to no new support measure.",
    )
    closed_at: Instant | None = Field(None, description="When the Region closed the value chain.")
    closure_reason: str | None = Field(
        None,
        description="The reason of the Region's decision closing the value chain (null for a "
        "chain closed before a reason was required).",
    )
    support_granted: Money = Field(
        "0.00",
        description="Total granted to this value chain by support measures (decimal string; "
        "withdrawn grants excluded).",
    )


class RegistryPage(Page):
    items: list[RegistryEntryOut]


class RegistryPartnerOut(ResponseModel):
    organisation_id: int
    name: str
    kind: str
    size: str | None
    province: str | None
    lombardy_seat: bool
    lead: bool = Field(description="The lead partner (capofila).")
    role: str


class RegistrySupportOut(ResponseModel):
    application_id: int
    title: str
    call_id: int
    call_title: str = Field(description="The support measure.")
    state: str
    granted_amount: Money | None


class RegistryChangeOut(ResponseModel):
    id: int
    kind: str = Field(description="join, leave or change_lead.")
    organisation_id: int
    organisation_name: str
    in_force_at: Instant


class RegistryChainOut(RegistryEntryOut):
    partners: list[RegistryPartnerOut]
    support: list[RegistrySupportOut] = Field(
        description="The support measures' applications made on its behalf that hold a grant, "
        "latest first (their sum is support_granted)."
    )
    changes_in_force: list[RegistryChangeOut] = Field(
        description="Partnership changes acknowledged by the Region, latest first."
    )

    @classmethod
    def of(cls, chain: RegistryChain) -> RegistryChainOut:
        lead = chain.label.application.lead_organisation_id
        return cls.model_validate(
            chain.entry
            | {
                "partners": [
                    {
                        "organisation_id": p.organisation_id,
                        "name": p.organisation.name,
                        "kind": p.organisation.kind,
                        "size": p.organisation.size,
                        "province": p.organisation.province,
                        "lombardy_seat": p.organisation.lombardy_seat,
                        "lead": p.organisation_id == lead,
                        "role": p.role,
                    }  # fmt: skip
                    for p in chain.partners
                ],
                "support": [
                    {
                        "application_id": a.id,
                        "title": a.title,
                        "call_id": a.call_id,
                        "call_title": a.call.title,
                        "state": a.state,
                        "granted_amount": a.granted_amount,
                    }  # fmt: skip
                    for a in chain.support
                ],
                "changes_in_force": [
                    {
                        "id": c.id,
                        "kind": c.kind,
                        "organisation_id": c.organisation_id,
                        "organisation_name": c.organisation.name,
                        "in_force_at": c.in_force_at,
                    }  # fmt: skip
                    for c in chain.changes
                ],
            }
        )
