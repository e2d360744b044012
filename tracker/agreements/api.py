"""Multi-party agreements of a call (the Circular Economy HUB's), and the one an application
joined."""

from __future__ import annotations

from tracker.agreements import operations, queries
from tracker.agreements.schemas import SharedAgreementIn, SharedAgreementOut, SharedAgreementPage
from tracker.api.framework import ID, PAGING, endpoint, paging
from tracker.applications.operations import get_application
from tracker.auth.models import User
from tracker.database import commit
from tracker.errors import NotFound
from workflows.i18n import N_


@endpoint(
    "GET", "/agreements", summary="List the multi-party agreements", tag="agreements",
    response=SharedAgreementPage, query=PAGING, errors=(400,),
)  # fmt: skip
def list_agreements(user: User) -> SharedAgreementPage:
    page = paging()
    rows, total = queries.list_agreements(page)
    return SharedAgreementPage.of(rows, page, total)


@endpoint(
    "POST", "/agreements", summary="Record a multi-party agreement", tag="agreements",
    body=SharedAgreementIn, response=SharedAgreementOut, status=201, errors=(403, 409),
)  # fmt: skip
def post_agreement(user: User, body: SharedAgreementIn) -> SharedAgreementOut:
    """Region officers; 409 on a known reference. Selected applications of the call then join
    it: ``sign_agreement`` with ``{"agreement_reference": <its reference>}``."""
    agreement = operations.create_agreement(user, body.fields())
    commit()
    return SharedAgreementOut.model_validate(agreement)


@endpoint(
    "GET", f"/agreements/<{ID}:agreement_id>", summary="A multi-party agreement",
    tag="agreements", response=SharedAgreementOut, errors=(404,),
)  # fmt: skip
def get_agreement(user: User, agreement_id: int) -> SharedAgreementOut:
    return SharedAgreementOut.model_validate(operations.get_agreement(agreement_id))


@endpoint(
    "GET", f"/applications/<{ID}:application_id>/agreement",
    summary="The shared agreement an application joined", tag="agreements",
    response=SharedAgreementOut, errors=(403, 404),
)  # fmt: skip
def application_agreement(user: User, application_id: int) -> SharedAgreementOut:
    """Who may see the application; 404 until it joined an agreement."""
    app = get_application(application_id, user)
    agreement = operations.agreement_of(app.id)
    if agreement is None:
        raise NotFound(N_("Application %(id)s has joined no agreement.", id=app.id))
    return SharedAgreementOut.model_validate(agreement)
