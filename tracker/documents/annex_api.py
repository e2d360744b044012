"""A call's annexes (officers define them), an application's annex files (the lead uploads
them, as multipart like the signed agreement), and the application's dossier as one PDF."""

from __future__ import annotations

from flask import request

from tracker.api.framework import ID, UnsupportedMediaType, endpoint
from tracker.applications import operations as applications
from tracker.auth.models import User
from tracker.calls.operations import get_call
from tracker.database import commit
from tracker.documents import annexes, dossier
from tracker.documents.operations import read_upload
from tracker.documents.responses import dossier_response, file_response
from tracker.documents.schemas import (
    AnnexDocumentOut,
    AnnexStatusOut,
    AnnexTypeIn,
    AnnexTypeOut,
    AnnexTypePatch,
)

CALL_ANNEXES = f"/calls/<{ID}:call_id>/annexes"
APP_ANNEXES = f"/applications/<{ID}:application_id>/annexes"


@endpoint(
    "GET", CALL_ANNEXES, summary="The annexes a call asks for", tag="calls",
    response=[AnnexTypeOut], errors=(404,),
)  # fmt: skip
def list_call_annexes(user: User, call_id: int) -> list[AnnexTypeOut]:
    """In the order applications see them."""
    return [AnnexTypeOut.model_validate(a) for a in get_call(call_id).annexes]


@endpoint(
    "POST", CALL_ANNEXES, summary="Add an annex to a call", tag="calls", body=AnnexTypeIn,
    response=AnnexTypeOut, status=201, errors=(403, 404, 409),
)  # fmt: skip
def post_call_annex(user: User, call_id: int, body: AnnexTypeIn) -> AnnexTypeOut:
    """Region officers, on a call whose workflow checks annexes at submission (value chains and
    support measures; 409 otherwise, and on a name the call already uses)."""
    annex = annexes.define_annex(user, get_call(call_id), body.fields())
    commit()
    return AnnexTypeOut.model_validate(annex)


@endpoint(
    "PATCH", f"{CALL_ANNEXES}/<{ID}:annex_id>", summary="Change a call's annex", tag="calls",
    body=AnnexTypePatch, response=AnnexTypeOut, errors=(403, 404, 409),
)  # fmt: skip
def patch_call_annex(user: User, call_id: int, annex_id: int, body: AnnexTypePatch) -> AnnexTypeOut:
    """Region officers. Files already uploaded stay; a required annex made optional no longer
    holds submissions back."""
    annex = annexes.get_annex(get_call(call_id), annex_id)
    body.refuse_unknown(lambda: AnnexTypeOut.model_validate(annex))
    annexes.update_annex(user, annex, body.fields())
    commit()
    return AnnexTypeOut.model_validate(annex)


@endpoint(
    "DELETE", f"{CALL_ANNEXES}/<{ID}:annex_id>", summary="Remove a call's annex", tag="calls",
    response=[AnnexTypeOut], errors=(403, 404, 409),
)  # fmt: skip
def delete_call_annex(user: User, call_id: int, annex_id: int) -> list[AnnexTypeOut]:
    """Region officers; 409 once an application uploaded it (make it optional instead). Answers
    the call's remaining annexes."""
    call = get_call(call_id)
    annexes.remove_annex(user, annexes.get_annex(call, annex_id))
    commit()
    return [AnnexTypeOut.model_validate(a) for a in call.annexes]


@endpoint(
    "GET", APP_ANNEXES, summary="An application's annexes", tag="partnership",
    response=[AnnexStatusOut], errors=(403,),
)  # fmt: skip
def list_application_annexes(user: User, application_id: int) -> list[AnnexStatusOut]:
    """Every annex of the call, present or missing, with its files. The partners, the
    committee's members without a conflict of interest, and officers; 403 to anyone else."""
    app = applications.get_application(application_id, user)
    return [AnnexStatusOut.of(s) for s in annexes.annexes_of(user, app)]


@endpoint(
    "POST", f"{APP_ANNEXES}/<{ID}:annex_id>", summary="Upload an annex", tag="partnership",
    upload="file", response=AnnexDocumentOut, status=201, errors=(403, 404, 409),
)  # fmt: skip
def upload_application_annex(user: User, application_id: int, annex_id: int) -> AnnexDocumentOut:
    """The lead partner, while the application is editable, sends the file as
    ``multipart/form-data`` with one part ``file``. It is judged by its bytes, never by its
    name or claimed type: 422 for a format the annex does not accept (or an empty file), 413
    above the annex's ``max_bytes``. It becomes the annex's current file; earlier ones stay."""
    app = applications.get_application(application_id, user, for_change=True)
    if request.mimetype != "multipart/form-data":
        raise UnsupportedMediaType(
            "Send the file as multipart/form-data, in a part named 'file'.",
            {"content_type": request.mimetype or None},
        )
    upload = request.files.get("file")
    content = read_upload(upload)
    document = annexes.upload_annex(
        user, app, annex_id, upload.filename if upload else None, content
    )
    commit()
    return AnnexDocumentOut.of(document)


@endpoint(
    "GET", f"{APP_ANNEXES}/documents/<{ID}:document_id>", summary="Download an annex file",
    tag="partnership", media_type="application/octet-stream", errors=(403,),
)  # fmt: skip
def download_application_annex(user: User, application_id: int, document_id: int):
    """The file as an attachment, with the type its bytes were recognised as. 403 to those who
    may not see the application's documents, 404 for a file of another application."""
    app = applications.get_application(application_id, user)
    return file_response(annexes.get_annex_document(user, app, document_id))


@endpoint(
    "GET", f"/applications/<{ID}:application_id>/dossier.pdf",
    summary="The application's dossier as one PDF", tag="applications",
    media_type="application/pdf", errors=(403,),
)  # fmt: skip
def application_dossier(user: User, application_id: int):
    """Concept note, partners, documents (names, sizes, SHA-256), history, and the reviews as
    the reviews' rule lets the reader see them; in the reader's language (``Accept-Language``).
    Those who may see the application's documents; 403 to anyone else."""
    app = applications.get_application(application_id, user)
    return dossier_response(app, dossier.render(dossier.dossier_of(user, app), user.name))
