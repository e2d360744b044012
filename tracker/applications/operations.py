"""Everything that changes an application: the pages and the API both call these.

Operations check access, validate, change the rows and flush; they never commit.
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import bindparam, delete, exists, select
from sqlalchemy.orm import joinedload, selectinload

from tracker.applications.models import (
    CONCEPT_NOTE_FIELDS,
    Application,
    DeletedDraft,
    Partner,
)
from tracker.ateco import SECTIONS
from tracker.auth.models import User
from tracker.calls.models import Call, CallWindow
from tracker.columns import utcnow
from tracker.database import flush
from tracker.effects import check_extra_fields
from tracker.errors import Conflict, Forbidden, NotFound, ValidationFailed
from tracker.extensions import db
from tracker.firing import chain_head_columns, check_version, options, remember_chain_head
from tracker.firing import fire_transition as fire_transition  # one firing path for every subject
from tracker.measures.grant import refresh_requested_amount
from tracker.measures.operations import check_sent_request, spend_value
from tracker.organisations.models import Organisation
from tracker.reference import S3_ECOSYSTEMS, THEMATIC_AREAS
from tracker.signals import subject_created, subject_deleted
from tracker.validation import Problems, is_id
from workflows import Option, get_engine
from workflows.conditions import local_date
from workflows.i18n import N_, term


def get_application(application_id: int, user: User, *, for_change: bool = False) -> Application:
    """Load an application the user may see: 404 when it does not exist, 403 when not theirs.

    ``for_change``: it is loaded to be changed, so it is read afresh from the database (the
    version a change checks is the stored one, not a copy the session kept). Nothing is locked:
    locking is optimistic, the versioned UPDATE refuses a change made meanwhile (409)."""
    result = db.session.execute(_application_query(for_change), {"application_id": application_id})
    if for_change:
        row = result.unique().first()
        app = row[0] if row is not None else None
        if app is not None:
            remember_chain_head(app, row.head_seq, row.head_hash)
    else:
        app = result.unique().scalar()
    if app is None:
        raise NotFound(N_("No application %(id)s.", id=application_id))
    if not app.can_view(user):
        raise Forbidden("You may not see this application.", code="not_allowed")
    return app


@functools.cache
def _application_query(for_change: bool):
    """The read of one application (``application_id``): built once per process, as every
    page, answer and transition reads one."""
    query = (
        select(Application)
        .where(Application.id == bindparam("application_id"))
        .options(
            # with the row: what every page, answer and transition reads of it
            joinedload(Application.call),
            joinedload(Application.label),
            joinedload(Application.window),
            # its thematic areas (one to three rows), which every answer and page shows
            joinedload(Application.area_rows),
            selectinload(Application.partners),
            selectinload(Application.reviews),
            selectinload(Application.declarations),
        )
    )
    if not for_change:
        return query
    # with the head of its history chain, which the change extends: a statement fewer
    query = query.add_columns(*chain_head_columns(Application))
    return query.execution_options(populate_existing=True)


def _content(
    p: Problems,
    fields: dict[str, Any],
    *,
    partial: bool,
    window: CallWindow | None,
    areas_now: list[str] = (),
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if not partial or "title" in fields:
        out["title"] = p.text("title", fields.get("title"), "Title", max_len=300)
    areas = _thematic_areas(p, fields, window, list(areas_now), partial=partial)
    if areas is not None:
        out["thematic_areas"] = areas
    if not partial or "ateco_section" in fields:
        out["ateco_section"] = p.choice(
            "ateco_section",
            fields.get("ateco_section"),
            "Sector (ATECO 2025 section)",
            SECTIONS,
            required=False,
        )
    if not partial or "s3_ecosystem" in fields:
        out["s3_ecosystem"] = p.choice(
            "s3_ecosystem",
            fields.get("s3_ecosystem"),
            "S3 ecosystem",
            S3_ECOSYSTEMS,
            required=False,
        )
    note = fields.get("concept_note")
    if note is not None and not isinstance(note, dict):
        p["concept_note"] = N_(
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


def _thematic_areas(
    p: Problems,
    fields: dict[str, Any],
    window: CallWindow | None,
    areas_now: list[str],
    *,
    partial: bool,
) -> list[str] | None:
    """The areas named, main first, each among the window's (None: a PATCH leaves them).
    ``thematic_area`` alone (clients from before the list) sets the main one, keeping others."""
    first = fields.get("thematic_area")
    if "thematic_areas" in fields:
        raw = fields["thematic_areas"]
        raw = [] if raw is None else raw
        if not isinstance(raw, list) or not all(isinstance(a, str) for a in raw):
            p["thematic_areas"] = N_("A list of thematic area codes.")
            return None
        if first not in (None, "") and raw and first != raw[0]:
            p["thematic_area"] = N_("thematic_area is the first of thematic_areas.")
    elif "thematic_area" in fields:
        raw = [first, *(a for a in areas_now if a != first)] if first else areas_now[1:]
    elif partial:
        return None
    else:
        raw = []
    raw = list(dict.fromkeys(a for a in raw if a))
    unknown = [a for a in raw if a not in THEMATIC_AREAS]
    offered = set(window.thematic_areas) if window is not None else set(THEMATIC_AREAS)
    outside = [a for a in raw if a in THEMATIC_AREAS and a not in offered]
    key = "thematic_areas" if "thematic_areas" in fields else "thematic_area"
    if unknown:
        p[key] = N_("Unknown thematic areas: %(areas)s.", areas=", ".join(unknown))
    elif outside:
        p[key] = N_(
            "Not among the thematic areas of the call's window %(number)s: %(areas)s.",
            number=window.number,
            areas=", ".join(outside),
        )
    return raw


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
            {"unmet": [{"condition": "call_open", "message": N_("The call is not open.")}]},
            code="conditions_unmet",
        )
    p = Problems()
    window = call.window_on(local_date(now))
    content = _content(p, fields, partial=False, window=window)
    content |= check_extra_fields(call.workflow, p, call, lead_id, fields, partial=False)
    # support measures: the lead's spend, and a request sent where the measure computes it
    lead_spend = content.pop("lead_eligible_spend", None)
    sent_request = content.pop("sent_requested_amount", None)
    lead_role = p.text(
        "lead_role", fields.get("lead_role") or "Lead partner (capofila)", "Lead role", max_len=200
    )
    p.raise_if_any()
    areas = content.pop("thematic_areas")
    app = Application(
        call=call,
        window=window,
        workflow=call.workflow,
        lead_organisation_id=lead_id,
        created_by_id=user.id,
        created_at=now,
        updated_at=now,
        state_entered_at=now,
        **content,
    )
    app.thematic_areas = areas
    get_engine(call.workflow).initialise(app)
    app.partners.append(
        Partner(
            organisation_id=lead_id,
            role=lead_role,
            added_at=now,
            eligible_spend=lead_spend,
        )
    )
    db.session.add(app)
    flush()
    _request_follows_spend(app, sent_request)
    subject_created.send(type(app), subject=app, user=user)
    flush()
    return app


#: how long a second identical draft is taken for the first one sent again (Back, then Create)
REPEAT_WINDOW = dt.timedelta(minutes=30)


def repeated_draft(user: User, call: Call, fields: dict[str, Any]) -> Application | None:
    """The draft ``user`` created under ``call`` moments ago with exactly this content and
    never changed since, if any: creating it again would make a twin (the page sends there)."""
    since = utcnow() - REPEAT_WINDOW
    candidates = db.session.scalars(
        select(Application).where(
            Application.created_by_id == user.id,
            Application.call_id == call.id,
            Application.created_at >= since,
            Application.version == 1,
            Application.title == str(fields.get("title") or "").strip(),
        )
    ).all()
    p = Problems()
    wanted = _content(p, fields, partial=False, window=call.current_window)
    wanted |= {k: v for k, v in fields.items() if k in ("requested_amount", "value_chain_id") and v}
    for app in candidates:
        if app.state != app.definition.initial or app.submitted_at is not None:
            continue
        if all(_same(getattr(app, k, None), v) for k, v in wanted.items()):
            return app
    return None


def _same(stored: Any, typed: Any) -> bool:
    if stored in (None, "") and typed in (None, ""):
        return True
    return (
        str(stored) == str(typed) if not isinstance(stored, Decimal) else _decimal_eq(stored, typed)
    )


def _decimal_eq(stored: Decimal, typed: Any) -> bool:
    try:
        return stored == Decimal(str(typed))
    except (InvalidOperation, ValueError):
        return False


def delete_draft(user: User, app: Application) -> DeletedDraft:
    """The lead partner deletes a draft never submitted: it had no history (nothing was ever
    fired on it), so no hash chain is touched; ``deleted_drafts`` records what it was, who
    deleted it and when. What hangs on it by a cascading key (its partners, uploaded
    documents) goes with it; anything else pointing at it (a support application naming it
    as its value chain) makes it a 409."""
    if "lead" not in app.roles_of(user):
        raise Forbidden("Only the lead partner may delete its draft.", code="not_allowed")
    if not app.deletable:
        raise Conflict(
            N_(
                "Only a draft never submitted can be deleted; this application is '%(state)s'.",
                state=term(app.state_info.title),
            ),
            code="not_deletable",
        )
    _refuse_if_referenced(app)
    record = DeletedDraft(
        application_id=app.id, call_id=app.call_id, lead_organisation_id=app.lead_organisation_id,
        title=app.title, created_at=app.created_at, created_by_id=app.created_by_id,
        deleted_by_id=user.id,
    )  # fmt: skip
    db.session.add(record)
    subject_deleted.send(type(app), subject=app, user=user)
    for column in _cascading_keys():
        db.session.execute(delete(column.table).where(column == app.id))
    db.session.delete(app)
    flush()
    return record


def _keys_to_applications():
    for table in db.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column is Application.__table__.c.id and table is not Application.__table__:
                yield fk


def _cascading_keys():
    """Columns of other tables that go with an application (ON DELETE CASCADE), history aside:
    SQLite enforces no foreign key, so they are deleted here on every database."""
    return [
        fk.parent
        for fk in _keys_to_applications()
        if fk.ondelete == "CASCADE" and fk.parent.table.name not in ("history", "partners")
    ]


def _refuse_if_referenced(app: Application) -> None:
    others = [fk.parent for fk in _keys_to_applications() if fk.ondelete != "CASCADE"]
    others.append(Application.__table__.c.value_chain_id)
    for column in dict.fromkeys(others):
        if db.session.scalar(select(exists().where(column == app.id))):
            raise Conflict(
                N_("This draft cannot be deleted: another record refers to it (%(what)s).",
                   what=column.table.name),
                code="referenced",
            )  # fmt: skip


def _request_follows_spend(app: Application, sent: Any = None) -> None:
    """Under a measure computing the grant asked, the request follows the partners' spend; one
    sent by the client must be that figure (tracker.measures.grant)."""
    if app.call.is_measure:
        refresh_requested_amount(app)
        check_sent_request(app, sent)


def update_application(
    user: User, app: Application, fields: dict[str, Any], expected_version: Any = None
) -> Application:
    if not app.can_edit(user):
        raise _edit_refusal(user, app)
    check_version(app, expected_version)
    p = Problems()
    changes = _content(
        p, fields, partial=True, window=app.rules_window, areas_now=app.thematic_areas
    )
    changes |= check_extra_fields(
        app.workflow, p, app.call, app.lead_organisation_id, fields, partial=True, current=app
    )
    p.raise_if_any()
    sent_request = changes.pop("sent_requested_amount", None)
    for key, value in changes.items():
        setattr(app, key, value)
    _request_follows_spend(app, sent_request)
    flush()
    return app


def _edit_refusal(user: User, app: Application) -> Exception:
    if "partner" in app.roles_of(user):
        return Conflict(
            N_(
                "The application cannot be changed while '%(state)s'.",
                state=term(app.state_info.title),
            ),
            code="not_editable",
        )
    return Forbidden("Only the partners of this application may change it.", code="not_allowed")


def add_partner(
    user: User,
    app: Application,
    organisation_id: Any,
    role: Any,
    commitments: Any = "",
    eligible_spend: Any = None,
) -> Partner:
    """The lead adds a partner (with its eligible spend, under a support measure); the signed
    agreement no longer covers everyone, so it is reset."""
    if not app.can_manage_partnership(user):
        raise _partnership_refusal(user, app)
    p = Problems()
    if not is_id(organisation_id):
        p["organisation_id"] = N_("organisation_id must be an organisation's numeric id.")
    role = p.text("role", role, "Role", max_len=200)
    commitments = p.text("commitments", commitments, "Commitments", max_len=5000, required=False)
    spend = spend_value(p, eligible_spend) if app.call.is_measure else None
    p.raise_if_any()
    org = db.session.get(Organisation, organisation_id)
    if org is None:
        raise ValidationFailed.fields(
            {"organisation_id": N_("No organisation %(id)s.", id=organisation_id)}
        )
    if app.partner_for(org.id):
        raise Conflict(N_("%(name)s is already a partner.", name=org.name), code="duplicate")
    partner = Partner(
        organisation_id=org.id, role=role, commitments=commitments, eligible_spend=spend
    )
    app.partners.append(partner)
    reset_agreement(app)
    flush()
    _request_follows_spend(app)
    flush()
    return partner


def set_partner_spend(
    user: User, app: Application, organisation_id: int, eligible_spend: Any
) -> Partner:
    """The lead states a partner's eligible spend (support measures); the grant asked follows.
    The agreement stays signed: the spend is the project's budget, not who is in it."""
    if not app.can_manage_partnership(user):
        raise _partnership_refusal(user, app)
    if not app.call.is_measure:
        raise ValidationFailed.fields(
            {"eligible_spend": N_("Only applications to a support measure state spend.")}
        )
    partner = app.partner_for(organisation_id)
    if partner is None:
        raise NotFound(
            N_("Organisation %(id)s is not a partner of this application.", id=organisation_id)
        )
    p = Problems()
    spend = spend_value(p, eligible_spend)
    p.raise_if_any()
    partner.eligible_spend = spend
    _request_follows_spend(app)
    flush()
    return partner


def remove_partner(user: User, app: Application, organisation_id: int) -> None:
    if not app.can_manage_partnership(user):
        raise _partnership_refusal(user, app)
    partner = app.partner_for(organisation_id)
    if partner is None:
        raise NotFound(
            N_("Organisation %(id)s is not a partner of this application.", id=organisation_id)
        )
    if partner.is_lead:
        raise ValidationFailed.fields(
            {"organisation_id": N_("The lead partner cannot be removed.")}
        )
    app.partners.remove(partner)
    reset_agreement(app)
    _request_follows_spend(app)
    flush()


def record_agreement(user: User, app: Application, signed: Any) -> Application:
    """The lead takes back the record that every partner signed the project agreement. The
    record itself is made only by uploading the signed PDF (``mark_agreement_signed``, from
    tracker.documents): ``signed: true`` without it is refused, and is a no-op once it is in."""
    if not app.can_manage_partnership(user):
        raise _partnership_refusal(user, app)
    if not isinstance(signed, bool):
        raise ValidationFailed.fields({"signed": N_("signed must be true or false.")})
    if signed and not app.agreement_signed:
        message = N_(
            "Upload the project agreement signed by all partners as a PDF: the agreement counts "
            "as signed only with its document."
        )
        raise ValidationFailed(
            message, {"fields": {"signed": message}}, code="agreement_pdf_missing"
        )
    if not signed:
        reset_agreement(app)
    flush()
    return app


def mark_agreement_signed(user: User, app: Application) -> None:
    """The agreement's signed PDF was just uploaded (tracker.documents): it is signed from now."""
    app.agreement_signed_at, app.agreement_signed_by_id = utcnow(), user.id


def reset_agreement(app: Application) -> None:
    app.agreement_signed_at = None
    app.agreement_signed_by_id = None


def _partnership_refusal(user: User, app: Application) -> Exception:
    if "lead" in app.roles_of(user):
        return Conflict(
            N_(
                "The partnership cannot be changed while '%(state)s'.",
                state=term(app.state_info.title),
            ),
            code="not_editable",
        )
    return Forbidden("Only the lead partner manages the partnership.", code="not_allowed")


def available_transitions(user: User, app: Application) -> list[Option]:
    return options(user, app)
