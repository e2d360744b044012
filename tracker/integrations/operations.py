"""Everything that changes an integration request or keeps a version of the concept note: the
effects the value-chain workflow names, the lead partner's reply and its documents.

Operations check access, validate, change the rows and flush; they never commit.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import func, select

from tracker.applications.models import Application, HistoryEntry
from tracker.auth.models import User
from tracker.columns import utcnow
from tracker.database import flush
from tracker.documents.operations import (
    PDF_TYPE,
    agreement_limit,
    can_see_attachments,
    clean_filename,
    pdf_problem,
)
from tracker.effects import effect
from tracker.errors import Conflict, Forbidden, NotFound, ValidationFailed
from tracker.extensions import db
from tracker.integrations.models import ConceptNoteVersion, IntegrationDocument, IntegrationRequest
from tracker.signals import state_changed
from tracker.validation import Problems
from workflows.i18n import N_
from workflows.model import CONTENT_KEYS

#: documents a reply may carry: enough for the letters and statements a committee asks for
MAX_DOCUMENTS = 20


# --- what the workflow's transitions do --------------------------------------------------------


def open_request_of(app: Application) -> IntegrationRequest | None:
    """The request not yet closed, read from the database whatever the application's state."""
    return db.session.scalar(
        select(IntegrationRequest).where(
            IntegrationRequest.application_id == app.id, IntegrationRequest.closed_at.is_(None)
        )
    )


@effect("open_integration_request")
def open_integration_request(app: Application, firing, actor) -> None:
    """``request_integration``: the comment is the question, ``reply_by`` its date (the call's
    reply period from today unless the committee chose an earlier one)."""
    number = db.session.scalar(
        select(func.coalesce(func.max(IntegrationRequest.number), 0)).where(
            IntegrationRequest.application_id == app.id
        )
    )
    db.session.add(
        IntegrationRequest(
            application_id=app.id,
            number=number + 1,
            question=firing.comment,
            reply_by=firing.data["reply_by"],
            requested_at=firing.at,
            requested_by_id=actor.id,
        )
    )


@effect("close_integration_request")
def close_integration_request(app: Application, firing, actor) -> None:
    """``resubmit`` answers the open request (its comment is the reply when none was saved);
    ``declare_inadmissible`` and ``withdraw`` close it unanswered. Nothing open: nothing to do."""
    request = open_request_of(app)
    if request is None:
        return
    if not request.reply.strip() and firing.comment and firing.transition.trigger == "resubmit":
        request.reply, request.replied_at, request.replied_by_id = (
            firing.comment,
            firing.at,
            actor.id,
        )
    request.closed_at, request.closed_by = firing.at, firing.transition.trigger


@state_changed.connect_via(Application)
def _keep_version(sender, *, subject, entry, firing, user, **_: Any) -> None:
    """Each submission keeps the concept note as it was handed to the evaluators: the round is
    the number of submissions so far (this one included)."""
    if not firing.transition.submission:
        return
    triggers = [t.trigger for t in subject.definition.transitions if t.submission]
    past = db.session.scalar(
        select(func.count())
        .select_from(HistoryEntry)
        .where(
            HistoryEntry.application_id == subject.id,
            HistoryEntry.trigger.in_(triggers),
            HistoryEntry.seq < entry.seq,
        )
    )
    db.session.add(
        ConceptNoteVersion(
            application_id=subject.id,
            round=past + 1,
            trigger=firing.transition.trigger,
            taken_at=firing.at,
            taken_by_id=user.id,
            title=subject.title,
            thematic_area=subject.thematic_area,
            s3_ecosystem=subject.s3_ecosystem,
            content={key: getattr(subject, key) or "" for key in CONTENT_KEYS},
        )
    )


# --- the lead partner's reply --------------------------------------------------------------------


def _pending_for_reply(user: User, app: Application) -> IntegrationRequest:
    """The open request ``user`` may answer: the lead partner's, while it is open."""
    roles = app.roles_of(user)
    if "lead" not in roles:
        raise Forbidden(
            "Only the lead partner replies to the committee's question.", code="not_allowed"
        )
    request = app.pending_integration
    if request is None:
        raise Conflict(
            N_("No integration request awaits a reply on this application."),
            code="no_pending_integration",
        )
    return request


def save_reply(user: User, app: Application, reply: Any) -> IntegrationRequest:
    """The lead partner writes (or rewrites) the reply; it reaches the committee on ``resubmit``."""
    request = _pending_for_reply(user, app)
    p = Problems()
    text = p.text("reply", reply, N_("Reply"), max_len=20000)
    p.raise_if_any()
    request.reply, request.replied_at, request.replied_by_id = text, utcnow(), user.id
    flush()
    return request


def attach_document(
    user: User, app: Application, filename: str | None, content: bytes
) -> IntegrationDocument:
    """The lead partner attaches a PDF to the reply (judged as the signed agreement is: by its
    bytes, no larger than AGREEMENT_MAX_BYTES)."""
    request = _pending_for_reply(user, app)
    if problem := pdf_problem(content, agreement_limit()):
        raise ValidationFailed.fields({"file": problem})
    if len(request.documents) >= MAX_DOCUMENTS:
        raise ValidationFailed.fields(
            {"file": N_("A reply carries at most %(max)s documents.", max=MAX_DOCUMENTS)}
        )
    document = IntegrationDocument(
        filename=clean_filename(filename),
        content_type=PDF_TYPE,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        uploaded_by_id=user.id,
    )
    request.documents.append(document)
    flush()
    return document


def remove_document(user: User, app: Application, document_id: int) -> None:
    """The lead partner takes a document back before resubmitting."""
    request = _pending_for_reply(user, app)
    document = next((d for d in request.documents if d.id == document_id), None)
    if document is None:
        raise NotFound(N_("No document %(id)s in the reply awaiting resubmission.", id=document_id))
    request.documents.remove(document)
    flush()


# --- reading -------------------------------------------------------------------------------------


def may_see_reply(user, app: Application, request: IntegrationRequest) -> bool:
    """The partners see the reply as it is written; the committee and the officers once it is
    sent with the resubmission (a reply in progress is the applicants' own)."""
    roles = app.roles_of(user)
    return "partner" in roles or (not request.pending and can_see_attachments(user, app))


def get_document(user, app: Application, document_id: int) -> IntegrationDocument:
    """One document of a reply of ``app``, with its bytes: 404 when it is not ``app``'s or not
    yet visible to ``user`` (a reply still being written is the partners' only)."""
    document = db.session.get(IntegrationDocument, document_id)
    if document is not None and document.request.application_id == app.id:
        if not can_see_attachments(user, app):
            raise Forbidden(
                "Only the partners, the committee members without a conflict of interest and "
                "the officers see this application's documents.",
                code="not_allowed",
            )
        if may_see_reply(user, app, document.request):
            return document
    raise NotFound(N_("No document %(id)s for application %(app)s.", id=document_id, app=app.id))
