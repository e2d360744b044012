"""How an uploaded document or a dossier is sent: as a download, never shown inline, its type
never guessed."""

from __future__ import annotations

import io

from flask import send_file

from tracker.documents.models import AgreementDocument, AnnexDocument


def _download(content: bytes, mimetype: str, name: str, etag: str | bool = False):
    response = send_file(
        io.BytesIO(content),
        mimetype=mimetype,
        as_attachment=True,
        download_name=name,
        max_age=0,
        etag=etag,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def file_response(document: AgreementDocument | AnnexDocument):
    """An uploaded file, with the type its bytes were recognised as."""
    return _download(document.content, document.content_type, document.filename, document.sha256)


def dossier_response(application, content: bytes):
    """The dossier PDF, named after the application."""
    return _download(content, "application/pdf", f"dossier-{application.id}.pdf")
