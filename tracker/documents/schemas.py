"""The shapes of the documents API: agreements, annexes (see ``tracker.api.schemas`` for the rules)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from pydantic import Field, StrictBool, StrictStr

from tracker.api.schemas import (
    Instant,
    PatchModel,
    RequestModel,
    ResponseModel,
    attribute_of,
    with_fields,
)
from tracker.documents.formats import FORMATS
from tracker.documents.models import AgreementDocument, AnnexDocument

if TYPE_CHECKING:
    from tracker.documents.annexes import AnnexStatus


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


class AnnexTypeIn(RequestModel):
    """An annex the call's applications carry."""

    name: StrictStr = Field(examples=["Scheda di presentazione della filiera"])
    description: StrictStr | None = ""
    required: StrictBool | None = Field(
        True, description="Submission needs it (condition required_annexes_present)."
    )
    formats: list[StrictStr] = Field(
        ["pdf"],
        description="Accepted formats, judged by the file's bytes: " + ", ".join(FORMATS) + ".",
    )
    max_bytes: Annotated[
        int,
        Field(
            strict=True,
            description="The largest file accepted, in bytes (at most the server's ANNEX_MAX_BYTES, 20 MiB by default).",
        ),
    ]
    illustrative: StrictBool | None = Field(
        False, description="Stands in for an annex the call's act does not list in public."
    )


class AnnexTypePatch(PatchModel):
    """Only the fields sent change; files already uploaded stay."""

    name: StrictStr | None = None
    description: StrictStr | None = None
    required: StrictBool | None = None
    formats: list[StrictStr] | None = None
    max_bytes: Annotated[int, Field(strict=True)] | None = None
    illustrative: StrictBool | None = None


class AnnexTypeOut(ResponseModel):
    id: int
    call_id: int
    name: str
    description: str
    required: bool
    formats: list[str] = Field(validation_alias=attribute_of("format_keys"))
    max_bytes: int
    illustrative: bool


class AnnexDocumentOut(ResponseModel):
    id: int
    application_id: int
    annex_id: int
    filename: str
    format: str = Field(description="The format its bytes were recognised as.")
    content_type: str
    size: int = Field(description="Bytes.")
    sha256: str = Field(description="SHA-256 of the file, hex.")
    uploaded_by: str | None = Field(description="Email of who uploaded it.")
    uploaded_at: Instant

    @classmethod
    def of(cls, document: AnnexDocument) -> AnnexDocumentOut:
        uploader = document.uploaded_by
        return cls.model_validate(
            with_fields(document, uploaded_by=uploader.email if uploader else None)
        )


class AnnexStatusOut(ResponseModel):
    annex: AnnexTypeOut
    present: bool
    missing: bool = Field(description="Required and not uploaded: submission waits for it.")
    current: AnnexDocumentOut | None = Field(description="The newest upload.")
    replaced: list[AnnexDocumentOut] = Field(description="Earlier uploads, newest first.")

    @classmethod
    def of(cls, status: AnnexStatus) -> AnnexStatusOut:
        docs = [AnnexDocumentOut.of(d) for d in status.documents]
        return cls(
            annex=AnnexTypeOut.model_validate(status.annex),
            present=bool(docs),
            missing=status.missing,
            current=docs[0] if docs else None,
            replaced=docs[1:],
        )
