"""Integration requests: the committee's questions, the lead partner's reply and its documents,
and the concept note's versions (one per submission)."""

from __future__ import annotations

from flask import request

from tracker.api.framework import ID, UnsupportedMediaType, endpoint
from tracker.applications import operations as applications
from tracker.auth.models import User
from tracker.database import commit
from tracker.documents.operations import read_upload
from tracker.documents.responses import file_response
from tracker.integrations import operations, queries
from tracker.integrations.schemas import (
    IntegrationDocumentOut,
    IntegrationRequestOut,
    ReplyIn,
    VersionOut,
)

APP = f"/applications/<{ID}:application_id>"


def _out(user: User, app, item) -> IntegrationRequestOut:
    return IntegrationRequestOut.of(item, reply_visible=operations.may_see_reply(user, app, item))


@endpoint(
    "GET", f"{APP}/integration-requests", summary="The integration requests", tag="integration",
    response=[IntegrationRequestOut], errors=(403,),
)  # fmt: skip
def list_integration_requests(user: User, application_id: int) -> list[IntegrationRequestOut]:
    """Everyone who may see the application, oldest first. A reply (and its documents) shows to
    the partners as it is written, to the committee and the officers once resubmitted."""
    app = applications.get_application(application_id, user)
    return [_out(user, app, r) for r in queries.requests_of(app)]


@endpoint(
    "PUT", f"{APP}/integration/reply", summary="Write the reply to the pending request",
    tag="integration", body=ReplyIn, response=IntegrationRequestOut, errors=(403, 409),
)  # fmt: skip
def put_integration_reply(user: User, application_id: int, body: ReplyIn) -> IntegrationRequestOut:
    """The lead partner, while an integration request awaits its answer (409 otherwise). The
    reply reaches the committee with ``resubmit``, which is refused (``integration_answered``)
    until a reply is saved or the resubmission's comment gives one."""
    app = applications.get_application(application_id, user, for_change=True)
    item = operations.save_reply(user, app, body.reply)
    answer = _out(user, app, item)
    commit()
    return answer


@endpoint(
    "POST", f"{APP}/integration/documents", summary="Attach a PDF to the reply",
    tag="integration", upload="file", response=IntegrationDocumentOut, status=201,
    errors=(403, 409),
)  # fmt: skip
def upload_integration_document(user: User, application_id: int) -> IntegrationDocumentOut:
    """The lead partner, while an integration request awaits its answer: ``multipart/form-data``
    with one part ``file``, a PDF (judged by its content) no larger than AGREEMENT_MAX_BYTES
    (413 above it, 422 for a file that is not a PDF, 20 documents at most)."""
    app = applications.get_application(application_id, user, for_change=True)
    if request.mimetype != "multipart/form-data":
        raise UnsupportedMediaType(
            "Send the file as multipart/form-data, in a part named 'file'.",
            {"content_type": request.mimetype or None},
        )
    upload = request.files.get("file")
    content = read_upload(upload)
    document = operations.attach_document(user, app, upload.filename if upload else None, content)
    answer = IntegrationDocumentOut.of(document)
    commit()
    return answer


@endpoint(
    "DELETE", f"{APP}/integration/documents/<{ID}:document_id>",
    summary="Take a document back from the reply", tag="integration",
    response=[IntegrationDocumentOut], errors=(403, 409),
)  # fmt: skip
def delete_integration_document(
    user: User, application_id: int, document_id: int
) -> list[IntegrationDocumentOut]:
    """The lead partner, before resubmitting. Answers the documents left."""
    app = applications.get_application(application_id, user, for_change=True)
    operations.remove_document(user, app, document_id)
    answer = [IntegrationDocumentOut.of(d) for d in app.pending_integration.documents]
    commit()
    return answer


@endpoint(
    "GET", f"{APP}/integration/documents/<{ID}:document_id>",
    summary="Download a document of a reply", tag="integration",
    media_type="application/pdf", errors=(403,),
)  # fmt: skip
def download_integration_document(user: User, application_id: int, document_id: int):
    """The PDF, as an attachment: to those who may see the reply it belongs to."""
    app = applications.get_application(application_id, user)
    return file_response(operations.get_document(user, app, document_id))


@endpoint(
    "GET", f"{APP}/versions", summary="The concept note at each submission", tag="integration",
    response=[VersionOut], errors=(403,),
)  # fmt: skip
def list_versions(user: User, application_id: int) -> list[VersionOut]:
    """One version per submission (round 1 the first, then each resubmission after an
    integration), oldest first, each naming the fields changed since the round before.
    Everyone who may see the application."""
    app = applications.get_application(application_id, user)
    versions = queries.versions_of(app)
    out = []
    for i, version in enumerate(versions):
        previous = versions[i - 1] if i and versions[i - 1].round == version.round - 1 else None
        changed = queries.changed_fields(app, previous, version) if previous else None
        out.append(VersionOut.of(version, changed))
    return out
