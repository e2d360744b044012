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
