"""The signed project agreement as a PDF: uploading it (the lead partner, which also records the
agreement as signed) and reading it (those who may see the application's attachments).

Operations check access, validate, change the rows and flush; they never commit.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
import zlib

from flask import current_app
from sqlalchemy import select

from tracker.applications.models import Application
from tracker.applications.operations import _partnership_refusal, mark_agreement_signed
from tracker.auth.models import User
from tracker.database import flush
from tracker.documents.formats import FORMATS, FileFormat, recognise
from tracker.documents.models import AgreementDocument
from tracker.errors import Forbidden, NotFound, ValidationFailed
from tracker.extensions import db
from workflows.i18n import N_, Series

PDF_TYPE = "application/pdf"
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


#: characters a stored file name never keeps: quotes, semicolons and the rest that break a
#: Content-Disposition header or a file system, besides the control characters
_UNSAFE_IN_NAMES = re.compile(r'["\\;:<>|*?%`$]')


def clean_filename(name: str | None, extension: str = ".pdf", fallback: str = "agreement") -> str:
    """The name as shown and offered for download: no folders, no control characters, no quotes,
    semicolons or other characters that break a header or a file system, at most 255 characters,
    ending in ``extension`` (the format its bytes were recognised as)."""
    name = os.path.basename((name or "").replace("\\", "/"))
    name = "".join(
        c for c in unicodedata.normalize("NFC", name) if unicodedata.category(c)[0] != "C"
    )
    name = _UNSAFE_IN_NAMES.sub("", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    stem = name[: -len(extension)] if name.lower().endswith(extension) else name
    return (stem[:250].strip() or fallback) + extension


#: PDF names that run code or programs when the file is opened or clicked (as Didier Stevens'
#: pdfid counts them): JavaScript anywhere, and launch actions
ACTIVE_NAMES = frozenset({b"JavaScript", b"JS", b"Launch"})
_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_FLATE_STREAM = re.compile(rb"/FlateDecode.*?stream\r?\n(.*?)endstream", re.S)
#: compressed streams are opened up to this many bytes in all (a zip bomb is refused)
INFLATED_LIMIT = 64 * 1024 * 1024


def _names(data: bytes) -> set[bytes]:
    """The PDF names in ``data``, their #xx escapes decoded (/J#61vaScript is /JavaScript)."""
    return {
        _HEX_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), found)
        for found in _NAME.findall(data)
    }


def _inflated_streams(content: bytes) -> list[bytes] | None:
    """The Flate-compressed streams, opened (object streams can hide dictionaries); None when
    they inflate past ``INFLATED_LIMIT``."""
    opened, total = [], 0
    for raw in _FLATE_STREAM.findall(content):
        try:
            data = zlib.decompressobj().decompress(raw, INFLATED_LIMIT - total + 1)
        except zlib.error:
            continue  # a stream no reader can open runs nothing either
        total += len(data)
        if total > INFLATED_LIMIT:
            return None
        opened.append(data)
    return opened


def active_content(content: bytes) -> bool | None:
    """Whether the PDF holds JavaScript or launch actions, in its objects or in compressed
    object streams; None when its streams inflate past the limit (not judged, so refused)."""
    streams = _inflated_streams(content)
    if streams is None:
        return None
    return any(ACTIVE_NAMES & _names(part) for part in (content, *streams))


def file_problem(
    content: bytes, allowed: tuple[str, ...] | list[str], limit: int
) -> tuple[str | None, FileFormat | None]:
    """Why ``content`` is not an acceptable file in one of the ``allowed`` formats (None if it
    is), and the format it is. Judged by the bytes, never by the file's name or the type the
    browser claims: the one check of every upload."""
    if not content:
        return N_("The file is empty."), None
    if len(content) > limit:
        return N_("The file is larger than %(size)s.", size=human_size(limit)), None
    fmt = recognise(content, allowed)
    if fmt is None:
        if tuple(allowed) == ("pdf",):
            return N_("The file is not a PDF."), None
        names = Series([FORMATS[k].label for k in allowed if k in FORMATS])
        return N_("The file is none of the accepted formats: %(formats)s.", formats=names), None
    if fmt.key == "pdf" and active_content(content) is not False:
        return (
            N_(
                "The PDF contains JavaScript or actions that launch programs, which the Region "
                "cannot accept: save or print it again as a plain PDF."
            ),
            None,
        )
    return None, fmt


def pdf_problem(content: bytes, limit: int) -> str | None:
    """Why ``content`` is not an acceptable PDF (the signed agreement, a reply's documents)."""
    return file_problem(content, ("pdf",), limit)[0]


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
    mark_agreement_signed(user, app)
    flush()
    return document


def attachments_refusal() -> Forbidden:
    return Forbidden(
        "Only the partners, the committee members without a conflict of interest and the "
        "officers see this application's documents.",
        code="not_allowed",
    )


def agreements_of(user, app: Application) -> list[AgreementDocument]:
    """Every agreement uploaded for ``app``, the current (newest) first, without their bytes."""
    if not can_see_attachments(user, app):
        raise attachments_refusal()
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
        raise attachments_refusal()
    document = db.session.get(AgreementDocument, document_id)
    if document is None or document.application_id != app.id:
        raise NotFound(
            N_("No document %(id)s for application %(app)s.", id=document_id, app=app.id)
        )
    return document
