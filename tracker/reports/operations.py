"""Everything that changes a report: the pages and the API both call these. Operations check
access, validate, change the rows and flush; they never commit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tracker.applications.models import Application
from tracker.auth.models import User
from tracker.columns import utcnow
from tracker.database import flush
from tracker.errors import Conflict, Forbidden, NotFound, ValidationFailed
from tracker.extensions import db
from tracker.firing import check_version, fire_transition, options
from tracker.reports.models import Report
from tracker.reports.queries import kinds_for, next_period
from tracker.signals import subject_created
from tracker.validation import Problems
from workflows import Option, get_engine
from workflows.definitions.report import INDICATORS, KINDS
from workflows.i18n import N_, term

#: what a report's form and PATCH change, beside the indicators
MONEY = ("investments", "spend")
COUNTS = tuple(n for n in INDICATORS if n not in MONEY)


def get_report(report_id: int, user, *, for_change: bool = False) -> Report:
    """A report the user may see: 404 when it does not exist, 403 when not theirs; ``for_change``
    reads it afresh."""
    query = (
        select(Report)
        .where(Report.id == report_id)
        .options(joinedload(Report.application).selectinload(Application.partners))
    )
    if for_change:
        query = query.execution_options(populate_existing=True)
    report = db.session.scalar(query)
    if report is None:
        raise NotFound(N_("No report %(id)s.", id=report_id))
    if not report.can_view(user):
        raise Forbidden(N_("You may not see this report."), code="not_allowed")
    return report


def available_transitions(user, report: Report) -> list[Option]:
    return options(user, report)


def _values(p: Problems, report: Report, fields: dict[str, Any]) -> dict[str, Any]:
    """The cleaned values of the keys ``fields`` sends; each bad one named in ``p``."""
    allowed = {"summary", *(INDICATORS if report.kind == "periodic" else ("spend",))}
    unknown = sorted(k for k in fields if k not in allowed and k != "version")
    for name in unknown:
        p[name] = N_(
            "A %(kind)s does not have this field.", kind=term(report.kind_label, lower=True)
        )
    values: dict[str, Any] = {}
    for name, raw in fields.items():
        if name not in allowed:
            continue
        if name == "summary":
            values[name] = p.text(name, raw, N_("Summary"), max_len=20000, required=False)
        elif raw in (None, ""):
            values[name] = None  # cleared: the report lacks it again
        elif name in MONEY:
            label = INDICATORS.get(name, N_("Eligible spend (EUR)"))
            values[name] = p.decimal(name, raw, label)
        else:
            values[name] = p.integer(name, raw, INDICATORS[name], maximum=10**7)
    return values


def file_report(
    user: User, app: Application, fields: dict[str, Any], *, at: dt.datetime | None = None
) -> Report:
    """The lead partner's staff start the next report of a kind ``app`` reports now (a draft);
    the other keys of ``fields`` fill it as ``update_report`` does. ``at`` backdates it (demo)."""
    p = Problems()
    kind = p.choice("kind", fields.get("kind"), N_("Kind of report"), KINDS)
    p.raise_if_any()
    if "lead" not in app.roles_of(user):
        raise Forbidden(
            N_("Only the lead partner's staff file the reports of a value chain or project."),
            code="not_allowed",
        )
    if kind not in kinds_for(app):
        raise Conflict(
            N_(
                "This application files no %(kind)s now: a value chain holding its quality "
                "label files periodic reports; a funded project being carried out files "
                "progress reports and its final report.",
                kind=term(KINDS[kind], lower=True),
            ),
            code="not_reporting",
        )
    period, due = next_period(app, kind)
    if kind == "final" and period > 1:
        raise Conflict(N_("The project's final report is already filed."), code="duplicate")
    now = utcnow() if at is None else at
    report = Report(
        application=app, kind=kind, period=period, due_on=due, created_by_id=user.id,
        created_at=now, updated_at=now, state_entered_at=now,
    )  # fmt: skip
    get_engine("report").initialise(report)
    values = _values(p, report, {k: v for k, v in fields.items() if k != "kind"})
    p.raise_if_any()
    for name, value in values.items():
        setattr(report, name, value)
    db.session.add(report)
    subject_created.send(type(report), subject=report, user=user)
    flush()
    return report


def update_report(user: User, report: Report, fields: dict[str, Any]) -> Report:
    """Change what a report says: the lead partner's staff, while it is a draft or returned;
    only the keys sent change, an empty one is cleared. 403 for others, 409 once submitted or
    on a stale ``version``, 422 naming every bad field."""
    if "lead" not in report.roles_of(user):
        raise Forbidden(N_("Only the lead partner's staff change a report."), code="not_allowed")
    if not report.editable:
        raise Conflict(
            N_(
                "The report is '%(state)s': it changes only while a draft or returned for changes.",
                state=term(report.state_info.title),
            ),
            code="not_editable",
        )
    check_version(report, fields.get("version"))
    p = Problems()
    values = _values(p, report, fields)
    if not values and not p:
        raise ValidationFailed(N_("Nothing to change: send at least one field."), code="empty")
    p.raise_if_any()
    for name, value in values.items():
        setattr(report, name, value)
    flush()
    return report


__all__ = [
    "available_transitions",
    "file_report",
    "fire_transition",
    "get_report",
    "update_report",
]
