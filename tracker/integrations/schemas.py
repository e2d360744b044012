"""The shapes of the integration requests and concept-note versions in the API (see
``tracker.api.schemas`` for the rules)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from pydantic import Field, StrictStr

from tracker.api.schemas import Instant, RequestModel, ResponseModel, with_fields

if TYPE_CHECKING:
    from tracker.integrations.models import (
        ConceptNoteVersion,
        IntegrationDocument,
        IntegrationRequest,
    )


class ReplyIn(RequestModel):
    reply: StrictStr = Field(description="The lead partner's answer to the committee's question.")


class IntegrationDocumentOut(ResponseModel):
    id: int
    filename: str
    content_type: str = Field(examples=["application/pdf"])
    size: int = Field(description="Bytes.")
    sha256: str = Field(description="SHA-256 of the file, hex.")
    uploaded_at: Instant

    @classmethod
    def of(cls, document: IntegrationDocument) -> IntegrationDocumentOut:
        return cls.model_validate(document)


class IntegrationRequestOut(ResponseModel):
    id: int
    number: int = Field(description="The first, second... request on this application.")
    question: str
    requested_at: Instant
    reply_by: dt.date
    days_left: int = Field(description="Days until the reply date; negative once past.")
    overdue: bool = Field(description="Still unanswered after its reply date.")
    pending: bool = Field(description="Awaiting the resubmission that answers it.")
    reply: str | None = Field(
        description="The lead partner's reply: to the partners as it is written, to the "
        "committee and officers once resubmitted; null to those who may not see it yet."
    )
    replied_at: Instant | None
    documents: list[IntegrationDocumentOut] = Field(
        description="PDFs attached to the reply (the same visibility as the reply)."
    )
    closed_at: Instant | None
    closed_by: str | None = Field(
        description="resubmit (answered), declare_inadmissible or withdraw; null while pending."
    )

    @classmethod
    def of(cls, request: IntegrationRequest, *, reply_visible: bool) -> IntegrationRequestOut:
        return cls.model_validate(
            with_fields(
                request,
                days_left=request.days_left(),
                reply=request.reply if reply_visible else None,
                replied_at=request.replied_at if reply_visible else None,
                documents=[IntegrationDocumentOut.of(d) for d in request.documents]
                if reply_visible
                else [],
            )
        )


class VersionOut(ResponseModel):
    round: int = Field(description="1 for the first submission, 2 for the next resubmission...")
    trigger: str = Field(examples=["resubmit"])
    taken_at: Instant
    title: str
    thematic_area: str | None
    s3_ecosystem: str | None
    concept_note: dict[str, str] = Field(
        description="The concept note's parts by key (challenges, needs, objectives...)."
    )
    changed: list[str] | None = Field(
        description="The fields that differ from the round before (title, thematic_area, "
        "concept-note keys); null when that round was not kept."
    )

    @classmethod
    def of(cls, version: ConceptNoteVersion, changed: list[str] | None) -> VersionOut:
        return cls.model_validate(
            with_fields(version, concept_note=dict(version.content or {}), changed=changed)
        )
