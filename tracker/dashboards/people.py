"""The dashboards of the people who act on applications and proposals: the committee member's
work (to admit, to review, to close; what they reviewed), the applicant's partnerships with what
is needed next and by whom, and the proposals of a person's communities by state."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, select, union_all
from sqlalchemy.orm import joinedload, selectinload

from tracker.applications.models import Application, Partner
from tracker.applications.operations import available_transitions
from tracker.calls.models import Call
from tracker.communities.models import Community, CommunityMember
from tracker.dashboards.models import ProposalTally
from tracker.dashboards.tables import Table
from tracker.database import count_rows
from tracker.extensions import db
from tracker.i18n import translate
from tracker.pagination import PageRequest
from tracker.reviews.models import Review
from tracker.web.nextstep import NextStep, holds_role, next_step, yours_once_declared
from workflows import get_workflow

#: the committee's moves, by what they are to a committee member
ADMIT = frozenset({"admit", "declare_eligible"})
CLOSE = frozenset({"close_evaluation"})


@dataclass
class CommitteeWork:
    admit: list[Application] = field(default_factory=list)
    review: list[Application] = field(default_factory=list)
    close: list[Application] = field(default_factory=list)
    #: other moves a member may make now (declare inadmissible only, ask for integrations...)
    other: list[tuple[Application, list[str]]] = field(default_factory=list)

    @property
    def total(self) -> int:
        apps = {a.id for a in self.admit + self.review + self.close}
        return len(apps | {a.id for a, _labels in self.other})


#: the committee's longest-waiting applications the dashboard weighs (oldest first)
CANDIDATES = 60


def committee_candidates(user, limit: int = CANDIDATES) -> list[Application]:
    """The applications of ``user``'s committees waiting longest in a state where a committee
    member may act: the first entries of each (call, state) range of the index on (call,
    state, time entered), merged; then those few, with what their options need."""
    calls = db.session.execute(
        select(Call.id, Call.workflow).where(Call.id.in_(sorted(user.committee_call_ids)))
    ).all()
    parts = []
    for call_id, workflow in calls:
        wf = get_workflow(workflow)
        states = set(wf.states_awaiting("reviewer")) | set(wf.states_where(reviewable=True))
        parts += [
            select(Application.id.label("id"), Application.state_entered_at.label("entered"))
            .where(Application.call_id == call_id, Application.state == state)
            .order_by(Application.state_entered_at)
            .limit(limit)
            .subquery()
            .select()
            for state in sorted(states)
        ]
    if not parts:
        return []
    first = union_all(*parts).subquery()
    ids = db.session.scalars(
        select(first.c.id).order_by(first.c.entered, first.c.id).limit(limit)
    ).all()
    if not ids:
        return []
    query = (
        select(Application)
        .where(Application.id.in_(ids))
        .options(
            selectinload(Application.partners),
            selectinload(Application.reviews),
            selectinload(Application.declarations),
            joinedload(Application.call),
            joinedload(Application.lead_organisation),
        )
        .order_by(Application.state_entered_at, Application.id)
    )
    return list(db.session.scalars(query).unique().all())


def committee_work(user) -> CommitteeWork:
    """What waits for ``user`` as a committee member, from the same options the application
    pages show (conflicts of interest and reviews already given included)."""
    work = CommitteeWork()
    for app in committee_candidates(user):
        to_review = app.review_awaited(user)  # now, or once the member has declared
        if to_review:
            work.review.append(app)
        mine = [
            o
            for o in available_transitions(user, app)
            if yours_once_declared(o) and holds_role(o) and not o.transition.optional
        ]
        triggers = {o.transition.trigger for o in mine}
        if triggers & ADMIT:
            work.admit.append(app)
        if triggers & CLOSE:
            work.close.append(app)
        if mine and not to_review and not triggers & (ADMIT | CLOSE):
            work.other.append((app, [o.transition.label for o in mine]))
    return work


def reviews_by(user, paging: PageRequest | None) -> tuple[list[Review], int]:
    """The reviews ``user`` gave, newest first (every one without ``paging``)."""
    query = select(Review).where(Review.reviewer_id == user.id)
    total = count_rows(query) if paging is not None else 0
    query = query.options(joinedload(Review.application).joinedload(Application.call)).order_by(
        Review.submitted_at.desc(), Review.id.desc()
    )
    if paging is not None:
        query = query.limit(paging.per_page).offset(paging.offset)
    rows = list(db.session.scalars(query).unique().all())
    return rows, total if paging is not None else len(rows)


def committee_tables(work: CommitteeWork, reviews: list[Review]) -> dict[str, Table]:
    waiting = [
        [a.title, a.call.title, translate(a.state_info.title), what]
        for what, apps in (
            (_("To admit"), work.admit),
            (_("To review"), work.review),
            (_("To close"), work.close),
        )
        for a in apps
    ] + [
        [
            a.title,
            a.call.title,
            translate(a.state_info.title),
            "; ".join(translate(x) for x in labels),
        ]
        for a, labels in work.other
    ]
    return {
        "waiting": Table(
            "waiting", [_("Application"), _("Call"), _("State"), _("To do")], waiting
        ),
        "reviewed": Table(
            "reviewed",
            [_("Application"), _("Call"), _("State"), _("Your total"), _("Recommendation"),
             _("Reviewed at")],
            [
                [r.application.title, r.application.call.title,
                 translate(r.application.state_info.title), r.total, r.recommendation,
                 r.submitted_at]
                for r in reviews
            ],
        ),
    }  # fmt: skip


# --- applicants --------------------------------------------------------------------------------


def _partnerships(user):
    return Application.id.in_(
        select(Partner.application_id).where(Partner.organisation_id == user.organisation_id)
    )


def partnership_page(
    user, paging: PageRequest | None
) -> tuple[list[tuple[Application, NextStep]], int]:
    """The applications of ``user``'s partnerships, latest change first, each with its next step
    as ``user`` sees it (every one without ``paging``)."""
    query = select(Application).where(_partnerships(user))
    total = count_rows(query) if paging is not None else 0
    query = query.options(
        selectinload(Application.partners),
        selectinload(Application.reviews),
        selectinload(Application.declarations),
        joinedload(Application.call),
        joinedload(Application.lead_organisation),
    ).order_by(Application.updated_at.desc(), Application.id.desc())
    if paging is not None:
        query = query.limit(paging.per_page).offset(paging.offset)
    apps = list(db.session.scalars(query).unique().all())
    rows = [(a, next_step(a, available_transitions(user, a), a.review_refusal(user))) for a in apps]
    return rows, total if paging is not None else len(rows)


def partnership_counts(user) -> list[tuple[object, object, int]]:
    """(workflow, state, how many) of ``user``'s partnerships' applications, in workflow order:
    a state's title alone does not say which process it belongs to (two drafts: phase 1's and
    phase 2's)."""
    rows = db.session.execute(
        select(Application.workflow, Application.state, func.count())
        .where(_partnerships(user))
        .group_by(Application.workflow, Application.state)
    ).all()
    out = []
    for workflow, state, n in rows:
        wf = get_workflow(workflow)
        order = [s.name for s in wf.states].index(state)
        info = wf.state(state)
        out.append(((info.phase or 99, workflow, order), wf, info, n))  # phase 1 first
    return [(wf, state, n) for _key, wf, state, n in sorted(out, key=lambda r: r[0])]


def applicant_tables(rows: list[tuple[Application, NextStep]]) -> dict[str, Table]:
    return {
        "applications": Table(
            "applications",
            [_("Application"), _("Call"), _("Lead partner"), _("State"), _("Next step"),
             _("Details")],
            [
                [a.title, a.call.title, a.lead_organisation.name, translate(a.state_info.title),
                 translate(step.headline), "; ".join(translate(i) for i in step.items)]
                for a, step in rows
            ],
        )
    }  # fmt: skip


# --- communities -------------------------------------------------------------------------------


@dataclass
class CommunityBoard:
    community: Community
    role: str
    states: list[tuple[object, int]]

    @property
    def total(self) -> int:
        return sum(n for _s, n in self.states)

    @property
    def chart_rows(self) -> list[tuple[str, int]]:
        return [(translate(s.title), n) for s, n in self.states if n]


def community_ids(user) -> list[int]:
    return list(
        db.session.scalars(
            select(CommunityMember.community_id).where(CommunityMember.user_id == user.id)
        ).all()
    )


def community_boards(user) -> list[CommunityBoard]:
    """Each community ``user`` belongs to, with its proposals by state (every state of the
    workflow, zeros included): two queries, read off the tallies."""
    memberships = db.session.execute(
        select(Community, CommunityMember.role)
        .join(CommunityMember, CommunityMember.community_id == Community.id)
        .where(CommunityMember.user_id == user.id)
        .order_by(Community.name)
    ).all()
    if not memberships:
        return []
    counts: dict[tuple[int, str], int] = {}
    for community_id, state, n in db.session.execute(
        select(ProposalTally.community_id, ProposalTally.state, ProposalTally.n).where(
            ProposalTally.community_id.in_([c.id for c, _role in memberships])
        )
    ).all():
        counts[(community_id, state)] = n
    wf = get_workflow("community_proposal")
    return [
        CommunityBoard(c, role, [(s, counts.get((c.id, s.name), 0)) for s in wf.states])
        for c, role in memberships
    ]


def community_tables(boards: list[CommunityBoard]) -> dict[str, Table]:
    return {
        "proposals": Table(
            "proposals",
            [_("Community"), _("State"), _("Proposals")],
            [[b.community.name, translate(s.title), n] for b in boards for s, n in b.states],
        )
    }
