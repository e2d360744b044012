"""The shape of an agreement document in the API (see ``tracker.api.schemas`` for the rules)."""

from __future__ import annotations

from pydantic import Field

from tracker.api.schemas import Instant, ResponseModel, with_fields
from tracker.documents.models import AgreementDocument


class AgreementDocumentOut(ResponseModel):
    id: int
    application_id: int
    filename: str
    content_type: str = Field(examples=["application/pdf"])
    size: int = Field(description="Bytes.")
    sha256: str = Field(description="SHA-256 of the file, hex.")
    uploaded_by: str | None = Field(description="Email of who uploaded it.")
    uploaded_at: Instant

    @classmethod
    def of(cls, document: AgreementDocument) -> AgreementDocumentOut:
        uploader = document.uploaded_by
        return cls.model_validate(
            with_fields(document, uploaded_by=uploader.email if uploader else None)
        )
