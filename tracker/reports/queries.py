"""Reading reports: who reports what and when (the schedules), lists, a report's history, what
waits for someone, overdue reports, the figures the dashboards show."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from flask import current_app
from sqlalchemy import Integer, and_, case, cast, extract, func, or_, select
from sqlalchemy.orm import joinedload

from tracker.applications.models import Application, HistoryEntry, Partner
from tracker.calls.models import Call
from tracker.database import count_rows, newest
from tracker.errors import BadRequest
from tracker.extensions import db
from tracker.firing import history_rows
from tracker.i18n import translate
from tracker.labels.models import QualityLabel
from tracker.labels.queries import CLOSED_STATES, label_set_version
from tracker.pagination import PageRequest
from tracker.querystring import query_text
from tracker.reports.access import visible_filter
from tracker.reports.models import (
    ACCEPTED_STATES,
    CHAIN_KINDS,
    FILED_STATES,
    PROJECT_KINDS,
    WORKFLOW,
    Report,
    ReportHistory,
)
from tracker.reports.schedule import due_on, periods_due, periods_shown
from workflows import WORKFLOWS
from workflows.conditions import local_date
from workflows.definitions.report import KINDS
from workflows.i18n import N_

#: the states a recognised value chain reports in: holding its label, not ended
CHAIN_STATES = tuple(WORKFLOWS["value_chain"].states_where(holds_label=True, terminal=False))


def project_states(workflow: str) -> tuple[str, ...]:
    """The states a funded project reports in: those its ``complete`` leaves from (in
    implementation; a minibond issue subscribed)."""
    complete = WORKFLOWS[workflow].transition("complete")
    return tuple(complete.sources) if complete is not None else ()


#: workflow -> its projects' reporting states, for the workflows that have any
PROJECT_STATES = {name: s for name in WORKFLOWS if (s := project_states(name))}


def reporting(app: Application, kind: str) -> bool:
    """Whether ``app`` reports this kind now: a chain holding its label reports periodically, a
    project being carried out reports its progress and its end."""
    if kind in CHAIN_KINDS:
        return app.workflow == "value_chain" and app.state in CHAIN_STATES
    return app.state in PROJECT_STATES.get(app.workflow, ())


def kinds_for(app: Application) -> list[str]:
    return [k for k in KINDS if reporting(app, k)]


def never_reported(app: Application) -> bool:
    """Known without a query to have no report: a value chain never labelled (it reports
    while holding its label, whose row stays once granted)."""
    return app.workflow == "value_chain" and app.label is None


def start_of(app: Application, kind: str) -> dt.date | None:
    """The day a kind's schedule counts from: the label's decree (periodic), the start of the
    implementation (progress: the day the project entered its reporting state). None for a
    final report, or when ``app`` does not report this kind."""
    if not reporting(app, kind) or kind == "final":
        return None
    if kind in CHAIN_KINDS:
        return app.label.decree_date if app.label is not None else None
    at = db.session.scalar(
        select(func.max(HistoryEntry.at)).where(
            HistoryEntry.application_id == app.id, HistoryEntry.to_state == app.state
        )
    )
    return local_date(at) if at is not None else None


@dataclass(frozen=True)
class Due:
    """One report of a schedule: filed or not, and whether it is late."""

    application: Application
    kind: str
    period: int
    due_on: dt.date | None
    report: Report | None = None
    overdue: bool = False

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]


def next_period(app: Application, kind: str) -> tuple[int, dt.date | None]:
    """The period and due day of the next report of ``kind`` to file on ``app``."""
    last = db.session.scalar(
        select(func.max(Report.period)).where(Report.application_id == app.id, Report.kind == kind)
    )
    period = (last or 0) + 1
    start = start_of(app, kind)
    return period, (
        None if start is None else due_on(start, app.call.report_interval_months, period)
    )


def schedule(app: Application, today: dt.date) -> list[Due]:
    """Every report of ``app``: those filed (any state) and those fallen due (or due within
    ``AHEAD`` days) not yet filed, by kind and period."""
    reports = {
        (r.kind, r.period): r
        for r in db.session.scalars(select(Report).where(Report.application_id == app.id))
    }
    items: list[Due] = []
    for kind in kinds_for(app):
        start = start_of(app, kind)
        if start is None:
            continue
        interval = app.call.report_interval_months
        for k in range(1, periods_shown(start, interval, today) + 1):
            day = due_on(start, interval, k)
            report = reports.pop((kind, k), None)
            late = day < today and (report is None or report.state not in FILED_STATES)
            items.append(Due(app, kind, k, day, report, late))
    items += [Due(app, r.kind, r.period, r.due_on, r) for r in reports.values()]
    return sorted(items, key=lambda d: (list(KINDS).index(d.kind), d.period))


# --- overdue reports, in bulk ------------------------------------------------------------------
#
# Chains are many (every recognised value chain reports) and projects few (those being carried
# out): the chains' overdue reports are counted and picked in SQL, the projects' in Python.

#: the home page lists the overdue reports of at most this many chains, oldest decree first
CHAINS_LISTED = 50


def _chain_periods_due(today: dt.date):
    """SQL twin of ``schedule.periods_due`` for a chain's periodic reports: how many have fallen
    due by ``today``, counted every ``report_interval_months`` from the label's decree. Report k
    is due ``add_months(decree, k * interval)``; a day in today's month is before today when the
    decree's day (kept within the month) is."""
    start, interval = QualityLabel.decree_date, Call.report_interval_months
    months = today.year * 12 + today.month - (extract("year", start) * 12 + extract("month", start))
    fallen = cast(months - case((extract("day", start) < today.day, 0), else_=1), Integer)
    return case((fallen < interval, 0), else_=fallen // interval)


def _chains_reporting(lead_organisation_id: int | None):
    query = (
        select(Application.id)
        .join(QualityLabel, QualityLabel.application_id == Application.id)
        .join(Call, Call.id == Application.call_id)
        .where(Application.workflow == "value_chain", Application.state.in_(CHAIN_STATES))
    )
    if lead_organisation_id is not None:
        query = query.where(Application.lead_organisation_id == lead_organisation_id)
    return query


def _chain_overdue_counts(today: dt.date, lead_organisation_id: int | None):
    """(id, late): each reporting chain and how many of its periodic reports are overdue."""
    due = _chain_periods_due(today)
    filed = (
        select(func.count())
        .where(
            Report.application_id == Application.id,
            Report.kind == "periodic",
            Report.state.in_(FILED_STATES),
            Report.period <= due,
        )
        .scalar_subquery()
    )
    return _chains_reporting(lead_organisation_id).add_columns((due - filed).label("late"))


def _projects_reporting(lead_organisation_id: int | None, ids=None):
    """(project, start of its implementation) of every project that reports progress."""
    entered = (
        select(func.max(HistoryEntry.at))
        .where(
            HistoryEntry.application_id == Application.id,
            HistoryEntry.to_state == Application.state,
        )
        .scalar_subquery()
    )
    projects = select(Application, entered).where(
        or_(
            *(
                and_(Application.workflow == wf, Application.state.in_(states))
                for wf, states in PROJECT_STATES.items()
            )
        )
    )
    if lead_organisation_id is not None:
        projects = projects.where(Application.lead_organisation_id == lead_organisation_id)
    rows = db.session.execute(projects.options(joinedload(Application.call)))
    return [(app, "progress", local_date(at)) for app, at in rows if at is not None]


def _late(candidates, today: dt.date) -> list[Due]:
    """The overdue reports of these (application, kind, start day), oldest first."""
    filed = set(
        db.session.execute(
            select(Report.application_id, Report.kind, Report.period).where(
                Report.state.in_(FILED_STATES),
                Report.application_id.in_([app.id for app, _, _ in candidates]),
            )
        ).all()
    ) if candidates else set()  # fmt: skip
    late: list[Due] = []
    for app, kind, start in candidates:
        interval = app.call.report_interval_months
        for k in range(1, periods_due(start, interval, today) + 1):
            if (app.id, kind, k) not in filed:
                late.append(Due(app, kind, k, due_on(start, interval, k), overdue=True))
    return sorted(late, key=lambda d: (d.due_on, d.application.id))


#: where ``_kept`` keeps its results, in ``app.extensions``
KEPT = "tracker.reports.kept"


def _chains_version() -> tuple:
    """What identifies the inputs of every chain's schedule at once, read by index lookups.
    A chain starts reporting when its label is granted (the label's decree date is the grant's,
    never changed) and stops when it is revoked or the chain is closed; its reports count when
    filed (a report's transition); a call's interval is set when the call is created. So: the
    set of labels (``label_set_version``), how many chains are closed (closing is terminal) and
    the newest report transition (``newest``: its id and time)."""
    closed = (  # of any workflow with such a state name: from the index alone
        select(func.count())
        .select_from(Application)
        .where(Application.state.in_(CLOSED_STATES))
        .scalar_subquery()
    )
    version = (
        *label_set_version(),
        closed,
        *newest(ReportHistory.id, ReportHistory.at),
    )
    return tuple(db.session.execute(select(*version)).one())


def _kept(name: str, today: dt.date, compute):
    """``compute()`` over the chains, kept per app under ``today`` and ``_chains_version()``.

    Counting every chain's overdue reports reads every recognised value chain (tens of
    thousands at 100,000 applications: 100 ms on PostgreSQL, 160 ms on SQLite) while the answer
    changes only with the day, a label, a closure or a report; the officers' pages ask on each
    visit, and the submissions and evaluations of a deadline day change none of it. The key is
    read from the database, so a change made through any process or instance misses."""
    key = (today, _chains_version())
    kept = current_app.extensions.setdefault(KEPT, {})
    if kept.get(name, (None,))[0] != key:
        kept[name] = (key, compute())  # only the current inputs are worth keeping
    return kept[name][1]


def overdue_count(today: dt.date) -> int:
    """How many reports are past their day and neither submitted nor accepted: the chains'
    counted once per change of their inputs, the projects' (few) each time."""
    chains = _kept("count", today, lambda: _count_chains_overdue(today))
    return chains + len(_late(_projects_reporting(None), today))


def count_overdue(today: dt.date) -> int:
    """``overdue_count`` counted afresh."""
    return _count_chains_overdue(today) + len(_late(_projects_reporting(None), today))


def _count_chains_overdue(today: dt.date) -> int:
    counts = _chain_overdue_counts(today, None).subquery()
    return int(db.session.scalar(select(func.coalesce(func.sum(counts.c.late), 0))))


def _oldest_late_chains(today: dt.date) -> list[int]:
    """The ``CHAINS_LISTED`` late chains with the oldest decrees."""
    late_chains = _chain_overdue_counts(today, None).subquery()
    return list(
        db.session.scalars(
            select(late_chains.c.id)
            .where(late_chains.c.late > 0)
            .join(QualityLabel, QualityLabel.application_id == late_chains.c.id)
            .order_by(QualityLabel.decree_date, late_chains.c.id)
            .limit(CHAINS_LISTED)
        )
    )


def overdue(today: dt.date, lead_organisation_id: int | None = None) -> list[Due]:
    """Reports past their day and neither submitted nor accepted, oldest first: those of the
    chains and projects one organisation leads, or, for everyone, those of the
    ``CHAINS_LISTED`` chains with the oldest decrees among the late ones and of every project
    (``overdue_count`` counts them all)."""
    if lead_organisation_id is None:
        chosen = _kept("listed", today, lambda: _oldest_late_chains(today))
    else:
        late_chains = _chain_overdue_counts(today, lead_organisation_id).subquery()
        chosen = select(late_chains.c.id).where(late_chains.c.late > 0).scalar_subquery()
    chains = db.session.execute(
        select(Application, QualityLabel.decree_date)
        .join(QualityLabel, QualityLabel.application_id == Application.id)
        .where(Application.id.in_(chosen))
        .options(joinedload(Application.call))
    ).all()
    candidates = [(app, "periodic", day) for app, day in chains]
    return _late(candidates + _projects_reporting(lead_organisation_id), today)


# --- lists -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportFilters:
    application_id: int | None = None
    state: str | None = None
    kind: str | None = None


def read_filters(args, application_id: int | None = None) -> ReportFilters:
    """The list's filters from a query string (the page's and the API's): 400 for an unknown
    state or kind."""
    state = query_text(args, "state", max_len=50)
    kind = query_text(args, "kind", max_len=20)
    if state is not None and not WORKFLOW.has_state(state):
        raise BadRequest(N_("Unknown state '%(state)s'.", state=state), code="bad_query")
    if kind is not None and kind not in KINDS:
        raise BadRequest(N_("Unknown kind of report '%(kind)s'.", kind=kind), code="bad_query")
    return ReportFilters(application_id=application_id, state=state, kind=kind)


def reports_query(user, filters: ReportFilters):
    query = select(Report).where(visible_filter(user, Report, Partner))
    if filters.application_id is not None:
        query = query.where(Report.application_id == filters.application_id)
    if filters.state:
        query = query.where(Report.state == filters.state)
    if filters.kind:
        query = query.where(Report.kind == filters.kind)
    return query


def list_reports(user, filters: ReportFilters, paging: PageRequest) -> tuple[list[Report], int]:
    """One page of what ``user`` may see, the latest due first, and the total."""
    query = reports_query(user, filters)
    rows = db.session.scalars(
        query.options(joinedload(Report.application).joinedload(Application.lead_organisation))
        .order_by(Report.created_at.desc(), Report.id.desc())
        .limit(paging.per_page)
        .offset(paging.offset)
    ).all()
    return list(rows), count_rows(query)


def history_of(report: Report) -> list[ReportHistory]:
    """Oldest first, with the actors."""
    return history_rows(ReportHistory, report)


def spend_reported(app: Application) -> Decimal:
    """The eligible spend of ``app``'s accepted progress and final reports, added up."""
    total = db.session.scalar(
        select(func.sum(Report.spend)).where(
            Report.application_id == app.id,
            Report.kind.in_(PROJECT_KINDS),
            Report.state.in_(ACCEPTED_STATES),
        )
    )
    return Decimal(total or 0).quantize(Decimal("0.01"))


def awaiting(user, limit: int = 50) -> list[Report]:
    """The reports whose next move is ``user``'s: the submitted ones for officers; drafts and
    returned reports for the lead partner's staff."""
    if user.has_role("officer"):
        query = select(Report).where(Report.state.in_(WORKFLOW.states_awaiting("officer")))
    elif user.has_role("applicant") and user.organisation_id is not None:
        query = select(Report).where(
            Report.state.in_(WORKFLOW.states_awaiting("lead")),
            Report.application_id.in_(
                select(Application.id).where(
                    Application.lead_organisation_id == user.organisation_id
                )
            ),
        )
    else:
        return []
    return list(
        db.session.scalars(
            # the application's partners: who is lead or partner on the report (its options)
            query.options(joinedload(Report.application).selectinload(Application.partners))
            .order_by(Report.state_entered_at, Report.id)
            .limit(limit)
        ).all()
    )


def title_of(report: Report) -> str:
    """How people name a report: "Periodic report no. 2", "Final report"."""
    kind = translate(report.kind_label)
    if report.kind == "final":
        return kind
    return translate(N_("%(kind)s no. %(num)s", kind=kind, num=report.period))


@dataclass(frozen=True)
class ReportFigures:
    """How many reports of each kind are in each state, and how many are overdue."""

    by_kind_state: dict[tuple[str, str], int] = field(default_factory=dict)
    overdue: int = 0

    def count(self, kind: str, state: str) -> int:
        return self.by_kind_state.get((kind, state), 0)

    @property
    def kinds(self) -> list[str]:
        return list(KINDS)

    @property
    def states(self) -> list[str]:
        return [s.name for s in WORKFLOW.states]


def report_figures(today: dt.date) -> ReportFigures:
    rows = db.session.execute(
        select(Report.kind, Report.state, func.count()).group_by(Report.kind, Report.state)
    ).all()
    return ReportFigures({(k, s): n for k, s, n in rows}, overdue_count(today))
