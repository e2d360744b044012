"""Everything that changes an application: the pages and the API both call these.

Operations check access, validate, change the rows and flush; they never commit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from tracker.applications.models import (
    CONCEPT_NOTE_FIELDS,
    Application,
    HistoryEntry,
    Partner,
    seconds_between,
)
from tracker.auth.models import User
from tracker.calls.models import Call
from tracker.database import STALE, conflicts_as_409, flush
from tracker.effects import run_effects
from tracker.errors import Conflict, Forbidden, NotFound, ValidationFailed, from_workflow
from tracker.extensions import db
from tracker.organisations.models import Organisation
from tracker.params import is_id
from tracker.reference import THEMATIC_AREAS
from tracker.types import utcnow
from tracker.validation import Problems
from workflows import Context, Option, WorkflowError, get_engine

EDITABLE_FIELDS = ("title", "thematic_area", *CONCEPT_NOTE_FIELDS)


def get_application(application_id: int, user: User, *, for_update: bool = False) -> Application:
    """Load an application the user may see: 404 when it does not exist, 403 when not theirs."""
    query = (
        select(Application)
        .where(Application.id == application_id)
        .options(selectinload(Application.partners), selectinload(Application.reviews))
    )
    if for_update:
        query = query.execution_options(populate_existing=True)
    app = db.session.scalar(query)
    if app is None:
        raise NotFound(f"No application {application_id}.")
    if not app.can_view(user):
        raise Forbidden("You may not see this application.", code="not_allowed")
    return app


def check_version(app: Application, expected: Any) -> None:
    """Optimistic locking from the client's side: it acted on what it saw."""
    if expected is None or expected == "":
        return
    try:
        expected = int(expected)
    except (TypeError, ValueError) as err:
        raise ValidationFailed.fields({"version": "version must be a whole number."}) from err
    if expected != app.version:
        raise Conflict(STALE, {"current_version": app.version}, code="stale_version")


def _content(p: Problems, fields: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if not partial or "title" in fields:
        out["title"] = p.text("title", fields.get("title"), "Title", max_len=300)
    if not partial or "thematic_area" in fields:
        out["thematic_area"] = p.choice(
            "thematic_area",
            fields.get("thematic_area"),
            "Thematic area",
            THEMATIC_AREAS,
            required=False,
        )
    note = fields.get("concept_note")
    if note is not None and not isinstance(note, dict):
        p["concept_note"] = (
            "The concept note is an object with challenges, needs, objectives, actions, investments."
        )
        note = {}
    note = {**{k: fields[k] for k in CONCEPT_NOTE_FIELDS if k in fields}, **(note or {})}
    for key, label in CONCEPT_NOTE_FIELDS.items():
        if key in note:
            out[key] = p.text(key, note[key], label, max_len=20000, required=False)
    if "requested_amount" in fields:
        out["requested_amount"] = p.decimal(
            "requested_amount", fields["requested_amount"], "Requested amount", required=False
        )
    return out


def create_application(
    user: User, call: Call, fields: dict[str, Any], *, at: dt.datetime | None = None
) -> Application:
    """A lead partner opens a draft under a call; its organisation becomes the lead partner.

    ``at`` backdates the creation (demo data replaying 2022); everything else acts now.
    """
    now = utcnow() if at is None else at
    if not user.has_role("applicant") or user.organisation_id is None:
        raise Forbidden(
            "Only applicants belonging to an organisation can apply.", code="role_not_allowed"
        )
    lead_id = fields.get("lead_organisation_id") or user.organisation_id
    if lead_id != user.organisation_id:
        raise Forbidden(
            "You can only apply with your own organisation as the lead partner.", code="not_allowed"
        )
    if not call.is_open(now):
        raise ValidationFailed(
            "This call is not open for applications.",
            {"unmet": [{"condition": "call_open", "message": "The call is not open."}]},
            code="conditions_unmet",
        )
    p = Problems()
    content = _content(p, fields, partial=False)
    lead_role = p.text(
        "lead_role", fields.get("lead_role") or "Lead partner (capofila)", "Lead role", max_len=200
    )
    p.raise_if_any()
    app = Application(
        call=call,
        workflow=call.workflow,
        lead_organisation_id=lead_id,
        created_by_id=user.id,
        created_at=now,
        updated_at=now,
        state_entered_at=now,
        **content,
    )
    get_engine(call.workflow).initialise(app)
    app.partners.append(
        Partner(
            organisation_id=lead_id,
            role=lead_role,
            added_at=now,
        )
    )
    db.session.add(app)
    flush()
    return app


def update_application(
    user: User, app: Application, fields: dict[str, Any], expected_version: Any = None
) -> Application:
    if not app.can_edit(user):
        raise _edit_refusal(user, app)
    check_version(app, expected_version)
    p = Problems()
    changes = _content(p, fields, partial=True)
    p.raise_if_any()
    for key, value in changes.items():
        setattr(app, key, value)
    flush()
    return app


def _edit_refusal(user: User, app: Application) -> Exception:
    if "partner" in app.roles_of(user):
        return Conflict(
            f"The application cannot be changed while '{app.state_info.title}'.",
            code="not_editable",
        )
    return Forbidden("Only the partners of this application may change it.", code="not_allowed")


def add_partner(
    user: User, app: Application, organisation_id: Any, role: Any, commitments: Any = ""
) -> Partner:
    """The lead adds a partner; the signed agreement no longer covers everyone, so it is reset."""
    if not app.can_manage_partnership(user):
        raise _partnership_refusal(user, app)
    p = Problems()
    if not is_id(organisation_id):
        p["organisation_id"] = "organisation_id must be an organisation's numeric id."
    role = p.text("role", role, "Role", max_len=200)
    commitments = p.text("commitments", commitments, "Commitments", max_len=5000, required=False)
    p.raise_if_any()
    org = db.session.get(Organisation, organisation_id)
    if org is None:
        raise ValidationFailed.fields({"organisation_id": f"No organisation {organisation_id}."})
    if app.partner_for(org.id):
        raise Conflict(f"{org.name} is already a partner.", code="duplicate")
    partner = Partner(organisation_id=org.id, role=role, commitments=commitments)
    app.partners.append(partner)
    _agreement_reset(app)
    flush()
    return partner


def remove_partner(user: User, app: Application, organisation_id: int) -> None:
    if not app.can_manage_partnership(user):
        raise _partnership_refusal(user, app)
    partner = app.partner_for(organisation_id)
    if partner is None:
        raise NotFound(f"Organisation {organisation_id} is not a partner of this application.")
    if partner.is_lead:
        raise ValidationFailed.fields({"organisation_id": "The lead partner cannot be removed."})
    app.partners.remove(partner)
    _agreement_reset(app)
    flush()


def record_agreement(user: User, app: Application, signed: Any) -> Application:
    """The lead records that every partner signed the project agreement (or takes it back)."""
    if not app.can_manage_partnership(user):
        raise _partnership_refusal(user, app)
    if not isinstance(signed, bool):
        raise ValidationFailed.fields({"signed": "signed must be true or false."})
    if signed:
        app.agreement_signed_at, app.agreement_signed_by_id = utcnow(), user.id
    else:
        _agreement_reset(app)
    flush()
    return app


def _agreement_reset(app: Application) -> None:
    app.agreement_signed_at = None
    app.agreement_signed_by_id = None


def _partnership_refusal(user: User, app: Application) -> Exception:
    if "lead" in app.roles_of(user):
        return Conflict(
            f"The partnership cannot be changed while '{app.state_info.title}'.",
            code="not_editable",
        )
    return Forbidden("Only the lead partner manages the partnership.", code="not_allowed")


def context_for(user: User, app: Application) -> Context:
    return Context(roles=app.roles_of(user), now=utcnow())


def available_transitions(user: User, app: Application) -> list[Option]:
    return get_engine(app.workflow).options(app, context_for(user, app))


def fire_transition(
    user: User,
    app: Application,
    trigger: Any,
    *,
    comment: Any = "",
    data: Any = None,
    expected_version: Any = None,
    at: dt.datetime | None = None,
) -> HistoryEntry:
    """Fire ``trigger`` as ``user``: the state change, its effects and its history row, together.

    ``at`` backdates the change (demo data replaying 2022); everything else acts now.
    """
    if not isinstance(trigger, str) or not trigger:
        raise ValidationFailed.fields({"trigger": "trigger is required."})
    if comment is not None and not isinstance(comment, str):
        raise ValidationFailed.fields({"comment": "comment must be text."})
    if data is not None and not isinstance(data, dict):
        raise ValidationFailed.fields({"data": "data must be an object."})
    if comment and len(comment) > 10000:
        raise ValidationFailed.fields({"comment": "comment must be at most 10000 characters."})
    check_version(app, expected_version)
    now = utcnow() if at is None else at
    # Read before anything changes, so no autoflush splits the change into two UPDATEs.
    seq = _next_seq(app)
    try:
        ctx = Context(roles=app.roles_of(user), now=now)
        firing = get_engine(app.workflow).fire(app, trigger, ctx, comment or "", data)
    except WorkflowError as err:
        raise from_workflow(err) from err
    if firing.transition.submission and app.submitted_at is None:
        app.submitted_at = now
    # Queries below autoflush the versioned UPDATE: a lost race surfaces here, as a 409.
    with conflicts_as_409():
        entry = HistoryEntry(
            application_id=app.id,
            seq=seq,
            at=now,
            actor_id=user.id,
            trigger=firing.transition.trigger,
            from_state=firing.from_state,
            to_state=firing.to_state,
            comment=firing.comment,
            data=firing.data_as_json(),
            seconds_in_from_state=seconds_between(app.state_entered_at, now),
        )
        app.state_entered_at = now
        db.session.add(entry)  # before the effects, whose queries may autoflush
        run_effects(app, firing, user)
        db.session.flush()
    return entry


def _next_seq(app: Application) -> int:
    last = db.session.scalar(
        select(func.max(HistoryEntry.seq)).where(HistoryEntry.application_id == app.id)
    )
    return (last or 0) + 1
