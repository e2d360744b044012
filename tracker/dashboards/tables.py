"""Every dashboard table as header cells and rows: what the page draws, and what its CSV and
XLSX downloads hold (``?format=csv&table=<name>``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from tracker.dashboards.figures import OVERLAPPING, Figures
from tracker.errors import BadRequest


@dataclass(frozen=True)
class Table:
    name: str
    columns: list[str]
    rows: list[list[Any]]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def officer_tables(fig: Figures) -> dict[str, Table]:
    tables = [
        Table(
            "states",
            [
                _("Workflow"), _("State"), _("Phase"), _("Applications"),
                _("Average days in state"), _("90th percentile, days"), _("Stays counted"),
                _("Service time, days"), _("Overdue"),
            ],
            [
                [
                    w.title, s.title, s.phase, s.applications, _round(s.durations.average_days),
                    _round(s.durations.p90_days), s.durations.count, s.service_days, s.overdue,
                ]
                for w in fig.workflows
                for s in w.states
            ],
        ),
        Table(
            "overdue",
            [
                _("Application"), _("Lead partner"), _("Call"), _("State"), _("In this state since"),
                _("Days in state"), _("Service time, days"),
            ],
            [
                [o.title, o.lead, o.call_title, o.state_info.title, o.entered_at, o.days,
                 o.service_days]
                for o in fig.oldest_overdue
            ],
        ),
        Table(
            "measures",
            [_("Measure"), _("Budget"), _("Committed"), _("Remaining")],
            [[m.title, m.budget, m.committed, m.remaining] for m in fig.measures],
        ),
    ]  # fmt: skip
    heads = {
        "province": _("Province of the lead partner"),
        "thematic_area": _("Thematic area"),
        "s3_ecosystem": _("S3 ecosystem"),
    }
    for name, rows in fig.breakdowns.items():
        submitted = (
            _("Submitted (each under every area it names: the rows overlap)")
            if name in OVERLAPPING
            else _("Submitted")
        )
        tables.append(
            Table(
                name,
                [heads[name], submitted, _("In progress"), _("Positive outcome")],
                [[r.label, r.total, r.in_progress, r.positive] for r in rows],
            )
        )
    return {t.name: t for t in tables}


def pick(tables: dict[str, Table], name: str | None) -> Table:
    """The table ``?table=`` names (400 for an unknown one)."""
    if name not in tables:
        raise BadRequest(
            _(
                "Unknown table '%(name)s': use one of %(names)s.",
                name=name or "",
                names=", ".join(tables),
            ),
            code="bad_table",
        )
    return tables[name]
