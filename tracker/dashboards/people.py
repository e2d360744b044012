"""The dashboards of the people who act on applications and proposals: the committee member's
work (to admit, to review, to close; what they reviewed), the applicant's partnerships with what
is needed next and by whom, and the proposals of a person's communities by state."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, select, union_all
from sqlalchemy.orm import contains_eager, joinedload

from tracker.applications.models import Application, Partner
from tracker.applications.operations import available_transitions
from tracker.applications.queries import load_judged
from tracker.calls.models import Call
from tracker.columns import utcnow
from tracker.communities.access import visible_filter
from tracker.communities.models import Community, CommunityMember, Proposal
from tracker.dashboards.models import ProposalTally
from tracker.dashboards.tables import Table
from tracker.database import count_rows
from tracker.extensions import db
from tracker.i18n import translate
from tracker.pagination import PageRequest
from tracker.reviews.models import Review
from tracker.web.nextstep import NextStep, holds_role, next_step, yours_once_declared
from tracker.web.templating import who
from workflows import get_workflow
from workflows.conditions import local_date

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
        .order_by(Application.state_entered_at, Application.id)
    )
    return load_judged(query, user)


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
    query = query.order_by(Application.updated_at.desc(), Application.id.desc())
    if paging is not None:
        query = query.limit(paging.per_page).offset(paging.offset)
    apps = load_judged(query, user)
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

#: a community's open proposals listed on its board (longest waiting first; the list has the rest)
OPEN_SHOWN = 50

PROPOSALS = get_workflow("community_proposal")


def awaited_roles(state: str) -> frozenset[str]:
    """Who is awaited in a proposal's ``state``: the roles of its moves that are not optional."""
    return frozenset(
        role for t in PROPOSALS.transitions_from(state) if not t.optional for role in t.roles
    )


@dataclass(frozen=True)
class WaitingProposal:
    """A proposal on a dashboard: how long it has been in its state, and who is awaited."""

    proposal: Proposal
    days: int

    @property
    def awaited(self) -> frozenset[str]:
        return awaited_roles(self.proposal.state)


def _waiting(proposals, today: dt.date) -> list[WaitingProposal]:
    return [WaitingProposal(p, (today - local_date(p.state_entered_at)).days) for p in proposals]


@dataclass
class CommunityBoard:
    community: Community
    role: str
    states: list[tuple[object, int]]
    #: its proposals still on their way, longest waiting first (at most ``OPEN_SHOWN``)
    open: list[WaitingProposal] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(n for _s, n in self.states)

    @property
    def open_total(self) -> int:
        return sum(n for s, n in self.states if not s.terminal)

    @property
    def chart_rows(self) -> list[tuple[str, int]]:
        return [(translate(s.title), n) for s, n in self.states if n]


def community_ids(user) -> list[int]:
    return list(
        db.session.scalars(
            select(CommunityMember.community_id).where(CommunityMember.user_id == user.id)
        ).all()
    )


def _open_proposals(community_ids: list[int]) -> dict[int, list[Proposal]]:
    """The open proposals of these communities, longest in their state first, at most
    ``OPEN_SHOWN`` each: one query (a window over ix_proposals_community_state)."""
    if not community_ids:
        return {}
    open_states = PROPOSALS.states_where(terminal=False)
    rank = (
        func.row_number()
        .over(
            partition_by=Proposal.community_id,
            order_by=(Proposal.state_entered_at, Proposal.id),
        )
        .label("rank")
    )
    ranked = (
        select(Proposal.id, rank)
        .where(Proposal.community_id.in_(community_ids), Proposal.state.in_(open_states))
        .subquery()
    )
    rows = db.session.scalars(
        select(Proposal)
        .join(ranked, ranked.c.id == Proposal.id)
        .where(ranked.c.rank <= OPEN_SHOWN)
        .order_by(Proposal.state_entered_at, Proposal.id)
    ).all()
    out: dict[int, list[Proposal]] = {c: [] for c in community_ids}
    for p in rows:
        out[p.community_id].append(p)
    return out


def community_boards(user, today: dt.date | None = None) -> list[CommunityBoard]:
    """Each community ``user`` belongs to, with its proposals by state (every state of the
    workflow, zeros included, read off the tallies) and its open proposals with how long each
    has waited and for whom: three queries."""
    today = today or local_date(utcnow())
    memberships = db.session.execute(
        select(Community, CommunityMember.role)
        .join(CommunityMember, CommunityMember.community_id == Community.id)
        .where(CommunityMember.user_id == user.id)
        .order_by(Community.name)
    ).all()
    if not memberships:
        return []
    ids = [c.id for c, _role in memberships]
    counts: dict[tuple[int, str], int] = {}
    for community_id, state, n in db.session.execute(
        select(ProposalTally.community_id, ProposalTally.state, ProposalTally.n).where(
            ProposalTally.community_id.in_(ids)
        )
    ).all():
        counts[(community_id, state)] = n
    open_ones = _open_proposals(ids)
    return [
        CommunityBoard(
            c,
            role,
            [(s, counts.get((c.id, s.name), 0)) for s in PROPOSALS.states],
            _waiting(open_ones[c.id], today),
        )
        for c, role in memberships
    ]


#: the proposals awaiting the AFIL board listed on its dashboard (longest waiting first)
BOARD_SHOWN = 200


def board_waiting(user, today: dt.date | None = None) -> list[WaitingProposal] | None:
    """For the AFIL board: every proposal that waits for the board, from every community, by
    community then longest waiting first (one query); None for anyone else."""
    if not user.has_role("board"):
        return None
    today = today or local_date(utcnow())
    rows = db.session.scalars(
        select(Proposal)
        .join(Community, Community.id == Proposal.community_id)
        .where(
            Proposal.state.in_(PROPOSALS.states_awaiting("board")),
            visible_filter(user, Proposal, CommunityMember),
        )
        .options(contains_eager(Proposal.community))
        .order_by(Community.name, Proposal.state_entered_at, Proposal.id)
        .limit(BOARD_SHOWN)
    ).all()
    return _waiting(rows, today)


def community_tables(
    boards: list[CommunityBoard], board: list[WaitingProposal] | None = None
) -> dict[str, Table]:
    columns = [_("Community"), _("Proposal"), _("State"), _("In this state since"),
               _("Days waiting"), _("Awaited")]  # fmt: skip

    def rows(waiting: list[WaitingProposal]) -> list[list]:
        return [
            [w.proposal.community.name, w.proposal.title, translate(w.proposal.state_info.title),
             w.proposal.state_entered_at, w.days, who(w.awaited)]
            for w in waiting
        ]  # fmt: skip

    tables = {
        "proposals": Table(
            "proposals",
            [_("Community"), _("State"), _("Proposals")],
            [[b.community.name, translate(s.title), n] for b in boards for s, n in b.states],
        ),
        "open": Table("open", columns, rows([w for b in boards for w in b.open])),
    }
    if board is not None:
        tables["board"] = Table("board", columns, rows(board))
    return tables
