"""Reading calls for their pages: the list, one call with its rules and committee, the people
who may join its committee, the calls to filter a list by."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from tracker.auth.models import User, UserRole
from tracker.calls.models import Call, CallWindow, CommitteeMember
from tracker.database import count_rows
from tracker.extensions import db
from tracker.pagination import PageRequest


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
            selectinload(Call.windows).selectinload(CallWindow.criteria),
            selectinload(Call.extensions),
            selectinload(Call.committee).joinedload(CommitteeMember.user),
        )
    )


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


def all_calls_for_filter() -> list[tuple[int, str]]:
    return [
        (id_, title)
        for id_, title in db.session.execute(
            select(Call.id, Call.title).order_by(Call.deadline.desc(), Call.id.desc())
        ).all()
    ]


def calls_page(paging: PageRequest) -> tuple[list[Call], int]:
    """Calls, the latest deadline first, with what ``CallOut`` shows."""
    query = select(Call)
    rows = db.session.scalars(
        query.options(
            selectinload(Call.windows).selectinload(CallWindow.criteria),
            selectinload(Call.extensions),
            selectinload(Call.committee),
        )
        .order_by(Call.deadline.desc(), Call.id.desc())
        .limit(paging.per_page)
        .offset(paging.offset)
    ).all()
    return list(rows), count_rows(query)
