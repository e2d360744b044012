"""Reads the pages need besides the domain queries: choices for selects, small lists, totals.

Each loads what its page shows eagerly, so that a page costs a fixed number of queries.
"""

from __future__ import annotations

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from tracker.applications.access import visible_filter
from tracker.applications.models import Application, Partner
from tracker.auth.models import User, UserRole
from tracker.calls.models import Call, CommitteeMember
from tracker.extensions import db
from tracker.labels.models import QualityLabel
from tracker.organisations.models import KINDS, Organisation
from tracker.organisations.queries import name_or_vat_contains
from tracker.reference import LOMBARDY_PROVINCES
from tracker.translation import translate
from workflows import APPLICATION_WORKFLOWS

#: the add-partner form offers at most this many organisations matching the search
PARTNER_CHOICES = 30


def organisation_choices(
    exclude: set[int], q: str | None = None, selected: int | None = None
) -> tuple[list[tuple[str, str]], bool]:
    """The organisations the add-partner form offers: those whose name or VAT number contains
    ``q`` (none without a search: there are tens of thousands), and the one already
    ``selected``; never the partners in ``exclude``. Also whether more matched than are offered."""
    columns = select(Organisation.id, Organisation.name, Organisation.province, Organisation.kind)
    if exclude:
        columns = columns.where(Organisation.id.not_in(sorted(exclude)))
    rows = []
    if q:
        rows = db.session.execute(
            columns.where(name_or_vat_contains(q))
            .order_by(Organisation.name, Organisation.id)
            .limit(PARTNER_CHOICES + 1)
        ).all()
    more, rows = len(rows) > PARTNER_CHOICES, rows[:PARTNER_CHOICES]
    if selected is not None and all(row[0] != selected for row in rows):
        rows += db.session.execute(columns.where(Organisation.id == selected)).all()
    return [
        (str(id_), f"{name} ({province or '—'}, {translate(KINDS.get(kind, kind))})")
        for id_, name, province, kind in rows
    ], more


def reviewer_choices(call: Call) -> list[tuple[str, str]]:
    """Users holding the reviewer role who do not sit on this call's committee yet."""
    seated = select(CommitteeMember.user_id).where(CommitteeMember.call_id == call.id)
    rows = db.session.scalars(
        select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == "reviewer", User.active.is_(True), User.id.not_in(seated))
        .options(joinedload(User.organisation))
        .order_by(User.name, User.id)
    ).all()
    return [
        (
            str(u.id),
            f"{u.name} <{u.email}>" + (f", {u.organisation.name}" if u.organisation else ""),
        )
        for u in rows
    ]


def calls_overview() -> list[Call]:
    return list(
        db.session.scalars(
            select(Call)
            .options(selectinload(Call.extensions))
            .order_by(Call.deadline.desc(), Call.id.desc())
        ).all()
    )


def call_for_page(call_id: int) -> Call | None:
    return db.session.scalar(
        select(Call)
        .where(Call.id == call_id)
        .options(
            selectinload(Call.criteria),
            selectinload(Call.extensions),
            selectinload(Call.committee).joinedload(CommitteeMember.user),
        )
    )


#: registry totals by what identifies the set of labels (see ``registry_totals``)
_registry_totals_cache: dict[tuple, dict[str, int]] = {}


def registry_totals(labels: int) -> dict[str, int]:
    """The ``labels`` recognised value chains (``label_counts``), the organisations in them and
    the provinces they cover.

    Counting the organisations reads every partnership of every recognised value chain (half a
    million partner rows at 100,000 applications), so the result is kept per process. It can
    change only when a label is granted or revoked: partnerships are frozen once submitted, long
    before a label. So it is kept under the newest label (id, when granted) and the latest
    revocation, read by one query of two index lookups: any grant or revocation, in any
    process, misses.
    """
    latest_revocation = select(func.max(QualityLabel.revoked_at)).scalar_subquery()
    last = db.session.execute(
        select(QualityLabel.id, QualityLabel.granted_at, latest_revocation)
        .order_by(QualityLabel.id.desc())
        .limit(1)
    ).first()
    key = (str(db.engine.url), labels, tuple(last) if last else None)
    if key not in _registry_totals_cache:
        _registry_totals_cache.clear()  # only the current set of labels is worth keeping
        _registry_totals_cache[key] = _count_registry_totals()
    return {"labels": labels} | _registry_totals_cache[key]


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


def _object_roles(user) -> set[str]:
    """The object roles ``user`` may hold on some application (the SQL pre-filter of the worklist)."""
    roles = set()
    if user.has_role("applicant") and user.organisation_id is not None:
        roles |= {"lead", "partner"}
    if user.has_role("reviewer"):
        roles.add("reviewer")
    if user.has_role("officer"):
        roles.add("officer")
    return roles


def _with_what_options_need(query):
    return query.options(
        selectinload(Application.partners),
        selectinload(Application.reviews),
        joinedload(Application.call),
        joinedload(Application.lead_organisation),
    )


def worklist_candidates(user, limit: int = 200) -> list[Application]:
    """Visible applications still in progress, in a state from which one of the user's roles can
    move or review them.

    A coarse SQL filter; the caller keeps those whose options say the move is really theirs.
    """
    roles = _object_roles(user)
    per_workflow = []
    for wf in APPLICATION_WORKFLOWS.values():
        states = {s for r in roles for s in wf.states_awaiting(r)}
        if "reviewer" in roles:
            states |= set(wf.states_where(reviewable=True))
        if states:
            per_workflow.append(
                and_(Application.workflow == wf.name, Application.state.in_(sorted(states)))
            )
    if not per_workflow:
        return []
    query = select(Application).where(
        visible_filter(user, Application, Partner), or_(*per_workflow)
    )
    query = _with_what_options_need(query).order_by(Application.state_entered_at, Application.id)
    return list(db.session.scalars(query.limit(limit)).unique().all())


def partnership_applications(user, limit: int = 50) -> list[Application]:
    """The applications of the partnerships the user's organisation belongs to, drafts included."""
    if user.organisation_id is None or not user.has_role("applicant"):
        return []
    query = select(Application).where(
        Application.id.in_(
            select(Partner.application_id).where(Partner.organisation_id == user.organisation_id)
        )
    )
    query = _with_what_options_need(query).order_by(
        Application.updated_at.desc(), Application.id.desc()
    )
    return list(db.session.scalars(query.limit(limit)).unique().all())


def existing_emails(emails: list[str]) -> set[str]:
    return set(db.session.scalars(select(User.email).where(User.email.in_(emails))).all())


def all_calls_for_filter() -> list[tuple[int, str]]:
    return [
        (id_, title)
        for id_, title in db.session.execute(
            select(Call.id, Call.title).order_by(Call.deadline.desc(), Call.id.desc())
        ).all()
    ]
