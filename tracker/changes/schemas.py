"""The shapes of the partnership changes API (see ``tracker.api.schemas`` for the rules)."""

from __future__ import annotations

import datetime as dt

from pydantic import Field, StrictStr

from tracker.api.schemas import (
    Email,
    Id,
    Instant,
    OptionOut,
    Page,
    RequestModel,
    ResponseModel,
    attribute_of,
    choices,
    with_fields,
)
from tracker.auth.models import User
from tracker.changes.models import PartnershipChange, Shortfall
from tracker.changes.operations import available_transitions, warnings
from tracker.changes.queries import ChangeFigures
from workflows.definitions.partnership_change import KINDS

# --- requests ---------------------------------------------------------------------------------


class ChangeIn(RequestModel):
    """A join (by the joining organisation's staff on a chain of the registry, or by the lead
    partner), a leave (the partner or the lead), a change of lead (the lead, naming a partner)."""

    kind: StrictStr = choices(KINDS)
    organisation_id: Id = Field(description="Who joins, leaves or becomes the lead partner.")
    reason: StrictStr | None = ""
    role: StrictStr | None = Field(
        "", description="A join: the partner's role (default 'Partner')."
    )
    commitments: StrictStr | None = Field("", description="A join: the partner's commitments.")


class ShortfallIn(RequestModel):
    """An officer gives a chain below its call's minimum time to restore its partnership."""

    deadline: StrictStr = Field(examples=["2027-06-30"], description="A date after today.")
    reason: StrictStr


# --- responses --------------------------------------------------------------------------------


class WarningOut(ResponseModel):
    code: str = Field(examples=["below_minimum"])
    message: str


class ChangeOut(ResponseModel):
    id: int
    application_id: int
    application_title: str = Field(validation_alias=attribute_of("application", "title"))
    kind: str
    organisation_id: int
    organisation: str = Field(
        validation_alias=attribute_of("organisation", "name"),
        description="The organisation's name.",
    )
    organisation_verified: bool = Field(
        validation_alias=attribute_of("organisation", "verified"),
        description="Its declared data are verified (a join is acknowledged only then).",
    )
    workflow: str
    state: str
    state_title: str = Field(validation_alias=attribute_of("state_info", "title"))
    version: int
    role: str
    commitments: str
    reason: str
    requested_by: Email
    requested_by_name: str = Field(description="The name of who asked it.")
    created_at: Instant
    updated_at: Instant
    in_force_at: Instant | None = Field(description="When the partnership changed.")
    warnings: list[WarningOut] = Field(
        description="Before it is acknowledged: e.g. below_minimum, the chain would fall below "
        "its call's minimum of firms with a seat in Lombardy."
    )
    available_transitions: list[OptionOut] = Field(
        description="Every transition from the current state, as the caller sees it."
    )

    @classmethod
    def of(cls, change: PartnershipChange, viewer: User) -> ChangeOut:
        return cls.model_validate(
            with_fields(
                change,
                requested_by=change.requested_by.email,
                requested_by_name=change.requested_by.name,
                warnings=warnings(change),
                available_transitions=available_transitions(viewer, change),
            )
        )


class ChangePage(Page):
    items: list[ChangeOut]


class ShortfallOut(ResponseModel):
    application_id: int
    change_id: int | None
    since: Instant
    firms: int = Field(description="Firms with a seat in Lombardy when it fell short.")
    required: int
    deadline: dt.date | None
    deadline_reason: str | None
    deadline_set_at: Instant | None


class ChangeCountOut(ResponseModel):
    kind: str
    state: str
    count: int


class ChangeFiguresOut(ResponseModel):
    changes: list[ChangeCountOut] = Field(description="Partnership changes by kind and state.")
    below_minimum: int = Field(description="Chains below their call's minimum of firms.")
    overdue: int = Field(description="Of those, the ones past the deadline they were given.")

    @classmethod
    def of(cls, figures: ChangeFigures) -> ChangeFiguresOut:
        return cls(
            changes=[
                ChangeCountOut(kind=k, state=s, count=figures.count(k, s))
                for k in figures.kinds
                for s in figures.states
            ],
            below_minimum=figures.below_minimum,
            overdue=figures.overdue,
        )


def shortfall_out(shortfall: Shortfall) -> ShortfallOut:
    return ShortfallOut.model_validate(shortfall)
