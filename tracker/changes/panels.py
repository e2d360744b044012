"""What other pages show of partnership changes: an application's changes and shortfall, what
waits on the home page, the dashboard's figures. The application and dashboard pages ask these
(as they ask ``tracker.measures.panels``), so that no page imports another domain's pages."""

from __future__ import annotations

from typing import Any

from tracker.applications.models import Application
from tracker.auth.models import signed_in
from tracker.changes import queries
from tracker.changes.models import WORKFLOW
from tracker.changes.operations import in_registry, open_shortfall
from tracker.columns import utcnow
from workflows.conditions import local_date
from workflows.definitions.partnership_change import KINDS


def kinds_to_ask(user, app: Application) -> list[str]:
    """The kinds of change ``user`` may ask on ``app`` now (the operation judges the rest)."""
    if signed_in(user) is None or not app.changes_by_request:
        return []
    mine = user.organisation_id if user.has_role("applicant") else None
    if mine is None:
        return []
    if mine == app.lead_organisation_id:
        return list(KINDS)
    if app.partner_for(mine) is not None:
        return ["leave"]
    return ["join"] if in_registry(app) else []


def application_context(app: Application, user) -> dict[str, Any]:
    """An application's partnership changes (a value chain's only): its timeline of changes,
    what this person may ask, and its shortfall below the call's minimum with the time given."""
    if app.workflow != "value_chain":
        return {"changes": None}
    # changes are asked once it is submitted (``changes_by_request``; a draft's lead edits it
    # directly): before, it has none and no shortfall, and nothing is read
    asked = app.submitted_at is not None
    shortfall = open_shortfall(app.id) if asked else None
    return {
        "changes": {
            "timeline": queries.timeline_of(app) if asked else [],
            "kinds": kinds_to_ask(user, app),
            "shortfall": shortfall,
            "overdue": shortfall is not None and shortfall.overdue(local_date(utcnow())),
            "can_give_time": shortfall is not None and user.has_role("officer"),
        }
    }


def home_context(user) -> dict[str, Any]:
    """The home page's chains below their call's minimum this person is told about (officers:
    all; a lead partner's staff: their own). The changes waiting for them are in their work
    queue (``tracker.dashboards.queue``)."""
    if signed_in(user) is None:
        return {"shortfalls": []}
    return {
        "shortfalls": queries.shortfalls(user),
        "today": local_date(utcnow()),
    }


def dashboard_context(user) -> dict[str, Any]:
    """The officers' dashboard: changes by kind and state, chains below the minimum."""
    if not user.has_role("officer"):
        return {"change_figures": None}
    today = local_date(utcnow())
    figures = queries.change_figures(today)
    return {
        "change_figures": figures,
        "change_workflow": WORKFLOW,
        "change_kinds": KINDS,
        # one query for the figures; the list only when there is something to list
        "shortfalls": queries.shortfalls(user) if figures.below_minimum else [],
        "today": today,
    }
