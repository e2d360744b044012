"""Member organisations of the partnerships."""

from __future__ import annotations

from flask import request

from tracker.api.framework import ID, PAGING, QueryParam, endpoint, paging, query_text
from tracker.auth.models import User
from tracker.database import commit
from tracker.organisations import queries as organisation_queries
from tracker.organisations.operations import create_organisation, verify_organisation
from tracker.organisations.profile import profile_of
from tracker.organisations.schemas import (
    InvolvementOut,
    OrganisationIn,
    OrganisationOut,
    OrganisationPage,
    VerificationIn,
)


@endpoint(
    "GET", "/organisations", summary="List organisations", tag="organisations",
    response=OrganisationPage, errors=(400,),
    query=(
        QueryParam("q", "Words of the name, or digits of the VAT number."),
        QueryParam("province", "Two-letter code, e.g. BS."),
        QueryParam("kind", "firm, university, research_centre, training_body, association, "
                   "financial or other."),
        QueryParam("size", "micro, small, medium or large."),
        QueryParam("lombardy_seat", "yes or no.", {"type": "string", "enum": ["yes", "no"]}),
        QueryParam("in_chains_min", "A partner of at least this many submitted value chains "
                   "(2: in more than one chain).", {"type": "integer", "minimum": 1}),
        *PAGING,
    ),
)  # fmt: skip
def list_organisations(user: User) -> OrganisationPage:
    """Organisations by name; ``q`` narrows to names or VAT numbers containing it, the other
    parameters as the organisations page's filters (400 naming a bad one); what each takes
    part in: ``/organisations/<id>/involvement``."""
    page = paging()
    filters = organisation_queries.list_filters(request.args)
    rows, total = organisation_queries.organisations_page(query_text("q"), page, **filters)
    return OrganisationPage.of(rows, page, total)


@endpoint(
    "POST", "/organisations", summary="Register an organisation", tag="organisations",
    body=OrganisationIn, response=OrganisationOut, status=201, errors=(409,),
)  # fmt: skip
def post_organisation(user: User, body: OrganisationIn) -> OrganisationOut:
    """422 on a bad VAT number (11 digits with a check digit) or field; 409 if the VAT number
    is already registered. The user declares its data: registered by a Region officer it counts
    as verified, by anyone else it awaits verification."""
    org = create_organisation(user, **body.fields())
    commit()
    return OrganisationOut.model_validate(org)


@endpoint(
    "GET", f"/organisations/<{ID}:organisation_id>", summary="An organisation",
    tag="organisations", response=OrganisationOut,
)  # fmt: skip
def get_organisation(user: User, organisation_id: int) -> OrganisationOut:
    return OrganisationOut.model_validate(organisation_queries.get_organisation(organisation_id))


@endpoint(
    "POST", f"/organisations/<{ID}:organisation_id>/verification",
    summary="Verify an organisation's declared data", tag="organisations", body=VerificationIn,
    response=OrganisationOut, errors=(403, 409),
)  # fmt: skip
def post_verification(user: User, organisation_id: int, body: VerificationIn) -> OrganisationOut:
    """A Region officer or a committee member (never of the organisation itself) records that
    they checked the data the organisation declared (who and when are recorded, with an
    optional note): from then on it counts toward a call's minimums when a committee admits an
    application. 403 for anyone else; 409 when it is already verified."""
    org = organisation_queries.get_organisation(organisation_id)
    verify_organisation(user, org, body.note)
    commit()
    return OrganisationOut.model_validate(org)


@endpoint(
    "GET", f"/organisations/<{ID}:organisation_id>/involvement",
    summary="What an organisation takes part in", tag="organisations", response=InvolvementOut,
    errors=(404,),
)  # fmt: skip
def get_involvement(user: User, organisation_id: int) -> InvolvementOut:
    """Its value chains (as lead or partner; those the caller may see, and every chain of the
    public registry), its support projects (the caller may see; requested and granted amounts),
    the Strategic Communities its staff are members of, and the partnership changes that name
    it (the caller may see, and those in force on registry chains). Newest first."""
    org = organisation_queries.get_organisation(organisation_id)
    return InvolvementOut.of(profile_of(user, org))
