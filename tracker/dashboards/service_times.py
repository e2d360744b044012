"""Service times: how long an application may stay in a state before it is overdue.

Each state's default is in its workflow's definition (``State.service_days``: the evaluation's
usual pace, 60 days under evaluation, 30 for the admissibility check...); a call's officer may
change them for that call (``ServiceTime`` rows). Only states in which the Region or the
committee is awaited have one: a recognised value chain or a project being carried out stays
where it is for years by design. Where the applicants are awaited (an integration request) the
Region's procedural clock is suspended (Law 241/1990 art. 2 c. 7; ``State.clock_suspended``):
that state has no service time, each request carries its own date to reply by (the call's
``integration_reply_days``), and the dashboards count replies past it apart from the Region's
delays. A call's ``ServiceTime`` row for such a state (set before the rule) stays, unread.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select

from tracker.calls.models import Call
from tracker.dashboards.models import ServiceTime
from tracker.errors import Forbidden, ValidationFailed
from tracker.extensions import db
from workflows import WORKFLOWS
from workflows.i18n import N_

#: By workflow, each state's default service time (``State.service_days``, in the definitions).
DEFAULT_DAYS: dict[str, dict[str, int]] = {
    wf.name: {s.name: s.service_days for s in wf.states if s.service_days is not None}
    for wf in WORKFLOWS.values()
    if any(s.service_days is not None for s in wf.states)
}

MAX_DAYS = 3650


def service_days(calls: list[Call]) -> dict[int, dict[str, int]]:
    """Each call's service times, state by state: its own where set, else the defaults."""
    out = {c.id: dict(DEFAULT_DAYS.get(c.workflow, {})) for c in calls}
    if not calls:
        return out
    rows = db.session.execute(
        select(ServiceTime.call_id, ServiceTime.state, ServiceTime.days).where(
            ServiceTime.call_id.in_([c.id for c in calls])
        )
    ).all()
    for call_id, state, days in rows:
        if state in out[call_id]:
            out[call_id][state] = days
    return out


def set_service_times(user, call: Call, fields: dict[str, Any]) -> dict[str, int]:
    """An officer sets the call's service times (``{state: days}``; empty: back to the default).
    Returns the call's service times after the change."""
    if not user.has_role("officer"):
        raise Forbidden(
            N_("Only Region officers set a call's service times."), code="role_not_allowed"
        )
    defaults = DEFAULT_DAYS.get(call.workflow, {})
    problems: dict[str, str] = {}
    wanted: dict[str, int | None] = {}
    for state, raw in fields.items():
        if state not in defaults:
            problems[state] = N_("This state has no service time.")
            continue
        text = "" if raw is None else str(raw).strip()
        if text == "":
            wanted[state] = None
        elif not text.isdecimal() or not 1 <= int(text[:6]) <= MAX_DAYS:
            problems[state] = N_("Give a whole number of days from 1 to %(max)s.", max=MAX_DAYS)
        else:
            wanted[state] = int(text)
    if problems:
        raise ValidationFailed.fields(problems)
    for state, days in sorted(wanted.items()):
        db.session.execute(
            delete(ServiceTime).where(ServiceTime.call_id == call.id, ServiceTime.state == state)
        )
        if days is not None and days != defaults[state]:
            db.session.add(ServiceTime(call_id=call.id, state=state, days=days))
    db.session.flush()
    return service_days([call])[call.id]
