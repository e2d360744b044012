"""How an uploaded document is sent: as a download, never shown inline, its type never guessed."""

from __future__ import annotations

import io

from flask import send_file

from tracker.documents.models import AgreementDocument


def pdf_response(document: AgreementDocument):
    """The file as a download, never displayed inline, its type never guessed."""
    response = send_file(
        io.BytesIO(document.content),
        mimetype=document.content_type,
        as_attachment=True,
        download_name=document.filename,
        max_age=0,
        etag=document.sha256,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
