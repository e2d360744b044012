"""One function per resource, so that lists and details write the same JSON.

Models that already describe themselves (``as_dict``) are used as they are; the shapes are
documented by the response models in ``tracker.api.schemas``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from tracker.applications.models import Application, HistoryEntry, Partner
from tracker.applications.operations import available_transitions
from tracker.auth.models import User
from tracker.calls.models import Call, CommitteeMember
from tracker.extensions import db
from tracker.labels.models import QualityLabel
from tracker.organisations.models import Organisation
from tracker.reviews.models import Review
from workflows import Workflow


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _time(value) -> str | None:
    return None if value is None else value.isoformat()


def user(u: User) -> dict[str, Any]:
    return u.as_dict()


def workflow(wf: Workflow) -> dict[str, Any]:
    return {
        "name": wf.name,
        "title": wf.title,
        "description": wf.description,
        "initial": wf.initial,
        "states": [
            {
                "name": s.name,
                "title": s.title,
                "phase": s.phase,
                "terminal": s.terminal,
                "editable": s.editable,
                "reviewable": s.reviewable,
                "description": s.description,
            }
            for s in wf.states
        ],
        "transitions": [
            {
                "trigger": t.trigger,
                "label": t.label,
                "sources": list(t.sources),
                "dest": t.dest,
                "roles": sorted(t.roles),
                "conditions": [
                    {"name": c.name, "description": c.description} for c in t.conditions
                ],
                "comment_required": t.comment_required,
                "data": [
                    {
                        "name": f.name,
                        "label": f.label,
                        "kind": f.kind,
                        "required": f.required,
                        "one_of": f.one_of,
                    }
                    for f in t.data
                ],
                "description": t.description,
            }
            for t in wf.transitions
        ],
    }


def organisation(org: Organisation) -> dict[str, Any]:
    return org.as_dict()


def call(c: Call) -> dict[str, Any]:
    return c.as_dict()


def committee_member(member: CommitteeMember) -> dict[str, Any]:
    return {
        "call_id": member.call_id,
        "user_id": member.user_id,
        "email": member.user.email,
        "name": member.user.name,
        "appointed_at": _time(member.appointed_at),
    }


def partners(app: Application) -> list[dict[str, Any]]:
    return [p.as_dict() for p in app.partners]


def label(lbl: QualityLabel | None) -> dict[str, Any] | None:
    if lbl is None:
        return None
    return {
        "code": lbl.code,
        "decree_number": lbl.decree_number,
        "decree_date": lbl.decree_date.isoformat(),
        "revoked": not lbl.valid,
    }


def application(app: Application, viewer: User) -> dict[str, Any]:
    """An application as ``viewer`` sees it: what they may do next is part of the answer."""
    return {
        "id": app.id,
        "call_id": app.call_id,
        "workflow": app.workflow,
        "state": app.state,
        "state_title": app.state_info.title,
        "phase": app.phase,
        "version": app.version,
        "title": app.title,
        "thematic_area": app.thematic_area,
        "s3_ecosystem": app.s3_ecosystem,
        "concept_note": app.concept_note,
        "lead_organisation_id": app.lead_organisation_id,
        "lead_organisation": app.lead_organisation.name,
        "partners": partners(app),
        "agreement_signed": app.agreement_signed,
        "agreement_signed_at": _time(app.agreement_signed_at),
        "requested_amount": _decimal(app.requested_amount),
        "value_chain_id": app.value_chain_id,
        "score": _decimal(app.score),
        "base_score": _decimal(app.base_score),
        "label_bonus_applied": _decimal(app.label_bonus_applied),
        "granted_amount": _decimal(app.granted_amount),
        "label": label(app.label),
        "submitted_at": _time(app.submitted_at),
        "created_at": _time(app.created_at),
        "updated_at": _time(app.updated_at),
        "available_transitions": [o.as_dict() for o in available_transitions(viewer, app)],
    }


def applications(apps: list[Application], viewer: User) -> list[dict[str, Any]]:
    """A page of applications in a fixed number of queries, however long the page."""
    if apps:
        db.session.scalars(
            select(Application)
            .where(Application.id.in_([a.id for a in apps]))
            .options(
                joinedload(Application.call),
                joinedload(Application.lead_organisation),
                selectinload(Application.partners).joinedload(Partner.organisation),
                selectinload(Application.reviews),
                selectinload(Application.label),
            )
            .execution_options(populate_existing=True)
        ).unique().all()
    return [application(a, viewer) for a in apps]


def history(entries: list[HistoryEntry]) -> list[dict[str, Any]]:
    return [e.as_dict() for e in entries]


def review(r: Review) -> dict[str, Any]:
    return r.as_dict()


def page(items: list, paging, total: int) -> dict[str, Any]:
    return {"items": items, "page": paging.page, "per_page": paging.per_page, "total": total}
