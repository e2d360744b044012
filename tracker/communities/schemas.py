"""The shapes of the communities and proposals API (see ``tracker.api.schemas`` for the rules)."""

from __future__ import annotations

import datetime as dt

from pydantic import Field, StrictStr

from tracker.api.schemas import (
    Day,
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
from tracker.communities.models import ACTIVITY_KINDS, MEMBER_ROLES, Proposal
from tracker.communities.operations import available_transitions

# --- requests ---------------------------------------------------------------------------------


class CommunityIn(RequestModel):
    """A Strategic Community; a coordinator who opens it becomes its first coordinator."""

    name: StrictStr = Field(examples=["De- and Remanufacturing for Circular Economy"])
    topic: StrictStr | None = ""
    description: StrictStr | None = ""


class CommunityMemberIn(RequestModel):
    user_id: Id
    role: StrictStr = choices(MEMBER_ROLES, "A coordinator must hold the coordinator role.")


class ProposalIn(RequestModel):
    """A member or coordinator of the community raises an idea."""

    community_id: Id
    title: StrictStr
    summary: StrictStr | None = ""


class ActivityIn(RequestModel):
    """Something the community did, recorded by one of its coordinators."""

    kind: StrictStr = choices(ACTIVITY_KINDS)
    held_on: Day = Field(description="The day it took place (not in the future).")
    title: StrictStr
    notes: StrictStr | None = ""
    proposal_id: Id | None = Field(None, description="A proposal of the community it was about.")


class ValueChainLinkIn(RequestModel):
    """The value-chain application the proposal becomes; null unlinks it."""

    application_id: Id | None = Field(
        description="A value-chain application whose partnership includes your organisation."
    )
    version: Id | None = Field(None, description="The version the client saw; 409 if stale.")


# --- responses --------------------------------------------------------------------------------


class MemberOut(ResponseModel):
    user_id: int
    name: str = Field(validation_alias=attribute_of("user", "name"))
    email: Email = Field(validation_alias=attribute_of("user", "email"))
    role: str
    added_at: Instant


class CommunityOut(ResponseModel):
    id: int
    name: str
    topic: str
    description: str
    created_at: Instant
    members: list[MemberOut]


class FollowUpOut(ResponseModel):
    application_id: int | None
    call_id: int | None
    reference: str | None


class ValueChainApplicationOut(ResponseModel):
    """The value-chain application a proposal becomes, as it stands now."""

    id: int
    title: str
    state: str
    state_title: str = Field(validation_alias=attribute_of("state_info", "title"))
    submitted_at: Instant | None
    label_code: str | None = Field(description="Its quality label's code once recognised.")

    @classmethod
    def of(cls, app) -> ValueChainApplicationOut | None:
        if app is None:
            return None
        return cls.model_validate(
            with_fields(app, label_code=app.label.code if app.label else None)
        )


class ActivityOut(ResponseModel):
    id: int
    community_id: int
    kind: str
    held_on: dt.date
    title: str
    notes: str
    proposal_id: int | None
    proposal_title: str | None
    recorded_by_name: str | None
    recorded_at: Instant

    @classmethod
    def of(cls, activity) -> ActivityOut:
        return cls.model_validate(
            with_fields(
                activity,
                proposal_title=activity.proposal.title if activity.proposal else None,
                recorded_by_name=activity.recorded_by.name if activity.recorded_by else None,
            )
        )


class ActivityPage(Page):
    items: list[ActivityOut]


class ProposalOut(ResponseModel):
    id: int
    community_id: int
    community: str = Field(
        validation_alias=attribute_of("community", "name"), description="The community's name."
    )
    workflow: str
    state: str
    state_title: str = Field(validation_alias=attribute_of("state_info", "title"))
    version: int
    title: str
    summary: str
    created_by: Email = Field(description="The e-mail of who raised it (officers and committee "
                              "members only; null for others).")  # fmt: skip
    created_by_name: str | None = Field(description="The name of who raised it.")
    created_at: Instant
    updated_at: Instant
    board_review_at: Instant | None = Field(description="When it first reached the board.")
    submitted_at: Instant | None = Field(description="When it was submitted to the Region.")
    act_reference: str | None = Field(description="The Region's act endorsing it.")
    follow_up: FollowUpOut | None = Field(description="What followed the endorsement.")
    value_chain_application: ValueChainApplicationOut | None = Field(
        description="The value-chain application the proposal becomes (filed by its "
        "partnership with the call), with its current state."
    )
    available_transitions: list[OptionOut] = Field(
        description="Every transition from the current state, as the caller sees it."
    )

    @classmethod
    def of(cls, proposal: Proposal, viewer: User) -> ProposalOut:
        """``proposal`` as ``viewer`` sees it: what they may do next is part of the answer."""
        creator = proposal.created_by
        return cls.model_validate(
            with_fields(
                proposal,
                created_by=creator.email if creator else None,
                created_by_name=creator.name if creator else None,
                available_transitions=available_transitions(viewer, proposal),
                value_chain_application=ValueChainApplicationOut.of(
                    proposal.value_chain_application
                ),
            )
        )


class ProposalOriginOut(ResponseModel):
    """The community proposal a value-chain application came from."""

    id: int
    title: str
    community_id: int
    community: str = Field(validation_alias=attribute_of("community", "name"))
    state: str
    state_title: str = Field(validation_alias=attribute_of("state_info", "title"))


class CommunityPage(Page):
    items: list[CommunityOut]


class ProposalPage(Page):
    items: list[ProposalOut]
