"""One work queue per person: what waits for them across every workflow, longest waiting first.

The queue is built from *sources*, one per domain, each a function ``(user, now, limit)`` that
returns ``Gathered(items, more)``: at most ``limit`` ``QueueItem``s whose next move is ``user``'s,
oldest first, and whether more were left out. Every item has the same shape: what it is (kind,
id, title, what it belongs to), its workflow and state, since when it waits, its due date and
whether it is overdue, where to act and what to do there (``tracker.web.nextstep``). A source
costs a fixed number of queries whatever the number of its items (load what the options read
eagerly), so the queue does too; ``tests/dashboards/test_queue.py`` pins the count.

Due dates follow the dashboards (``tracker.dashboards.service_times``): in a state with a service
time the Region (or the committee, the board...) is awaited, and the item is due that many days
after it entered the state (a call's own service times first); where the procedural clock is
suspended (``State.clock_suspended``: the applicants are awaited) the due date is the reply date
of the pending integration request instead, never a service time.

To add a workflow, give its domain a read-only query of what may await a person
(``tracker/<domain>/queries.py``: ``awaiting(user, limit)``, oldest in its state first, with what
its options read loaded eagerly), write its source here (``report_items`` is the shortest
example), list it in ``SOURCES`` and its kind in ``KINDS``.

``subject_item`` asks the engine for the person's options (``subject.roles_of(user)``; pass
``options=`` when a list knows the roles already), keeps the item only when the next step is
theirs, and dates it by the state's ``service_days`` (pass ``days=`` for a call's own, and
``reply_by=`` where the clock is suspended). The home page, ``/dashboard/queue`` and
``GET /api/v1/me/queue`` list the new kind from then on; add a case to
``tests/dashboards/test_queue.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import url_for

from tracker.applications.operations import available_transitions
from tracker.changes import queries as change_queries
from tracker.columns import utcnow
from tracker.communities import queries as proposal_queries
from tracker.dashboards.service_times import service_days
from tracker.dashboards.worklist import worklist_candidates
from tracker.firing import options as options_of
from tracker.i18n import translate
from tracker.reports import queries as report_queries
from tracker.web.nextstep import NextStep, holds_role, next_step
from workflows import Option, get_engine
from workflows.conditions import local_date
from workflows.i18n import N_
from workflows.model import Context, State


@dataclass(frozen=True)
class Kind:
    """What a queue item is, as people read it, and the full list of its kind."""

    label: str
    list_label: str
    list_endpoint: str


KINDS = {
    "application": Kind(N_("Application"), N_("applications"), "applications.index"),
    "proposal": Kind(N_("Community proposal"), N_("community proposals"), "proposals.index"),
    "change": Kind(N_("Partnership change"), N_("partnership changes"), "changes.index"),
    "report": Kind(N_("Monitoring report"), N_("monitoring reports"), "reports.index"),
}

#: each source gathers at most this many items (its oldest): the queue's bound
GATHERED = 200

#: not a reviewable subject: next_step offers no review
NO_REVIEW = "no review"


@dataclass(frozen=True)
class QueueItem:
    """One thing waiting for a person, whatever its workflow."""

    kind: str
    id: int
    title: str
    #: what it belongs to (lead partner and call, community, value chain), for people
    context: str
    workflow: str
    state: State
    waiting_since: dt.datetime
    days_waiting: int
    due: dt.date | None
    overdue: bool
    #: the applicants are awaited (the Region's clock is suspended): ``due`` is a reply date
    reply_awaited: bool
    #: the page where to act
    link: str
    #: the same object in the JSON API (its triggers are fired at ``resource + "/transitions"``)
    resource: str
    step: NextStep
    #: the first move the person may make now, or None (a review, or conditions unmet)
    next_trigger: str | None

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind].label


@dataclass(frozen=True)
class Gathered:
    items: list[QueueItem]
    #: the source had more than it was asked for (the newest were left out)
    more: bool = False


Source = Callable[[Any, dt.datetime, int], Gathered]


def due_date(
    state: State,
    entered: dt.datetime,
    now: dt.datetime,
    days: int | None,
    reply_by: dt.date | None = None,
) -> tuple[dt.date | None, bool]:
    """(due date, overdue) of something in ``state`` since ``entered``: the reply date where the
    clock is suspended, else ``days`` (the state's service time) after it entered; (None, False)
    where neither is set."""
    if state.clock_suspended:
        return reply_by, reply_by is not None and local_date(now) > reply_by
    if days is None:
        return None, False
    deadline = entered + dt.timedelta(days=days)
    return local_date(deadline), now > deadline


def _replies(options: list[Option]) -> bool:
    """The person's own moves include the applicants' reply (a submission)."""
    return any(holds_role(o) and o.transition.submission for o in options)


def _first_trigger(options: list[Option]) -> str | None:
    return next(
        (
            o.transition.trigger
            for o in options
            if o.allowed and holds_role(o) and not o.transition.optional
        ),
        None,
    )


def subject_item(
    kind: str,
    subject,
    title: str,
    context: str,
    link: str,
    resource: str,
    user,
    now: dt.datetime,
    *,
    options: list[Option] | None = None,
    days: int | None = None,
    reply_by: dt.date | None = None,
    review_refusal: str | None = NO_REVIEW,
) -> QueueItem | None:
    """The item of a workflow subject (anything with ``workflow``, ``state``, ``state_info``,
    ``state_entered_at``) if its next move is ``user``'s, else None. ``options`` default to the
    engine's for ``user``'s roles; ``days`` to the state's service time in its definition."""
    options = options_of(user, subject, now) if options is None else options
    step = next_step(subject, options, review_refusal)
    state = subject.state_info
    if not step.concerns_me or (
        step.kind == "fix" and state.clock_suspended and not _replies(options)
    ):
        # while the clock is suspended the applicants' reply is awaited: a move of someone
        # else's that is not possible yet (declaring inadmissible before the reply date) waits
        return None
    if days is None:
        days = state.service_days
    due, overdue = due_date(state, subject.state_entered_at, now, days, reply_by)
    return QueueItem(
        kind=kind,
        id=subject.id,
        title=title,
        context=context,
        workflow=subject.workflow,
        state=state,
        waiting_since=subject.state_entered_at,
        days_waiting=(local_date(now) - local_date(subject.state_entered_at)).days,
        due=due,
        overdue=overdue,
        reply_awaited=state.clock_suspended,
        link=link,
        resource=resource,
        step=step,
        next_trigger=_first_trigger(options),
    )


def kept(items) -> list[QueueItem]:
    """The items of a source, without the Nones of ``subject_item`` (not the person's move)."""
    return [i for i in items if i is not None]


# --- the sources ----------------------------------------------------------------------------


def application_items(user, now: dt.datetime, limit: int) -> Gathered:
    """Applications of every workflow (value chains, each measure's support applications, HUB)
    that a role of ``user`` may move or review now, or once they fix what is unmet."""
    found = worklist_candidates(user, limit + 1)
    apps = found[:limit]
    calls = {a.call_id: a.call for a in apps}
    days = service_days(list(calls.values()))  # one query for every call's service times
    items = []
    for app in apps:
        pending = app.pending_integration
        items.append(
            subject_item(
                "application", app, app.title,
                f"{app.lead_organisation.name} · {app.call.title}",
                url_for("applications.detail", application_id=app.id),
                url_for("api.get_application", application_id=app.id), user, now,
                options=available_transitions(user, app),
                days=days[app.call_id].get(app.state),
                reply_by=pending.reply_by if pending is not None else None,
                review_refusal=app.review_refusal(user),
            )
        )  # fmt: skip
    return Gathered(kept(items), len(found) > limit)


def proposal_items(user, now: dt.datetime, limit: int) -> Gathered:
    """Community proposals waiting for a coordinator of their community, the AFIL board or the
    Region's officers."""
    found = proposal_queries.awaiting(user, limit + 1)
    items = []
    for proposal, roles in found[:limit]:
        ctx = Context(roles=roles, now=now, actor=user)
        items.append(
            subject_item(
                "proposal", proposal, proposal.title, proposal.community.name,
                url_for("proposals.detail", proposal_id=proposal.id),
                url_for("api.get_proposal", proposal_id=proposal.id), user, now,
                options=get_engine(proposal.workflow).options(proposal, ctx),
            )
        )  # fmt: skip
    return Gathered(kept(items), len(found) > limit)


def change_items(user, now: dt.datetime, limit: int) -> Gathered:
    """Partnership changes for their counterpart to answer, or for an officer to acknowledge."""
    found = change_queries.awaiting(user, limit + 1)
    items = [
        subject_item(
            "change", c, f"{translate(c.kind_label)}: {c.organisation.name}", c.application.title,
            url_for("changes.detail", change_id=c.id),
            url_for("api.get_change", change_id=c.id), user, now,
        )
        for c in found[:limit]
    ]  # fmt: skip
    return Gathered(kept(items), len(found) > limit)


def report_items(user, now: dt.datetime, limit: int) -> Gathered:
    """Monitoring reports for the lead partner's staff to file or correct, or for an officer to
    accept or return."""
    found = report_queries.awaiting(user, limit + 1)
    items = [
        subject_item(
            "report", r, report_queries.title_of(r), r.application.title,
            url_for("reports.detail", report_id=r.id),
            url_for("api.get_report", report_id=r.id), user, now,
        )
        for r in found[:limit]
    ]  # fmt: skip
    return Gathered(kept(items), len(found) > limit)


#: every source of the queue; ties in waiting time keep this order
SOURCES: tuple[Source, ...] = (application_items, proposal_items, change_items, report_items)


# --- the queue ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Queue:
    items: list[QueueItem]
    #: some source had more than ``per_source``: the full lists hold the rest
    capped: bool
    per_source: int = GATHERED

    @property
    def overdue(self) -> int:
        return sum(1 for i in self.items if i.overdue)

    @property
    def kinds(self) -> list[Kind]:
        """The kinds present, in ``KINDS`` order (the page links to their full lists)."""
        present = {i.kind for i in self.items}
        return [kind for name, kind in KINDS.items() if name in present]


def queue_for(user, now: dt.datetime | None = None, per_source: int = GATHERED) -> Queue:
    """What waits for ``user`` across every source, longest waiting first."""
    now = now or utcnow()
    ranked: list[tuple[tuple[dt.datetime, int, int], QueueItem]] = []
    capped = False
    for rank, source in enumerate(SOURCES):
        gathered = source(user, now, per_source)
        ranked += [((i.waiting_since, rank, i.id), i) for i in gathered.items]
        capped = capped or gathered.more
    ranked.sort(key=lambda entry: entry[0])
    return Queue([item for _key, item in ranked], capped, per_source)
