"""The shapes of the organisations API (see ``tracker.api.schemas`` for the rules)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import (
    Field,
    StrictBool,
    StrictStr,
)

from tracker.api.schemas import (
    Instant,
    Money,
    Page,
    RequestModel,
    ResponseModel,
    attribute_of,
    choices,
)
from tracker.organisations.models import KINDS, SIZES

if TYPE_CHECKING:
    from tracker.organisations.profile import Profile


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


class InvolvedApplicationOut(ResponseModel):
    id: int
    title: str
    call_id: int
    workflow: str
    state: str
    lead: bool = Field(description="The organisation is its lead partner (capofila).")
    role: str = Field(description="The organisation's role in the partnership.")
    label_code: str | None = Field(
        None, description="Its quality label's code, for a chain in the public registry."
    )
    label_revoked: bool | None = None
    visible: bool = Field(
        description="The caller may open it (GET /applications/<id>); a chain of the public "
        "registry is listed even when not (GET /registry/<label_code>)."
    )
    requested_amount: Money | None = None
    granted_amount: Money | None = None


class InvolvedCommunityOut(ResponseModel):
    id: int
    name: str
    staff_members: int = Field(description="Members of the community among its staff.")


class InvolvedChangeOut(ResponseModel):
    id: int
    kind: str
    state: str
    application_id: int
    application_title: str
    label_code: str | None
    created_at: Instant
    in_force_at: Instant | None
    visible: bool = Field(description="The caller may open it (GET /changes/<id>).")


class InvolvementOut(ResponseModel):
    """What an organisation takes part in, as the caller may see it (at most 100 of each;
    the ``*_total`` figures count them all)."""

    organisation_id: int
    chains: list[InvolvedApplicationOut]
    chains_total: int
    support_projects: list[InvolvedApplicationOut]
    support_projects_total: int
    communities: list[InvolvedCommunityOut]
    communities_total: int
    changes: list[InvolvedChangeOut]
    changes_total: int

    @classmethod
    def of(cls, profile: Profile) -> InvolvementOut:
        org_id = profile.organisation.id

        def application(app, partner, visible) -> dict:
            label = app.label
            return {
                "id": app.id, "title": app.title, "call_id": app.call_id,
                "workflow": app.workflow, "state": app.state,
                "lead": app.lead_organisation_id == org_id, "role": partner.role,
                "label_code": label.code if label else None,
                "label_revoked": (not label.valid) if label else None,
                "visible": bool(visible), "requested_amount": app.requested_amount,
                "granted_amount": app.granted_amount,
            }  # fmt: skip

        return cls.model_validate(
            {
                "organisation_id": org_id,
                "chains": [application(*row) for row in profile.chains.rows],
                "chains_total": profile.chains.total,
                "support_projects": [application(*row) for row in profile.support.rows],
                "support_projects_total": profile.support.total,
                "communities": [
                    {"id": c.id, "name": c.name, "staff_members": staff}
                    for c, staff in profile.communities.rows
                ],
                "communities_total": profile.communities.total,
                "changes": [
                    {
                        "id": c.id,
                        "kind": c.kind,
                        "state": c.state,
                        "application_id": c.application_id,
                        "application_title": c.application.title,
                        "label_code": c.application.label.code if c.application.label else None,
                        "created_at": c.created_at,
                        "in_force_at": c.in_force_at,
                        "visible": bool(visible),
                    }  # fmt: skip
                    for c, visible in profile.changes.rows
                ],
                "changes_total": profile.changes.total,
            }
        )
