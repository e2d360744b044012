"""The officer dashboard's figures, read off the tallies: a fixed number of small queries
whatever the number of applications (the page and ``GET /api/v1/dashboard`` share them).

Officers and committee members count what they may see: applications handed to the evaluators
(``submitted``); drafts appear only as one number, "in preparation". A committee member's
figures cover the calls of their committees.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import and_, case, func, literal, select, union_all

from tracker.applications.models import Application
from tracker.calls.models import Call
from tracker.columns import utcnow
from tracker.dashboards import service_times
from tracker.dashboards.models import ApplicationTally, BreakdownTally, DurationTally
from tracker.dashboards.tallies import Durations, durations
from tracker.errors import Forbidden, NotFound
from tracker.extensions import db
from tracker.i18n import translate
from tracker.integrations.models import IntegrationRequest
from tracker.organisations.models import Organisation
from tracker.reference import LOMBARDY_PROVINCES, S3_ECOSYSTEMS, THEMATIC_AREAS
from workflows import get_workflow
from workflows.conditions import local_date
from workflows.i18n import N_

#: the oldest overdue applications listed
OLDEST_SHOWN = 10


@dataclass(frozen=True)
class Scope:
    """The calls a person's figures cover: one call, or ``call_ids`` (None: every call)."""

    calls: list[Call]
    call: Call | None = None
    call_ids: frozenset[int] | None = None

    def where(self, column):
        if self.call is not None:
            return column == self.call.id
        if self.call_ids is not None:
            return column.in_(sorted(self.call_ids)) if self.call_ids else literal(False)
        return literal(True)


def may_see_dashboard(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_role("officer", "reviewer"))


def scope_for(user, call_id: int | None) -> Scope:
    """Officers see every call; a committee member the calls of their committees (403 for
    another call); nobody else sees the officer dashboard. 404 for a call that does not exist."""
    if not may_see_dashboard(user):
        raise Forbidden(
            N_("The dashboard is for Region officers and committee members."),
            code="role_not_allowed",
        )
    officer = user.has_role("officer")
    mine = None if officer else frozenset(user.committee_call_ids)
    if call_id is not None:
        call = db.session.get(Call, call_id)
        if call is None:
            raise NotFound(N_("No call %(id)s.", id=call_id))
        if mine is not None and call.id not in mine:
            raise Forbidden(
                N_("You sit on this call's committee only if the Region appoints you to it."),
                code="not_allowed",
            )
        return Scope([call], call=call)
    query = select(Call).order_by(Call.deadline.desc(), Call.id.desc())
    if mine is not None:
        query = query.where(Call.id.in_(sorted(mine)))
    return Scope(list(db.session.scalars(query).all()), call_ids=mine)


# --- the figures -----------------------------------------------------------------------------


@dataclass
class StateFigure:
    workflow: str
    state: str
    title: str
    phase: int | None
    tone: str
    terminal: bool
    count: int = 0
    durations: Durations = Durations(0, None, None)
    service_days: int | None = None  # the scope's single call, else None (they may differ)
    #: the applicants' time: the Region's clock is suspended (Law 241/1990 art. 2 c. 7); its
    #: ``overdue`` counts replies past their date, never the Region's delays
    clock_suspended: bool = False
    overdue: int = 0
    #: the Region's clock runs here (the state has a service time): what the duration chart
    #: draws; a recognised value chain stays in its state for years by design
    clocked: bool = False
    #: the initial state only: drafts never submitted, counted, never split
    in_preparation: int | None = None

    @property
    def applications(self) -> int:
        """What its row says under "Applications", on the page and in the CSV alike: drafts in
        preparation for the initial state, else the submitted applications in it."""
        return self.count if self.in_preparation is None else self.in_preparation


@dataclass
class WorkflowFigures:
    name: str
    title: str
    states: list[StateFigure]
    in_preparation: int = 0

    @property
    def total(self) -> int:
        return sum(s.count for s in self.states)

    @property
    def overdue(self) -> int:
        """The Region's delays: the states where its clock runs."""
        return sum(s.overdue for s in self.states if not s.clock_suspended)

    @property
    def replies_overdue(self) -> int:
        """Integration requests past their reply date: the applicants' delay."""
        return sum(s.overdue for s in self.states if s.clock_suspended)

    @property
    def average_rows(self) -> list[tuple[str, float | None]]:
        """(state title, average days) of the states where the Region's clock runs, with stays
        that ended: a chart's bars. States held for years by design (a label granted, support
        active) would swamp the evaluation's stages, and a suspended clock's stays are the
        applicants' time: they stay in the table only."""
        return [
            (translate(s.title), s.durations.average_days)
            for s in self.states
            if s.durations.count and s.clocked and not s.clock_suspended
        ]


@dataclass
class BreakdownRow:
    key: str
    label: str
    total: int = 0
    in_progress: int = 0
    positive: int = 0


@dataclass
class Overdue:
    application_id: int
    title: str
    lead: str
    call_id: int
    call_title: str
    workflow: str
    state: str
    entered_at: dt.datetime
    days: int
    service_days: int

    @property
    def state_info(self):
        return get_workflow(self.workflow).state(self.state)

    @property
    def days_late(self) -> int:
        return self.days - self.service_days


@dataclass
class MeasureBudget:
    call_id: int
    title: str
    budget: object
    committed: object

    @property
    def remaining(self):
        return self.budget - self.committed

    @property
    def share(self) -> float:
        return float(self.committed / self.budget) if self.budget else 0.0


@dataclass
class Figures:
    scope: Scope
    workflows: list[WorkflowFigures]
    breakdowns: dict[str, list[BreakdownRow]]
    oldest_overdue: list[Overdue]
    measures: list[MeasureBudget]
    service: dict[int, dict[str, int]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(w.total for w in self.workflows)

    @property
    def overdue(self) -> int:
        return sum(w.overdue for w in self.workflows)

    @property
    def replies_overdue(self) -> int:
        return sum(w.replies_overdue for w in self.workflows)

    @property
    def in_preparation(self) -> int:
        return sum(w.in_preparation for w in self.workflows)

    def chart_rows(self, breakdown: str) -> list[tuple[str, int]]:
        return [(r.label, r.total) for r in self.breakdowns[breakdown]]

    def by_state(self) -> dict[str, int]:
        """State name -> count; one call lists every state of its workflow, zeros included,
        several calls only the states something is in (summed across workflows)."""
        out: dict[str, int] = defaultdict(int)
        for w in self.workflows:
            for s in w.states:
                if self.scope.call is not None or s.count:
                    out[s.state] += s.count
        return dict(out)


def officer_figures(scope: Scope, now: dt.datetime | None = None) -> Figures:
    """Everything the officer dashboard shows for ``scope``."""
    now = now or utcnow()
    workflow_of = {c.id: c.workflow for c in scope.calls}
    service_days = service_times.service_days(scope.calls)
    flows = _workflow_figures(scope, workflow_of)
    _add_durations(scope, flows, workflow_of)
    _add_overdue(scope, flows, service_days, now)
    _add_replies_overdue(scope, flows, workflow_of, now)
    if scope.call is not None:
        for s in flows[scope.call.workflow].states:
            s.service_days = service_days[scope.call.id].get(s.state)
    return Figures(
        scope=scope,
        workflows=[w for w in flows.values() if w.total or w.in_preparation or scope.call],
        breakdowns=_breakdowns(scope),
        oldest_overdue=_oldest_overdue(scope, service_days, now),
        measures=[
            MeasureBudget(c.id, c.title, c.budget, c.committed or 0)
            for c in scope.calls
            if c.budget is not None
        ],
        service=service_days,
    )


def _workflow_figures(scope: Scope, workflow_of: dict[int, str]) -> dict[str, WorkflowFigures]:
    names = sorted(set(workflow_of.values()), key=_workflow_order)
    flows = {}
    for name in names:
        wf = get_workflow(name)
        flows[name] = WorkflowFigures(
            name,
            wf.title,
            [
                StateFigure(
                    name, s.name, s.title, s.phase, s.tone, s.terminal,
                    clocked=s.service_days is not None,
                    in_preparation=0 if s.name == wf.initial else None,
                    clock_suspended=s.clock_suspended,
                )
                for s in wf.states
            ],
        )  # fmt: skip
    b = BreakdownTally
    rows = db.session.execute(
        select(b.call_id, b.value, func.sum(b.n))
        .where(b.dimension == "state", scope.where(b.call_id))
        .group_by(b.call_id, b.value)
    ).all()
    for call_id, state, n in rows:
        flow = flows.get(workflow_of.get(call_id))
        figure = _state(flow, state) if flow is not None else None
        if figure is not None:
            figure.count += n
    # drafts never submitted: counted, never split (the partnerships' own business)
    t = ApplicationTally
    initial = sorted({get_workflow(w).initial for w in names})
    drafts = db.session.execute(
        select(t.call_id, func.sum(t.n))
        .where(t.state.in_(initial), t.submitted.is_(False), scope.where(t.call_id))
        .group_by(t.call_id)
    ).all()
    for call_id, n in drafts:
        flow = flows.get(workflow_of.get(call_id))
        if flow is not None:
            flow.in_preparation += n or 0
    for flow in flows.values():  # one number, the page's and the CSV's
        flow.states[0].in_preparation = flow.in_preparation
    return flows


def _workflow_order(name: str) -> tuple[int, str]:
    order = ["value_chain", "support_application", "hub_eoi"]
    return (order.index(name) if name in order else len(order), name)


def _state(flow: WorkflowFigures, state: str) -> StateFigure | None:
    return next((s for s in flow.states if s.state == state), None)


def _add_durations(scope: Scope, flows, workflow_of) -> None:
    t = DurationTally
    rows = db.session.execute(
        select(t.scope_id, t.state, t.bucket, func.sum(t.n), func.sum(t.seconds))
        .where(t.kind == "application", scope.where(t.scope_id))
        .group_by(t.scope_id, t.state, t.bucket)
    ).all()
    histograms: dict[tuple[str, str], dict[int, list[int]]] = defaultdict(dict)
    for call_id, state, bucket, n, seconds in rows:
        workflow = workflow_of.get(call_id)
        if workflow is None:
            continue
        cell = histograms[(workflow, state)].setdefault(bucket, [0, 0])
        cell[0] += n
        cell[1] += seconds
    for (workflow, state), histogram in histograms.items():
        figure = _state(flows[workflow], state)
        if figure is not None:
            figure.durations = durations({b: (n, s) for b, (n, s) in histogram.items()})


@dataclass(frozen=True)
class Cutoff:
    """Calls of one workflow sharing a state's service time: overdue when entered before ``at``."""

    workflow: str
    state: str
    days: int
    at: dt.datetime
    call_ids: tuple[int, ...]

    @property
    def clause(self):
        # ranges of ix_applications_call_state_entered, one per call
        return and_(
            Application.call_id.in_(self.call_ids),
            Application.state == self.state,
            Application.state_entered_at < self.at,
        )


def _cutoffs(scope: Scope, service_days, now) -> list[Cutoff]:
    groups: dict[tuple[str, str, int], list[int]] = defaultdict(list)
    for call in scope.calls:
        for state, days in service_days[call.id].items():
            groups[(call.workflow, state, days)].append(call.id)
    return [
        Cutoff(workflow, state, days, now - dt.timedelta(days=days), tuple(sorted(ids)))
        for (workflow, state, days), ids in sorted(groups.items())
    ]


def _add_overdue(scope: Scope, flows, service_days, now) -> None:
    """One count per group of ranges of the index, glued by UNION ALL: each reads only the
    index entries of overdue applications (an OR of all the ranges would scan the whole index)."""
    cutoffs = _cutoffs(scope, service_days, now)
    if not cutoffs:
        return
    counts = [
        select(literal(i).label("cutoff"), func.count().label("n"))
        .select_from(Application)
        .where(c.clause)
        for i, c in enumerate(cutoffs)
    ]
    for i, n in db.session.execute(union_all(*counts)).all():
        figure = _state(flows[cutoffs[i].workflow], cutoffs[i].state)
        if figure is not None:
            figure.overdue += n


def _add_replies_overdue(scope: Scope, flows, workflow_of, now) -> None:
    """Integration requests still open after their reply date, by call and state: one query
    over the open requests (a handful at any time)."""
    r = IntegrationRequest
    rows = db.session.execute(
        select(Application.call_id, Application.state, func.count())
        .join(r, r.application_id == Application.id)
        .where(
            r.closed_at.is_(None), r.reply_by < local_date(now), scope.where(Application.call_id)
        )
        .group_by(Application.call_id, Application.state)
    ).all()
    for call_id, state, n in rows:
        flow = flows.get(workflow_of.get(call_id))
        figure = _state(flow, state) if flow is not None else None
        if figure is not None and figure.clock_suspended:
            figure.overdue += n


def _oldest_overdue(scope: Scope, service_days, now) -> list[Overdue]:
    """The applications longest overdue: the first entries of each (call, state) range of the
    index, merged (never a scan of every overdue one); then those few, with their names."""
    cutoffs = _cutoffs(scope, service_days, now)
    if not cutoffs:
        return []
    parts = [
        select(Application.id.label("id"), Application.state_entered_at.label("entered"))
        .where(c.clause)
        .order_by(Application.state_entered_at)
        .limit(OLDEST_SHOWN)
        .subquery()
        .select()
        for c in cutoffs
    ]
    first = union_all(*parts).subquery()
    ids = db.session.scalars(
        select(first.c.id).order_by(first.c.entered, first.c.id).limit(OLDEST_SHOWN)
    ).all()
    if not ids:
        return []
    rows = db.session.execute(
        select(
            Application.id,
            Application.title,
            Organisation.name,
            Call.id,
            Call.title,
            Call.workflow,
            Application.state,
            Application.state_entered_at,
        )
        .join(Organisation, Organisation.id == Application.lead_organisation_id)
        .join(Call, Call.id == Application.call_id)
        .where(Application.id.in_(ids))
        .order_by(Application.state_entered_at, Application.id)
    ).all()
    return [
        Overdue(
            aid,
            title,
            lead,
            cid,
            ctitle,
            wf,
            state,
            entered,
            (now - entered) // dt.timedelta(days=1),
            service_days[cid][state],
        )
        for aid, title, lead, cid, ctitle, wf, state, entered in rows
    ]


# --- breakdowns ------------------------------------------------------------------------------

DIMENSIONS = {
    "province": LOMBARDY_PROVINCES,
    "thematic_area": THEMATIC_AREAS,
    "s3_ecosystem": S3_ECOSYSTEMS,
}
#: breakdowns whose rows overlap: an application naming several thematic areas counts under
#: each of them, so the rows add up to more than the applications counted
OVERLAPPING = ("thematic_area",)


def _breakdowns(scope: Scope) -> dict[str, list[BreakdownRow]]:
    """Submitted applications by the lead's province, thematic area and S3 ecosystem: how many,
    how many still in progress, how many reached a positive outcome. One small query."""
    t = BreakdownTally
    rows = db.session.execute(
        select(
            t.dimension,
            t.value,
            func.sum(t.n),
            func.sum(case((t.in_progress.is_(True), t.n), else_=0)),
            func.sum(case((t.positive.is_(True), t.n), else_=0)),
        )
        .where(scope.where(t.call_id))
        .group_by(t.dimension, t.value)
    ).all()
    tables: dict[str, list[BreakdownRow]] = {name: [] for name in DIMENSIONS}
    for dimension, value, total, in_progress, positive in rows:
        if not total or dimension not in tables:
            continue
        labels = DIMENSIONS[dimension]
        label = translate(labels.get(value, value)) if value else _("Not stated")
        tables[dimension].append(BreakdownRow(value, label, total, in_progress, positive))
    return {
        name: sorted(rows_, key=lambda r: (-r.total, r.key == "", r.label))
        for name, rows_ in tables.items()
    }
