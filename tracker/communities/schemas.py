"""The shapes of the communities and proposals API (see ``tracker.api.schemas`` for the rules)."""

from __future__ import annotations

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
from tracker.communities.models import MEMBER_ROLES, Proposal
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
            )
        )


class CommunityPage(Page):
    items: list[CommunityOut]


class ProposalPage(Page):
    items: list[ProposalOut]
