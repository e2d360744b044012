"""The annexes of a call: officers define them (name, required or optional, formats, largest
size); the lead partner uploads them to an application while it is editable, each new file of
an annex replacing the last (earlier ones stay listed); those who may see the application's
documents download them. Files are judged by ``file_problem``, as the signed agreement is.

Operations check access, validate, change the rows and flush; they never commit.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flask import current_app
from sqlalchemy import delete as sa_delete
from sqlalchemy import select

from tracker.applications.models import Application
from tracker.auth.models import User
from tracker.calls.models import Call
from tracker.database import flush
from tracker.documents.formats import FORMATS
from tracker.documents.models import AnnexDocument, AnnexType
from tracker.documents.operations import (
    attachments_refusal,
    can_see_attachments,
    clean_filename,
    file_problem,
    human_size,
)
from tracker.errors import Conflict, Forbidden, NotFound, TrackerError, ValidationFailed
from tracker.extensions import db
from tracker.validation import Problems
from workflows.i18n import N_, term

MIB = 1024 * 1024
#: the largest annex any call may allow (setting ANNEX_MAX_BYTES): the body limit of the
#: upload routes, above which a request is refused before it is read
DEFAULT_CEILING = 20 * MIB
CONDITION = "required_annexes_present"


class FileTooLarge(TrackerError):
    """413: the file is larger than its annex allows (the body itself was within the routes'
    limit)."""

    status, code = 413, "file_too_large"


def annex_ceiling() -> int:
    return int(current_app.config.get("ANNEX_MAX_BYTES") or DEFAULT_CEILING)


def takes_annexes(call: Call) -> bool:
    """Whether the call's workflow checks its annexes at submission (value chains, measures)."""
    return call.workflow_definition.uses_condition(CONDITION)


def can_define_annexes(user, call: Call) -> bool:
    return (
        bool(getattr(user, "is_authenticated", False))
        and user.has_role("officer")
        and takes_annexes(call)
    )


def _definer_check(user, call: Call) -> None:
    if not getattr(user, "is_authenticated", False) or not user.has_role("officer"):
        raise Forbidden("Only Region officers define a call's annexes.", code="role_not_allowed")
    if not takes_annexes(call):
        raise Conflict(
            N_("Applications under this call carry no annexes (its workflow does not check them)."),
            code="no_annexes",
        )


# --- defining them (officers) -------------------------------------------------------------------


def _formats(p: Problems, value: Any) -> str:
    keys = value.split(",") if isinstance(value, str) else value
    if (
        not isinstance(keys, list)
        or not keys
        or not all(isinstance(k, str) and k.strip() in FORMATS for k in keys)
    ):
        p["formats"] = N_(
            "Formats must name at least one of: %(formats)s.", formats=", ".join(FORMATS)
        )
        return ""
    chosen = {k.strip() for k in keys}
    return ",".join(k for k in FORMATS if k in chosen)  # in the formats' own order, once each


def _max_bytes(p: Problems, fields: dict[str, Any]) -> int | None:
    ceiling = annex_ceiling()
    if "max_mb" in fields and "max_bytes" not in fields:  # the page's form speaks megabytes
        mb = p.decimal("max_mb", fields["max_mb"], N_("Maximum size (MB)"), minimum=Decimal("0.01"))
        if mb is None:
            return None
        if mb * MIB > ceiling:
            p["max_mb"] = N_("An annex may be at most %(size)s.", size=human_size(ceiling))
            return None
        return int(mb * MIB)
    return p.integer(
        "max_bytes", fields.get("max_bytes"), N_("Maximum size (bytes)"), minimum=1, maximum=ceiling
    )


def _flag(p: Problems, name: str, value: Any, default: bool) -> bool:
    if value is None:
        return default
    if not isinstance(value, bool):
        p[name] = N_("%(name)s must be true or false.", name=name)
        return default
    return value


def _duplicate(call: Call, name: str, annex_id: int | None = None) -> None:
    if any(a.name.casefold() == name.casefold() and a.id != annex_id for a in call.annexes):
        raise Conflict(
            N_("This call already has an annex named '%(name)s'.", name=name), code="duplicate"
        )


def define_annex(user: User, call: Call, fields: dict[str, Any]) -> AnnexType:
    """A Region officer adds an annex to the call; 409 on a name the call already uses."""
    _definer_check(user, call)
    p = Problems()
    name = p.text("name", fields.get("name"), N_("Name"), max_len=200)
    description = p.text(
        "description", fields.get("description"), N_("Description"), max_len=2000, required=False
    )
    formats = _formats(p, fields.get("formats", ["pdf"]))
    max_bytes = _max_bytes(p, fields)
    required = _flag(p, "required", fields.get("required"), True)
    illustrative = _flag(p, "illustrative", fields.get("illustrative"), False)
    p.raise_if_any()
    _duplicate(call, name)
    annex = AnnexType(
        call_id=call.id, name=name, description=description, required=required,
        formats=formats, max_bytes=max_bytes, illustrative=illustrative,
        position=len(call.annexes), created_by_id=user.id,
    )  # fmt: skip
    db.session.add(annex)
    flush()
    db.session.expire(call, ["annexes"])
    return annex


def update_annex(user: User, annex: AnnexType, fields: dict[str, Any]) -> AnnexType:
    """A Region officer changes an annex: only the fields sent. Files already uploaded stay."""
    _definer_check(user, annex.call)
    p, changes = Problems(), {}
    if "name" in fields:
        changes["name"] = p.text("name", fields["name"], N_("Name"), max_len=200)
    if "description" in fields:
        changes["description"] = p.text(
            "description", fields["description"], N_("Description"), max_len=2000, required=False
        )
    if "formats" in fields:
        changes["formats"] = _formats(p, fields["formats"])
    if "max_bytes" in fields or "max_mb" in fields:
        changes["max_bytes"] = _max_bytes(p, fields)
    for flag in ("required", "illustrative"):
        if flag in fields:
            changes[flag] = _flag(p, flag, fields[flag], getattr(annex, flag))
    p.raise_if_any()
    _duplicate(annex.call, changes.get("name", annex.name), annex.id)
    for name, value in changes.items():
        setattr(annex, name, value)
    flush()
    return annex


def remove_annex(user: User, annex: AnnexType) -> None:
    """A Region officer removes an annex no application has uploaded (409 otherwise: files
    handed in are never lost; make it optional instead)."""
    _definer_check(user, annex.call)
    used = db.session.scalar(select(AnnexDocument.id).where(AnnexDocument.annex_id == annex.id))
    if used is not None:
        raise Conflict(
            N_(
                "Applications have uploaded '%(name)s': it cannot be removed, but it can be made "
                "optional.",
                name=annex.name,
            ),
            code="annex_in_use",
        )
    call = annex.call
    # an annex type, never a subject: nothing of an application's history goes with it
    db.session.execute(sa_delete(AnnexType).where(AnnexType.id == annex.id))
    db.session.expunge(annex)
    db.session.expire(call, ["annexes"])


def get_annex(call: Call, annex_id: int) -> AnnexType:
    annex = db.session.get(AnnexType, annex_id)
    if annex is None or annex.call_id != call.id:
        raise NotFound(N_("No annex %(id)s in call %(call)s.", id=annex_id, call=call.id))
    return annex


# --- uploading them (the lead partner) ----------------------------------------------------------


def can_upload_annexes(user, app: Application) -> bool:
    """The lead partner, while the application is editable (who manages the partnership)."""
    return app.can_manage_partnership(user)


def _upload_refusal(user, app: Application) -> TrackerError:
    if "lead" in app.roles_of(user):
        return Conflict(
            N_("Annexes cannot be uploaded while '%(state)s'.", state=term(app.state_info.title)),
            code="not_editable",
        )
    return Forbidden("Only the lead partner uploads the annexes.", code="not_lead")


def upload_annex(
    user: User, app: Application, annex_id: int, filename: str | None, content: bytes
) -> AnnexDocument:
    """The lead partner uploads a file for one of the call's annexes: judged by its bytes (422
    for a format the annex does not accept, 413 above its size); it becomes the annex's current
    file, earlier ones stay listed."""
    if not can_upload_annexes(user, app):
        raise _upload_refusal(user, app)
    annex = get_annex(app.call, annex_id)
    problem, fmt = file_problem(content, annex.format_keys, annex.max_bytes)
    if problem is not None:
        error = FileTooLarge if len(content) > annex.max_bytes else ValidationFailed
        raise error(problem, {"fields": {"file": problem}})
    document = AnnexDocument(
        annex_id=annex.id,
        filename=clean_filename(filename, fmt.extension, fallback="annex"),
        format=fmt.key,
        content_type=fmt.content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        uploaded_by_id=user.id,
    )
    app.annex_documents.append(document)
    flush()
    return document


# --- reading them -------------------------------------------------------------------------------


@dataclass
class AnnexStatus:
    """One annex of the call as an application has it: its files, the current (newest) first."""

    annex: AnnexType
    documents: list[AnnexDocument] = field(default_factory=list)

    @property
    def current(self) -> AnnexDocument | None:
        return self.documents[0] if self.documents else None

    @property
    def missing(self) -> bool:
        return self.annex.required and self.current is None


def annex_statuses(app: Application) -> list[AnnexStatus]:
    """Every annex of the call, in order, with what the application uploaded for it (no access
    check: callers check)."""
    by_annex: dict[int, list[AnnexDocument]] = {}
    for document in reversed(app.annex_documents):
        by_annex.setdefault(document.annex_id, []).append(document)
    return [AnnexStatus(a, by_annex.get(a.id, [])) for a in app.call.annexes]


def annexes_of(user, app: Application) -> list[AnnexStatus]:
    """The annexes as ``user`` may see them: the partners, the committee's members without a
    conflict of interest, and officers; 403 to anyone else."""
    if not can_see_attachments(user, app):
        raise attachments_refusal()
    return annex_statuses(app)


def get_annex_document(user, app: Application, document_id: int) -> AnnexDocument:
    """One annex file of ``app`` with its bytes: 403 first to those who may not see the
    application's documents, 404 if it is not ``app``'s."""
    if not can_see_attachments(user, app):
        raise attachments_refusal()
    document = db.session.get(AnnexDocument, document_id)
    if document is None or document.application_id != app.id:
        raise NotFound(
            N_("No annex file %(id)s for application %(app)s.", id=document_id, app=app.id)
        )
    return document
