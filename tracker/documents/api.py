"""The signed project agreement as a PDF: upload (multipart), list, download."""

from __future__ import annotations

from flask import request

from tracker.api.framework import ID, UnsupportedMediaType, endpoint
from tracker.applications import operations as applications
from tracker.auth.models import User
from tracker.database import commit
from tracker.documents import operations
from tracker.documents.responses import file_response
from tracker.documents.schemas import AgreementDocumentOut

DOCS = f"/applications/<{ID}:application_id>/agreement/documents"


@endpoint(
    "POST", DOCS, summary="Upload the signed project agreement (PDF)", tag="partnership",
    upload="file", response=AgreementDocumentOut, status=201, errors=(403, 409),
)  # fmt: skip
def upload_agreement_document(user: User, application_id: int) -> AgreementDocumentOut:
    """The lead partner, while the application is editable, sends the agreement signed by every
    partner as ``multipart/form-data`` with one part ``file``. It must be a PDF (judged by its
    content: ``%PDF-`` header, ``%%EOF`` marker) no larger than the server's setting
    AGREEMENT_MAX_BYTES (10 MiB by default; 413 above it, 422 for a file that is not a PDF or is
    empty). It becomes the current agreement, earlier ones stay listed, and the agreement is
    recorded as signed."""
    app = applications.get_application(application_id, user, for_change=True)
    if request.mimetype != "multipart/form-data":
        raise UnsupportedMediaType(
            "Send the file as multipart/form-data, in a part named 'file'.",
            {"content_type": request.mimetype or None},
        )
    upload = request.files.get("file")
    content = operations.read_upload(upload)
    document = operations.upload_agreement(user, app, upload.filename if upload else None, content)
    commit()
    return AgreementDocumentOut.of(document)


@endpoint(
    "GET", DOCS, summary="The uploaded agreements", tag="partnership",
    response=[AgreementDocumentOut], errors=(403,),
)  # fmt: skip
def list_agreement_documents(user: User, application_id: int) -> list[AgreementDocumentOut]:
    """Newest (current) first. The partners, the committee's members without a conflict of
    interest, and officers; 403 to anyone else."""
    app = applications.get_application(application_id, user)
    return [AgreementDocumentOut.of(d) for d in operations.agreements_of(user, app)]


@endpoint(
    "GET", f"{DOCS}/<{ID}:document_id>", summary="Download an uploaded agreement",
    tag="partnership", media_type="application/pdf", errors=(403,),
)  # fmt: skip
def download_agreement_document(user: User, application_id: int, document_id: int):
    """The PDF, as an attachment. 403 to those who may not see the application's documents,
    404 for a document of another application."""
    app = applications.get_application(application_id, user)
    return file_response(operations.get_agreement(user, app, document_id))
