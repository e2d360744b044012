"""Reading the registry's totals: the recognised value chains, their organisations, provinces;
and the Region's decisions closing value chains."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import case, func, select
from sqlalchemy.orm import contains_eager, joinedload

from tracker.applications.models import Application, HistoryEntry, Partner
from tracker.changes.models import IN_FORCE_STATES, PartnershipChange
from tracker.database import newest
from tracker.errors import NotFound
from tracker.extensions import db
from tracker.labels.models import QualityLabel
from tracker.measures.queries import holds_budget
from tracker.organisations.models import Organisation
from tracker.reference import LOMBARDY_PROVINCES
from workflows import APPLICATION_WORKFLOWS, states_where
from workflows.i18n import N_

#: the states a value chain is in once the Region closed it (``State.chain_closed``)
CLOSED_STATES = sorted(
    {s for names in states_where(APPLICATION_WORKFLOWS, chain_closed=True).values() for s in names}
)

#: registry totals by what identifies the set of labels (see ``registry_totals``)
_registry_totals_cache: dict[tuple, dict[str, int]] = {}


def registry_totals(labels: int) -> dict[str, int]:
    """The ``labels`` recognised value chains (``label_counts``), the organisations in them and
    the provinces they cover.

    Counting the organisations reads every partnership of every recognised value chain (half a
    million partner rows at 100,000 applications), so the result is kept per process. It
    changes when a label is granted or revoked, and when a partnership change comes into force
    (a join, a leave: ``tracker.changes``; a submitted partnership changes in no other way). So
    it is kept under the newest label (id, when granted), the latest revocation and the number
    of changes in force (in force is terminal: the number only grows), read by one query of
    index lookups: any grant, revocation or change in force, in any process, misses.
    """
    in_force = (
        select(func.count())
        .select_from(PartnershipChange)
        .where(PartnershipChange.state.in_(IN_FORCE_STATES))
        .scalar_subquery()
    )
    last = db.session.execute(select(*label_set_version(), in_force)).one()
    key = (str(db.engine.url), labels, tuple(last))
    if key not in _registry_totals_cache:
        _registry_totals_cache.clear()  # only the current set of labels is worth keeping
        _registry_totals_cache[key] = _count_registry_totals()
    return {"labels": labels} | _registry_totals_cache[key]


def label_set_version() -> tuple:
    """What identifies the labels granted and which of them are revoked, for what is counted
    over them and kept: the newest label (``newest``: its id and when it was granted) and the
    latest revocation; index lookups."""
    return (
        *newest(QualityLabel.id, QualityLabel.granted_at),
        select(func.max(QualityLabel.revoked_at)).scalar_subquery(),
    )


def _count_registry_totals() -> dict[str, int]:
    valid = select(QualityLabel.application_id).where(QualityLabel.revoked_at.is_(None))
    members = (
        select(Organisation.id, Organisation.province)
        .join(Partner, Partner.organisation_id == Organisation.id)
        .where(Partner.application_id.in_(valid))
        .subquery()
    )
    lombard = members.c.province.in_(sorted(LOMBARDY_PROVINCES))
    organisations, provinces, lombard_provinces = db.session.execute(
        select(
            func.count(func.distinct(members.c.id)),
            func.count(func.distinct(members.c.province)),
            func.count(func.distinct(case((lombard, members.c.province)))),
        )
    ).one()
    return {
        "organisations": organisations,
        "provinces": provinces,
        "lombard_provinces": lombard_provinces,
    }


@dataclass(frozen=True)
class Closure:
    """The Region's decision closing a value chain: when, and its reason (the transition's
    comment; None for a chain closed before the reason was required)."""

    at: dt.datetime
    reason: str | None


def closures(application_ids: list[int]) -> dict[int, Closure]:
    """The closing decision of each of these value chains that was closed, in one query: read
    from its history (the one record of it: the row that moved it into a closed state)."""
    if not application_ids:
        return {}
    rows = db.session.execute(
        select(HistoryEntry.application_id, HistoryEntry.at, HistoryEntry.comment)
        .where(
            HistoryEntry.application_id.in_(application_ids),
            HistoryEntry.to_state.in_(CLOSED_STATES),
        )
        .order_by(HistoryEntry.application_id, HistoryEntry.seq)
    ).all()
    return {app_id: Closure(at, comment or None) for app_id, at, comment in rows}


@dataclass(frozen=True)
class RegistryChain:
    """A value chain as the public registry shows it: its label, its partnership as it stands
    (changes in force applied), the support granted to it and the changes that came into force."""

    entry: dict  # the registry's row (``registry_row``) with ``support_granted``
    label: QualityLabel
    partners: list[Partner]
    support: list[Application]  # measures' applications holding a grant, latest first
    changes: list[PartnershipChange]  # in force, latest first


def registry_chain(label_code: str) -> RegistryChain:
    """The chain holding the label ``label_code`` (valid or revoked: both are in the registry);
    404 for any other code. A fixed number of queries."""
    label = db.session.scalar(
        select(QualityLabel)
        .where(QualityLabel.code == label_code)
        .options(joinedload(QualityLabel.application).joinedload(Application.lead_organisation))
    )
    if label is None:
        raise NotFound(N_("No value chain with label %(code)s in the registry.", code=label_code))
    app = label.application
    partners = list(
        db.session.scalars(
            select(Partner)
            .where(Partner.application_id == app.id)
            .join(Organisation, Organisation.id == Partner.organisation_id)
            .options(contains_eager(Partner.organisation))
            .order_by(Organisation.name, Organisation.id)
        ).all()
    )
    # the lead first, then by name
    partners.sort(key=lambda p: p.organisation_id != app.lead_organisation_id)
    support = list(
        db.session.scalars(
            select(Application)
            .where(Application.value_chain_id == app.id, holds_budget())
            .options(joinedload(Application.call))
            .order_by(Application.created_at.desc(), Application.id.desc())
        ).all()
    )
    changes = list(
        db.session.scalars(
            select(PartnershipChange)
            .where(
                PartnershipChange.application_id == app.id,
                PartnershipChange.state.in_(IN_FORCE_STATES),
            )
            .order_by(PartnershipChange.in_force_at.desc(), PartnershipChange.id.desc())
        ).all()
    )
    provinces = sorted({p.organisation.province for p in partners if p.organisation.province})
    granted = sum((a.granted_amount or Decimal("0.00") for a in support), Decimal("0.00"))
    closure = closures([app.id]).get(app.id) if app.state_info.chain_closed else None
    entry = registry_row(label, len(partners), provinces, closure) | {
        "support_granted": str(granted)
    }
    return RegistryChain(entry, label, partners, support, changes)


def registry_row(
    label: QualityLabel,
    partners_count: int,
    provinces: list[str],
    closure: Closure | None = None,
) -> dict:
    app = label.application
    closed = app.state_info.chain_closed
    return {
        "label_code": label.code,
        "title": app.title,
        "lead": app.lead_organisation.name,
        "decree_number": label.decree_number,
        "decree_date": label.decree_date.isoformat(),
        "decree_illustrative": label.decree_illustrative,
        "partners_count": partners_count,
        "provinces": provinces,
        "thematic_area": app.thematic_area,
        "state": app.state,
        "application_id": app.id,
        "revoked": not label.valid,
        "revoked_at": label.revoked_at.isoformat() if label.revoked_at else None,
        "revocation_reason": label.revocation_reason,
        "closed": closed,
        "closed_at": closure.at.isoformat() if closed and closure else None,
        "closure_reason": closure.reason if closed and closure else None,
    }
