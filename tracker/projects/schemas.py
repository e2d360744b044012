"""The shapes of the EU projects API (see ``tracker.api.schemas`` for the rules)."""

from __future__ import annotations

from pydantic import Field

from tracker.api.schemas import Page, ResponseModel


class ServedCommunityOut(ResponseModel):
    id: int
    name: str


class ServedValueChainOut(ResponseModel):
    id: int
    title: str


class ProjectOut(ResponseModel):
    id: int
    acronym: str
    kind: str = Field(description="project or network.")
    title: str
    programme: str = Field(description="The EU programme that funds it.")
    summary: str
    afil_role: str = Field(description="What AFIL does in it.")
    partners: int | None = Field(description="Partners of its consortium, when the source says.")
    policy_instrument: str | None = Field(
        description="The regional policy instrument it works on (Interreg Europe)."
    )
    policy_call_id: int | None = Field(description="The call of this tracker that is it.")
    policy_authority: str | None = Field(
        description="The authority responsible for the instrument, and its part in the project."
    )
    source: str = Field(description="Where the facts come from.")
    communities: list[ServedCommunityOut] = Field(description="The communities it serves.")
    value_chains: list[ServedValueChainOut] = Field(
        description="The value-chain applications it serves."
    )


class ProjectPage(Page):
    items: list[ProjectOut]
