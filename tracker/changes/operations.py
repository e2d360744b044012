"""Everything that changes a partnership change or a chain's shortfall: the pages and the API
both call these. Operations check access, validate, change the rows and flush; they never commit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.applications.models import Application, Partner
from tracker.auth.models import User
from tracker.changes.models import OPEN_STATES, PartnershipChange, Shortfall
from tracker.columns import utcnow
from tracker.database import flush
from tracker.effects import effect
from tracker.errors import Conflict, Forbidden, NotFound, ValidationFailed
from tracker.extensions import db
from tracker.firing import fire_transition, options
from tracker.mail.operations import queue
from tracker.organisations.models import Organisation
from tracker.signals import partnership_changed, state_changed, subject_created
from tracker.validation import Problems, is_id
from workflows import Option, get_engine
from workflows.conditions import local_date
from workflows.definitions.partnership_change import KINDS
from workflows.i18n import N_, term

#: the role a joining partner gets when nobody says otherwise
DEFAULT_ROLE = "Partner"


# --- reading -------------------------------------------------------------------------------------


def get_change(change_id: int, user, *, for_change: bool = False) -> PartnershipChange:
    """A change the user may see: 404 when it does not exist, 403 when not theirs; ``for_change``
    reads it afresh (see ``tracker.applications.operations.get_application``)."""
    query = (
        select(PartnershipChange)
        .where(PartnershipChange.id == change_id)
        .options(selectinload(PartnershipChange.application).selectinload(Application.partners))
    )
    if for_change:
        query = query.execution_options(populate_existing=True)
    change = db.session.scalar(query)
    if change is None:
        raise NotFound(N_("No partnership change %(id)s.", id=change_id))
    if not change.can_view(user):
        raise Forbidden("You may not see this partnership change.", code="not_allowed")
    return change


def available_transitions(user, change: PartnershipChange) -> list[Option]:
    return options(user, change)


def in_registry(app: Application) -> bool:
    """The chain holds a valid quality label: it is in the public registry."""
    label = app.label
    return app.state_info.holds_label and label is not None and label.valid


def warnings(change: PartnershipChange) -> list[dict[str, str]]:
    """What an officer should know before acknowledging: the chain would fall below its call's
    minimum of firms with a seat in Lombardy. Empty once the change is no longer open."""
    if change.state not in OPEN_STATES:
        return []
    after, need = change.lombardy_firms_after(), change.application.call.min_firms
    if after >= need or after >= change.application.lombardy_firm_count:
        return []
    return [
        {
            "code": "below_minimum",
            "message": N_(
                "In force, this change leaves the chain with %(after)s of the %(need)s required "
                "firms with a seat in Lombardy.",
                after=after,
                need=need,
            ),
        }
    ]


# --- asking for a change -------------------------------------------------------------------------


def _check_application(app: Application) -> None:
    if app.workflow != "value_chain":
        raise ValidationFailed(
            N_("Partnership changes are asked on value-chain applications only."),
            {"fields": {"application_id": N_("Not a value-chain application.")}},
            code="not_value_chain",
        )
    if not app.changes_by_request:
        raise Conflict(
            N_(
                "The partnership of an application '%(state)s' changes through the "
                "application itself, not by a partnership change.",
                state=term(app.state_info.title),
            )
            if app.submitted_at is None
            else N_(
                "The application is '%(state)s': its partnership no longer changes.",
                state=term(app.state_info.title),
            ),
            code="not_changeable",
        )


def _asker(user: User, app: Application, kind: str, org: Organisation) -> bool:
    """Whether ``user`` may ask this change, and so whether they ask as the lead partner.
    Raises 403 for anyone else, naming who may."""
    mine = user.organisation_id if user.has_role("applicant") else None
    is_lead = mine is not None and mine == app.lead_organisation_id
    if kind == "join":
        if is_lead:
            return True
        if mine is not None and mine == org.id:
            if in_registry(app):
                return False
            raise Forbidden(
                N_("A firm asks to join a value chain of the public registry only."),
                code="not_allowed",
            )
        raise Forbidden(
            N_("A join is asked by the joining organisation's staff or by the lead partner."),
            code="not_allowed",
        )
    if kind == "leave":
        if is_lead:
            return True
        if mine is not None and mine == org.id:
            return False
        raise Forbidden(
            N_("A leave is asked by the leaving partner's staff or by the lead partner."),
            code="not_allowed",
        )
    if is_lead:
        return True
    raise Forbidden(N_("Only the lead partner hands over the lead."), code="not_allowed")


def request_change(
    user: User, app: Application, fields: dict[str, Any], *, at: dt.datetime | None = None
) -> PartnershipChange:
    """Ask a change of ``app``'s partnership (see ``tracker.changes.access`` for who may). A join
    or a leave asked by the lead partner is accepted as it is asked. ``at`` backdates it (demo)."""
    p = Problems()
    kind = p.choice("kind", fields.get("kind"), N_("Kind of change"), KINDS)
    organisation_id = fields.get("organisation_id")
    if not is_id(organisation_id):
        p["organisation_id"] = N_("organisation_id must be an organisation's numeric id.")
    reason = p.text("reason", fields.get("reason"), N_("Reason"), max_len=5000, required=False)
    role = p.text("role", fields.get("role"), N_("Role"), max_len=200, required=False)
    commitments = p.text(
        "commitments", fields.get("commitments"), N_("Commitments"), max_len=5000, required=False
    )
    p.raise_if_any()
    org = db.session.get(Organisation, organisation_id)
    if org is None:
        raise ValidationFailed.fields(
            {"organisation_id": N_("No organisation %(id)s.", id=organisation_id)}
        )
    _check_application(app)
    as_lead = _asker(user, app, kind, org)
    partner = app.partner_for(org.id)
    if kind == "join" and partner is not None:
        raise Conflict(N_("%(name)s is already a partner.", name=org.name), code="duplicate")
    if kind != "join" and partner is None:
        raise ValidationFailed.fields(
            {"organisation_id": N_("%(name)s is not a partner.", name=org.name)}
        )
    if kind != "join" and partner.is_lead:
        message = (
            N_("%(name)s is the lead partner: change the lead partner first.", name=org.name)
            if kind == "leave"
            else N_("%(name)s is already the lead partner.", name=org.name)
        )
        raise ValidationFailed.fields({"organisation_id": message})
    open_one = db.session.scalar(
        select(PartnershipChange.id).where(
            PartnershipChange.application_id == app.id,
            PartnershipChange.organisation_id == org.id,
            PartnershipChange.state.in_(OPEN_STATES),
        )
    )
    if open_one is not None:
        raise Conflict(
            N_(
                "A change about %(name)s is already open (no. %(id)s): answer or withdraw it first.",
                name=org.name,
                id=open_one,
            ),
            {"change_id": open_one},
            code="duplicate",
        )
    now = utcnow() if at is None else at
    change = PartnershipChange(
        application=app, kind=kind, organisation=org, reason=reason or "",
        role=(role or DEFAULT_ROLE) if kind == "join" else "", commitments=commitments or "",
        requested_by_id=user.id, created_at=now, updated_at=now, state_entered_at=now,
    )  # fmt: skip
    get_engine("partnership_change").initialise(change)
    db.session.add(change)
    subject_created.send(type(change), subject=change, user=user)
    flush()
    if as_lead and kind != "change_lead":
        fire_transition(user, change, "accept", at=now)
    else:
        queue("change_requested", change, actor=user)
    return change


# --- what a change in force does ---------------------------------------------------------------


@effect("apply_partnership_change")
def apply_partnership_change(change: PartnershipChange, firing, actor) -> None:
    """The partner list changes with the change's history row, and everything that counts
    partners follows in the same transaction: the chain's shortfall here, the dashboards'
    tallies (the public statistics, the breakdown by the lead's province) by the signal
    ``partnership_changed``; the registry's per-process totals see one more change in force
    (``tracker.labels.queries.registry_totals``)."""
    app = change.application
    change.in_force_at = firing.at
    moved: dict[str, Any] = {"joined": None, "left": None}
    if change.kind == "join":
        app.partners.append(
            Partner(
                organisation_id=change.organisation_id,
                role=change.role or DEFAULT_ROLE,
                commitments=change.commitments,
                added_at=firing.at,
            )
        )
        moved["joined"] = change.organisation_id
    elif change.kind == "leave":
        app.partners.remove(app.partner_for(change.organisation_id))
        moved["left"] = change.organisation_id
    else:
        moved |= _hand_over_lead(app, change.organisation_id)
    partnership_changed.send(Application, application=app, **moved)
    _follow_minimum(app, change, firing.at)


def _hand_over_lead(app: Application, organisation_id: int) -> dict[str, str]:
    """The new lead takes the lead's role ("Lead partner (capofila)"); answers the provinces the
    figures split applications by (the lead's)."""
    old_lead, new_lead = app.partner_for(app.lead_organisation_id), app.partner_for(organisation_id)
    old_lead.role, new_lead.role = new_lead.role, old_lead.role
    app.lead_organisation_id = organisation_id
    app.lead_organisation = new_lead.organisation
    return {
        "old_lead_province": old_lead.organisation.province or "",
        "new_lead_province": new_lead.organisation.province or "",
    }


def open_shortfall(application_id: int) -> Shortfall | None:
    return db.session.scalar(
        select(Shortfall).where(
            Shortfall.application_id == application_id, Shortfall.resolved_at.is_(None)
        )
    )


def _follow_minimum(app: Application, change: PartnershipChange, now: dt.datetime) -> None:
    """Open a shortfall when the chain fell below its call's minimum, close it when it is back."""
    have, need = app.lombardy_firm_count, app.call.min_firms
    current = open_shortfall(app.id)
    if have < need and current is None:
        db.session.add(
            Shortfall(
                application_id=app.id, change_id=change.id, since=now, firms=have, required=need
            )  # fmt: skip
        )
    elif have >= need and current is not None:
        current.resolved_at = now
    elif current is not None:
        current.firms = have  # still short: what the lists show stays true


@state_changed.connect_via(Application)
def _label_ended(sender, subject: Application, **kwargs) -> None:
    """A chain whose label was revoked (or whose application ended) is no longer flagged."""
    if subject.state_info.holds_label and not subject.state_info.terminal:
        return
    current = open_shortfall(subject.id)
    if current is not None:
        current.resolved_at = kwargs["entry"].at


# --- giving a chain below the minimum time ---------------------------------------------------------


def give_time(user: User, app: Application, deadline: Any, reason: Any) -> Shortfall:
    """An officer records the date by which the chain must be back at its call's minimum, and
    why; 404 when the chain is not below the minimum, 422 on a date not after today."""
    if not user.has_role("officer"):
        raise Forbidden(
            N_("Only Region officers give a chain time to restore its partnership."),
            code="not_allowed",
        )
    shortfall = open_shortfall(app.id)
    if shortfall is None:
        raise NotFound(N_("This chain is not below its call's minimum of firms."))
    p = Problems()
    day = p.date("deadline", deadline, N_("Deadline"))
    reason = p.text("reason", reason, N_("Reason"), max_len=2000)
    now = utcnow()
    if day is not None and day <= local_date(now):
        p["deadline"] = N_("The deadline must be after today.")
    p.raise_if_any()
    shortfall.deadline, shortfall.deadline_reason = day, reason
    shortfall.deadline_set_by_id, shortfall.deadline_set_at = user.id, now
    flush()
    return shortfall


__all__ = [
    "apply_partnership_change",
    "available_transitions",
    "fire_transition",
    "get_change",
    "give_time",
    "in_registry",
    "open_shortfall",
    "request_change",
    "warnings",
]
