"""The signed project agreement as a PDF: uploading it (the lead partner, which also records the
agreement as signed) and reading it (those who may see the application's attachments).

Operations check access, validate, change the rows and flush; they never commit.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata

from flask import current_app
from sqlalchemy import select

from tracker.applications.models import Application
from tracker.applications.operations import _partnership_refusal, record_agreement
from tracker.auth.models import User
from tracker.database import flush
from tracker.documents.models import AgreementDocument
from tracker.errors import Forbidden, NotFound, ValidationFailed
from tracker.extensions import db
from workflows.i18n import N_

PDF_TYPE = "application/pdf"
#: a PDF starts with this header...
PDF_HEADER = b"%PDF-"
#: ...and ends with this marker, within its last KiB (readers tolerate trailing bytes)
PDF_END, PDF_END_WINDOW = b"%%EOF", 1024
DEFAULT_LIMIT = 10 * 1024 * 1024


def agreement_limit() -> int:
    """The largest agreement accepted, in bytes (setting AGREEMENT_MAX_BYTES, 10 MiB)."""
    return int(current_app.config.get("AGREEMENT_MAX_BYTES") or DEFAULT_LIMIT)


def human_size(size: int) -> str:
    """10485760 -> '10 MB', 1536 -> '1.5 KB' (binary units, as file managers count them)."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            return f"{size / factor:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} bytes"


def can_see_attachments(user, app: Application) -> bool:
    """Partners' staff, the committee's members without a conflict of interest, and officers
    (of a submitted application): what they may see of the application, they may download."""
    return app.can_view(user) and bool({"partner", "reviewer", "officer"} & app.roles_of(user))


def clean_filename(name: str | None) -> str:
    """The name as shown and offered for download: no folders, no control characters, at most
    255 characters, ending in .pdf."""
    name = os.path.basename((name or "").replace("\\", "/"))
    name = "".join(
        c for c in unicodedata.normalize("NFC", name) if unicodedata.category(c)[0] != "C"
    )
    name = re.sub(r"\s+", " ", name).strip(" .")
    stem = name[:-4] if name.lower().endswith(".pdf") else name
    return (stem[:250].strip() or "agreement") + ".pdf"


def pdf_problem(content: bytes, limit: int) -> str | None:
    """Why ``content`` is not an acceptable agreement, or None. Judged by the bytes, never by
    the file's name or the type the browser claims."""
    if not content:
        return "The file is empty."
    if len(content) > limit:
        return f"The file is larger than {human_size(limit)}."
    if not content.startswith(PDF_HEADER) or PDF_END not in content[-PDF_END_WINDOW:]:
        return "The file is not a PDF."
    return None


def read_upload(upload) -> bytes:
    """The bytes of an uploaded file (a werkzeug FileStorage, or None), its temporary file
    closed."""
    if upload is None:
        return b""
    try:
        return upload.read()
    finally:
        upload.close()


def upload_agreement(
    user: User, app: Application, filename: str | None, content: bytes
) -> AgreementDocument:
    """The lead partner uploads the project agreement signed by every partner: it becomes the
    current one (earlier uploads stay listed) and the agreement is recorded as signed."""
    if not app.can_manage_partnership(user):
        raise _partnership_refusal(user, app)
    if problem := pdf_problem(content, agreement_limit()):
        raise ValidationFailed.fields({"file": problem})
    document = AgreementDocument(
        application_id=app.id,
        filename=clean_filename(filename),
        content_type=PDF_TYPE,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        uploaded_by_id=user.id,
    )
    db.session.add(document)
    record_agreement(user, app, True)  # flushes
    flush()
    return document


def _attachments_refusal() -> Forbidden:
    return Forbidden(
        "Only the partners, the committee members without a conflict of interest and the "
        "officers see this application's documents.",
        code="not_allowed",
    )


def agreements_of(user, app: Application) -> list[AgreementDocument]:
    """Every agreement uploaded for ``app``, the current (newest) first, without their bytes."""
    if not can_see_attachments(user, app):
        raise _attachments_refusal()
    return list(
        db.session.scalars(
            select(AgreementDocument)
            .where(AgreementDocument.application_id == app.id)
            .order_by(AgreementDocument.id.desc())
        )
    )


def get_agreement(user, app: Application, document_id: int) -> AgreementDocument:
    """One agreement of ``app`` with its bytes: 403 before anything else to those who may not
    see the application's documents (whether it exists or not), 404 if it is not ``app``'s."""
    if not can_see_attachments(user, app):
        raise _attachments_refusal()
    document = db.session.get(AgreementDocument, document_id)
    if document is None or document.application_id != app.id:
        raise NotFound(
            N_("No document %(id)s for application %(app)s.", id=document_id, app=app.id)
        )
    return document
