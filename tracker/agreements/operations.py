"""Recording a multi-party agreement (Region officers) and joining it from an application.

Operations check access, validate, change rows and flush; they never commit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from tracker.agreements.models import Agreement, AgreementSignature
from tracker.auth.models import User
from tracker.calls.models import Call
from tracker.columns import utcnow
from tracker.database import flush
from tracker.effects import effect
from tracker.errors import Conflict, Forbidden, NotFound, ValidationFailed
from tracker.extensions import db
from tracker.organisations.models import Organisation
from tracker.validation import Problems, is_id
from workflows.conditions import local_date
from workflows.i18n import N_


def can_record_agreement(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.has_role("officer")


def create_agreement(user: User, fields: dict[str, Any], *, today: dt.date | None = None):
    """A Region officer records an agreement of a call with its parties; 409 on a known
    reference, 422 naming each bad field."""
    if not can_record_agreement(user):
        raise Forbidden("Only Region officers record agreements.", code="role_not_allowed")
    p = Problems()
    reference = p.text("reference", fields.get("reference"), "Reference", max_len=200)
    title = p.text("title", fields.get("title"), "Title", max_len=300)
    concluded_on = p.date("concluded_on", fields.get("concluded_on"), N_("Date"))
    if concluded_on is not None and concluded_on > (today or local_date(utcnow())):
        p["concluded_on"] = N_("Date cannot be in the future.")
    total = p.decimal("total_amount", fields.get("total_amount"), "Total amount")
    if total is not None and total <= 0:
        p["total_amount"] = N_("Total amount must be above 0.")
    regional = p.decimal(
        "regional_amount", fields.get("regional_amount"), "Regional amount", required=False
    )
    if regional is not None and total is not None and regional > total:
        p["regional_amount"] = N_("The regional amount cannot exceed the total.")
    managed_by = p.text(
        "managed_by", fields.get("managed_by"), "Managed by", max_len=300, required=False
    )
    notes = p.text("notes", fields.get("notes"), "Notes", max_len=20000, required=False)
    call_id = fields.get("call_id")
    call = db.session.get(Call, call_id) if is_id(call_id) else None
    if call is None:
        p["call_id"] = N_("No call %(id)s.", id=call_id)
    party_ids = fields.get("party_ids") or []
    parties: list[Organisation] = []
    if not isinstance(party_ids, list) or not party_ids or not all(map(is_id, party_ids)):
        p["party_ids"] = N_("Name at least one party by its organisation id.")
    else:
        parties = list(
            db.session.scalars(select(Organisation).where(Organisation.id.in_(party_ids))).all()
        )
        missing = sorted(set(party_ids) - {o.id for o in parties})
        if missing:
            p["party_ids"] = N_("No organisation %(ids)s.", ids=", ".join(str(i) for i in missing))
    p.raise_if_any()
    if db.session.scalar(select(Agreement.id).where(Agreement.reference == reference)):
        raise Conflict(
            N_("An agreement with reference '%(reference)s' is already recorded.",
               reference=reference),
            code="duplicate",
        )  # fmt: skip
    agreement = Agreement(
        reference=reference, title=title, call_id=call.id, concluded_on=concluded_on,
        total_amount=total, regional_amount=regional, managed_by=managed_by, notes=notes,
        recorded_by_id=user.id, parties=parties,
    )  # fmt: skip
    db.session.add(agreement)
    flush()
    return agreement


def get_agreement(agreement_id: int) -> Agreement:
    agreement = db.session.get(Agreement, agreement_id)
    if agreement is None:
        raise NotFound(N_("No agreement %(id)s.", id=agreement_id))
    return agreement


def agreement_of(application_id: int) -> Agreement | None:
    """The shared agreement an application joined, if any."""
    return db.session.scalar(
        select(Agreement)
        .join(AgreementSignature, AgreementSignature.agreement_id == Agreement.id)
        .where(AgreementSignature.application_id == application_id)
    )


def agreements_of_call(call_id: int) -> list[Agreement]:
    """The agreements recorded for a call, newest first (what its applications may join)."""
    return list(
        db.session.scalars(
            select(Agreement)
            .where(Agreement.call_id == call_id)
            .order_by(Agreement.concluded_on.desc(), Agreement.id.desc())
        ).all()
    )


def _unmet(message: str) -> ValidationFailed:
    return ValidationFailed(
        N_("Conditions not met: %(reasons)s", reasons=message),
        {"unmet": [{"condition": "agreement_reference", "message": message}]},
        code="conditions_unmet",
    )


@effect("join_shared_agreement")
def join_shared_agreement(application, firing, actor) -> None:
    """``agreement_reference`` names a recorded agreement of the application's call to which its
    lead institution is a party; the application joins it (one row, same transaction)."""
    reference = firing.data["agreement_reference"]
    with db.session.no_autoflush:  # the state must not reach the database unlinked
        agreement = db.session.scalar(select(Agreement).where(Agreement.reference == reference))
        if agreement is None or agreement.call_id != application.call_id:
            raise _unmet(
                N_("No agreement of this call is recorded with reference '%(reference)s'.",
                   reference=reference)
            )  # fmt: skip
        if application.lead_organisation_id not in {o.id for o in agreement.parties}:
            raise _unmet(
                N_("%(name)s is not a party to the agreement '%(reference)s'.",
                   name=application.lead_organisation.name, reference=reference)
            )  # fmt: skip
    db.session.add(
        AgreementSignature(
            agreement=agreement, application_id=application.id, recorded_at=firing.at
        )
    )
