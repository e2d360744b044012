"""Applications: the partnership's file, its partners, its transitions, history and reviews."""

from __future__ import annotations

from flask import Response, request

from tracker.api.framework import (
    ID,
    PAGING,
    QueryParam,
    UnsupportedMediaType,
    endpoint,
    paging,
    query_id,
    query_text,
)
from tracker.api.schemas import HistoryOut, TransitionIn
from tracker.applications import bulk, operations, partner_import
from tracker.applications import queries as application_queries
from tracker.applications.schemas import (
    AgreementIn,
    ApplicationIn,
    ApplicationOut,
    ApplicationPage,
    ApplicationPatch,
    BulkItemOut,
    BulkTransitionIn,
    BulkTransitionOut,
    PartnerImportOut,
    PartnerIn,
    PartnerOut,
    PartnerSpendIn,
)
from tracker.auth.models import User
from tracker.calls.operations import get_call
from tracker.dashboards.counts import application_total
from tracker.database import commit
from tracker.errors import BadRequest, Forbidden, NotFound, ValidationFailed
from tracker.reviews.operations import (
    declare_conflict,
    get_review,
    revise_review,
    revision_refusal,
    submit_review,
)
from tracker.reviews.schemas import (
    DeclarationIn,
    DeclarationOut,
    ReviewIn,
    ReviewOut,
    ReviewPatch,
)
from workflows.i18n import N_

APP = f"/applications/<{ID}:application_id>"


@endpoint(
    "GET", "/applications", summary="List applications", tag="applications",
    response=ApplicationPage, errors=(400,),
    query=(
        QueryParam("call_id", "Only this call's applications.", {"type": "integer"}),
        QueryParam("state", "Only applications in this state."),
        QueryParam(
            "q",
            "Words of the title, concept note or lead partner's name, each a prefix, all "
            "required. Counted up to 1,000 matches (see total_is_lower_bound).",
        ),
        *PAGING,
    ),
)  # fmt: skip
def list_applications(user: User) -> ApplicationPage:
    """What the caller may see: their partnerships' applications (drafts included), submitted
    ones for officers and the committees of their calls. Latest change first."""
    page = paging()
    filters = application_queries.ApplicationFilters(
        call_id=query_id("call_id"), state=query_text("state", max_len=50), q=query_text("q")
    )
    total = application_total(user, filters)
    rows, total, more = application_queries.list_applications(
        user, filters, page, total=total, judged=True
    )
    return ApplicationPage.of(
        [ApplicationOut.of(a, user) for a in rows], page, total, total_is_lower_bound=more
    )


@endpoint(
    "POST", "/applications", summary="Open a draft application", tag="applications",
    body=ApplicationIn, response=ApplicationOut, status=201, errors=(403,),
)  # fmt: skip
def post_application(user: User, body: ApplicationIn) -> ApplicationOut:
    """An applicant opens a draft under an open call; their organisation is the lead partner.
    422 if the call is not open or a field is invalid."""
    try:
        call = get_call(body.call_id)
    except NotFound as err:
        raise ValidationFailed.fields({"call_id": err.message}) from None
    app = operations.create_application(user, call, body.fields())
    commit()
    return ApplicationOut.of(app, user)


@endpoint(
    "GET", APP, summary="An application", tag="applications", response=ApplicationOut,
    errors=(403,),
)  # fmt: skip
def get_application(user: User, application_id: int) -> ApplicationOut:
    """403 if the caller may not see it (someone else's draft), 404 if it does not exist."""
    return ApplicationOut.of(operations.get_application(application_id, user), user)


@endpoint(
    "DELETE", APP, summary="Delete a draft never submitted", tag="applications", status=204,
    errors=(403, 409),
)  # fmt: skip
def delete_application(user: User, application_id: int) -> Response:
    """The lead partner deletes its draft while it was never submitted (409 once it was; 403
    for anyone else). The deletion is recorded (who, which draft, when); a draft has no
    history, so no history chain changes."""
    app = operations.get_application(application_id, user, for_change=True)
    operations.delete_draft(user, app)
    commit()
    return Response(status=204)


@endpoint(
    "PATCH", APP, summary="Edit an application", tag="applications", body=ApplicationPatch,
    response=ApplicationOut, errors=(403, 409),
)  # fmt: skip
def patch_application(user: User, application_id: int, body: ApplicationPatch) -> ApplicationOut:
    """Partners edit the title, thematic area and concept note while the state allows it
    (409 otherwise, or when ``version`` is stale)."""
    app = operations.get_application(application_id, user)
    body.refuse_unknown(lambda: ApplicationOut.of(app, user))
    operations.update_application(user, app, body.fields(), body.version)
    commit()
    return ApplicationOut.of(app, user)


@endpoint(
    "POST", f"{APP}/partners", summary="Add a partner", tag="partnership", body=PartnerIn,
    response=[PartnerOut], status=201, errors=(403, 409),
)  # fmt: skip
def add_partner(user: User, application_id: int, body: PartnerIn) -> list[PartnerOut]:
    """The lead partner, while the application is editable. Adding a partner resets the signed
    agreement. Answers the partner list."""
    app = operations.get_application(application_id, user)
    fields = body.fields()
    operations.add_partner(
        user,
        app,
        body.organisation_id,
        fields.get("role"),
        fields.get("commitments") or "",
        fields.get("eligible_spend"),
    )
    commit()
    return [PartnerOut.model_validate(p) for p in app.partners]


@endpoint(
    "PATCH", f"{APP}/partners/<{ID}:organisation_id>", summary="State a partner's spend",
    tag="partnership", body=PartnerSpendIn, response=[PartnerOut], errors=(403, 404, 409, 422),
)  # fmt: skip
def set_partner_spend(
    user: User, application_id: int, organisation_id: int, body: PartnerSpendIn
) -> list[PartnerOut]:
    """The lead partner, while the application is editable, under a support measure: the
    partner's eligible spend; the grant asked (``requested_amount``) follows. Answers the
    partner list."""
    app = operations.get_application(application_id, user)
    partner = app.partner_for(organisation_id)
    if partner is not None:
        body.refuse_unknown(lambda: PartnerOut.model_validate(partner))
    operations.set_partner_spend(user, app, organisation_id, body.eligible_spend)
    commit()
    return [PartnerOut.model_validate(p) for p in app.partners]


@endpoint(
    "DELETE", f"{APP}/partners/<{ID}:organisation_id>", summary="Remove a partner",
    tag="partnership", response=[PartnerOut], errors=(403, 409, 422),
)  # fmt: skip
def remove_partner(user: User, application_id: int, organisation_id: int) -> list[PartnerOut]:
    """The lead partner, while the application is editable; the lead itself cannot be removed.
    Answers the partner list."""
    app = operations.get_application(application_id, user)
    operations.remove_partner(user, app, organisation_id)
    commit()
    return [PartnerOut.model_validate(p) for p in app.partners]


@endpoint(
    "POST", f"{APP}/agreement", summary="Record the signed project agreement",
    tag="partnership", body=AgreementIn, response=ApplicationOut, errors=(403, 409),
)  # fmt: skip
def record_agreement(user: User, application_id: int, body: AgreementIn) -> ApplicationOut:
    """The lead partner records that all partners signed the project agreement."""
    app = operations.get_application(application_id, user)
    operations.record_agreement(user, app, body.signed)
    commit()
    return ApplicationOut.of(app, user)


@endpoint(
    "POST", f"{APP}/transitions", summary="Fire a workflow trigger", tag="workflow",
    body=TransitionIn, response=ApplicationOut, errors=(403, 409),
)  # fmt: skip
def fire_transition(user: User, application_id: int, body: TransitionIn) -> ApplicationOut:
    """403 if the caller's role may not fire it; 409 if the trigger is not valid from the
    current state or ``version`` is stale; 422 naming each unmet condition in
    ``details.unmet``. Answers the application in its new state."""
    app = operations.get_application(application_id, user, for_change=True)
    operations.fire_transition(
        user, app, body.trigger, comment=body.comment, data=body.data,
        expected_version=body.version,
    )  # fmt: skip
    answer = ApplicationOut.of(app, user)  # before the commit expires what is loaded
    commit()
    return answer


@endpoint(
    "POST", "/applications/transitions", summary="Fire one trigger on several applications",
    tag="workflow", body=BulkTransitionIn, response=BulkTransitionOut, errors=(400, 422),
)  # fmt: skip
def fire_transitions(user: User, body: BulkTransitionIn) -> BulkTransitionOut:
    """The same trigger, comment and data on each application of ``ids`` (e.g. ``grant_label``
    with one decree): each gets its own transition and history row, committed on its own, so a
    refused one undoes none of the others. 200 with one result per id, in order, each with the
    status the single transition would answer (200, 403, 404, 409, 422) and its refusal in the
    API's error shape; an application the caller may not see answers 404, as one that does not
    exist. 422 for the request itself, nothing done: no ids, more than 500, an id twice, an
    unknown trigger, or a comment or data the trigger refuses whatever the application."""
    results = bulk.fire_in_bulk(
        user, body.ids, body.trigger, comment=body.comment, data=body.data,
        versions=body.version_map(),
    )  # fmt: skip
    return BulkTransitionOut(results=[BulkItemOut.of(r) for r in results])


@endpoint(
    "GET", f"{APP}/history", summary="The application's history", tag="workflow",
    response=[HistoryOut], errors=(403,),
)  # fmt: skip
def history(user: User, application_id: int) -> list[HistoryOut]:
    """Every state change, oldest first: a bare JSON array."""
    app = operations.get_application(application_id, user)
    return [HistoryOut.of(e) for e in application_queries.history_of(app)]


@endpoint(
    "POST", f"{APP}/reviews", summary="Submit a review", tag="reviews", body=ReviewIn,
    response=ReviewOut, status=201, errors=(403, 409),
)  # fmt: skip
def post_review(user: User, application_id: int, body: ReviewIn) -> ReviewOut:
    """A member of the call's committee without conflict of interest, once, while the
    application is under evaluation, after declaring about a conflict of interest (422 with the
    condition ``conflict_not_declared`` before). 422 on a score out of its criterion's range;
    403 for non-members and conflicted members; 409 for a second review."""
    app = operations.get_application(application_id, user)
    review = submit_review(user, app, body.scores, body.recommendation, body.comment)
    commit()
    return ReviewOut.model_validate(review)


@endpoint(
    "GET", f"{APP}/reviews", summary="The application's reviews", tag="reviews",
    response=[ReviewOut], errors=(403,),
)  # fmt: skip
def list_reviews(user: User, application_id: int) -> list[ReviewOut]:
    """Reviews are independent: a committee member sees the other members' reviews only once
    their own is in (before, the answer holds their own only, maybe none: still 200), and only
    after declaring no conflict of interest; a Region officer sees every review once the
    evaluation is closed, none before. Anyone else: 403. A bare JSON array."""
    app = operations.get_application(application_id, user)
    if not app.can_see_reviews(user):
        raise Forbidden(
            "Only the committee and Region officers see the reviews.", code="not_allowed"
        )
    reviews = app.visible_reviews(user, application_queries.reviews_of(app))
    return [ReviewOut.model_validate(r) for r in reviews]


@endpoint(
    "PATCH", f"{APP}/reviews/<{ID}:review_id>", summary="Revise a review", tag="reviews",
    body=ReviewPatch, response=ReviewOut, errors=(403, 404, 409),
)  # fmt: skip
def patch_review(user: User, application_id: int, review_id: int, body: ReviewPatch) -> ReviewOut:
    """Its author changes a review until the evaluation closes (409 after, or while the
    application is not under evaluation; 403 for anyone else; 422 on a bad score). The version
    replaced is kept in ``revisions``; the score computed at closing uses the latest."""
    app = operations.get_application(application_id, user)
    review = get_review(app, review_id)
    if refused := revision_refusal(user, app, review):
        raise refused
    body.refuse_unknown(lambda: ReviewOut.model_validate(review))
    revise_review(user, app, review, *body.merged(review))
    commit()
    return ReviewOut.model_validate(review)


@endpoint(
    "POST", f"{APP}/declaration", summary="Declare about a conflict of interest",
    tag="reviews", body=DeclarationIn, response=DeclarationOut, status=201,
    errors=(403, 409),
)  # fmt: skip
def post_declaration(user: User, application_id: int, body: DeclarationIn) -> DeclarationOut:
    """A member of the call's committee declares, once, whether they have a conflict of
    interest on the application: ``{conflict: false}`` or ``{conflict: true, reason}`` (422
    without a reason). Until then their review and their committee triggers on it answer 422
    with the condition ``conflict_not_declared``; a declared conflict binds like a partner's
    (they may no longer review or act on it). 409 once made; 403 for anyone else (Region
    officers acting as officers do not declare)."""
    app = operations.get_application(application_id, user)
    declaration = declare_conflict(user, app, body.conflict, body.reason or "")
    commit()
    return DeclarationOut.model_validate(declaration)


@endpoint(
    "GET", f"{APP}/declaration", summary="Your declaration about a conflict of interest",
    tag="reviews", response=DeclarationOut, errors=(403, 404),
)  # fmt: skip
def get_declaration(user: User, application_id: int) -> DeclarationOut:
    """The caller's own declaration on the application; 404 while it is not made (a committee
    member must then declare before acting), 403 for anyone not on the call's committee."""
    app = operations.get_application(application_id, user)
    if not app.on_committee(user) or app.partner_conflict(user):
        raise Forbidden(
            N_("Only members of this call's evaluation committee without a partner's conflict "
               "of interest declare."),
            code="not_allowed",
        )  # fmt: skip
    declaration = app.declaration_of(user)
    if declaration is None:
        raise NotFound(N_("You have not declared about a conflict of interest on it yet."))
    return DeclarationOut.model_validate(declaration)


@endpoint(
    "POST", f"{APP}/partners/import", summary="Import partners from a CSV or XLSX file",
    tag="partnership", upload="file", response=PartnerImportOut, errors=(400, 403, 409, 415),
    query=(
        QueryParam("dry_run", "true: answer the row-by-row report and write nothing.",
                   {"type": "boolean"}),
    ),
)  # fmt: skip
def import_partners(user: User, application_id: int) -> PartnerImportOut:
    """The lead partner sends ``multipart/form-data`` with a part ``file``: a CSV (comma,
    semicolon or tab) or XLSX whose first row names the columns name, vat, kind, size,
    province, role, commitments (Italian headers too: ragione sociale, partita iva...). With
    ``?dry_run=true`` the answer is the report, nothing written; without, the same file again:
    on a draft the organisations become partners, on a submitted value chain each new one a
    ``join`` change (organisations not yet registered are registered as declared by the lead,
    awaiting verification). 422 ``rows_in_error`` with ``details.rows`` when any row is wrong
    (bad VAT check digit, the same VAT twice, unknown kind, size or province): nothing is
    written."""
    dry_run = _flag("dry_run")
    app = operations.get_application(application_id, user, for_change=not dry_run)
    if request.mimetype != "multipart/form-data":
        raise UnsupportedMediaType(
            "Send the file as multipart/form-data, in a part named 'file'.",
            {"content_type": request.mimetype or None},
        )
    upload = request.files.get("file")
    rows = partner_import.read_rows(upload.filename if upload else None,
                                    upload.read() if upload else b"")  # fmt: skip
    if dry_run:
        return PartnerImportOut.of(partner_import.check_rows(user, app, rows))
    report = partner_import.import_partners(user, app, rows)
    commit()
    return PartnerImportOut.of(report)


def _flag(name: str) -> bool:
    raw = (query_text(name, max_len=10) or "false").lower()
    if raw not in {"true", "1", "yes", "false", "0", "no"}:
        raise BadRequest(N_("%(name)s is true or false.", name=name), code="bad_query")
    return raw in {"true", "1", "yes"}
