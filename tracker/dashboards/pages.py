"""Dashboards: the officer's figures (overall and per call), the committee member's work, the
applicant's partnerships and the community's proposals. Each costs a fixed number of queries;
every table downloads as CSV or XLSX (``?format=csv|xlsx&table=<name>``).

Also the home page (what the tracker is, or what waits for the person logged in) and the public
statistics page beside the registry (no login), each a section of the site of its own.

(``flask --app wsgi dashboards rebuild|check``: ``tracker.dashboards.cli``.)
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker.applications.operations import available_transitions
from tracker.changes.panels import dashboard_context as changes_dashboard
from tracker.changes.panels import home_context as changes_home
from tracker.dashboards import figures as fig
from tracker.dashboards import people, tables
from tracker.dashboards.queue import queue_for
from tracker.dashboards.service_times import DEFAULT_DAYS, set_service_times
from tracker.dashboards.statistics import public_statistics, statistics_tables
from tracker.dashboards.worklist import partnership_applications
from tracker.database import commit
from tracker.errors import Forbidden, TrackerError
from tracker.exports import export_format, export_response
from tracker.extensions import db
from tracker.pagination import page_request
from tracker.querystring import query_text
from tracker.reference import S3_ECOSYSTEMS
from tracker.reports.panels import dashboard_context as reports_dashboard
from tracker.reports.panels import home_context as reports_home
from tracker.web.nextstep import next_step
from workflows.i18n import N_

bp = Blueprint("dashboards", __name__, url_prefix="/dashboard")
home_bp = Blueprint("home", __name__)
statistics_bp = Blueprint("statistics", __name__, url_prefix="/statistics")
# application pages name an application's S3 ecosystem (a breakdown of these dashboards)
bp.add_app_template_global(S3_ECOSYSTEMS, "S3_ECOSYSTEMS")


def _user():
    return current_user._get_current_object()


def _download(build, prefix: str):
    """The table ``?table=`` names as the ``?format=`` download, or None for the page itself;
    ``build()`` makes the tables (only when a download is asked for)."""
    fmt = export_format(request.args.get("format"))
    if fmt is None:
        return None
    table = tables.pick(build(), query_text(request.args, "table", max_len=40))
    return export_response(f"{prefix}-{table.name}", table.columns, table.rows, fmt)


@bp.get("")
@login_required
def index():
    """Officers and committee members: every call they follow; others: their own dashboard."""
    user = _user()
    if not fig.may_see_dashboard(user):
        if user.has_role("applicant") and user.organisation_id is not None:
            return redirect(url_for("dashboards.applicant"))
        if people.community_ids(user) or user.has_role("board"):
            return redirect(url_for("dashboards.communities"))
        raise Forbidden(
            N_("The dashboard is for Region officers and committee members."),
            code="role_not_allowed",
        )
    return _officer_page(fig.scope_for(user, None))


@bp.get("/calls/<int:call_id>")
@login_required
def call(call_id: int):
    return _officer_page(fig.scope_for(_user(), call_id))


def _officer_page(scope: fig.Scope):
    figures = fig.officer_figures(scope)
    named = tables.officer_tables(figures)
    prefix = f"dashboard-call-{scope.call.id}" if scope.call else "dashboard"
    download = _download(lambda: named, prefix)
    if download is not None:
        return download
    return render_template(
        "dashboards/officer.html",
        figures=figures,
        tables=named,
        service_states=DEFAULT_DAYS.get(scope.call.workflow, {}) if scope.call else {},
        can_set_service=scope.call is not None and _user().has_role("officer"),
        **(changes_dashboard(_user()) if scope.call is None else {"change_figures": None}),
        **(reports_dashboard(_user()) if scope.call is None else {"report_figures": None}),
    )


@bp.post("/calls/<int:call_id>/service-times")
@login_required
def service_times(call_id: int):
    scope = fig.scope_for(_user(), call_id)
    states = DEFAULT_DAYS.get(scope.call.workflow, {})
    wanted = {state: request.form.get(state, "") for state in states}
    try:
        set_service_times(_user(), scope.call, wanted)
    except TrackerError as err:
        db.session.rollback()
        if err.status != 422:
            raise
        problems = (err.details or {}).get("fields", {})
        figures = fig.officer_figures(scope)
        return render_template(
            "dashboards/officer.html",
            figures=figures,
            tables=tables.officer_tables(figures),
            service_states=states,
            can_set_service=True,
            service_problems=problems,
            service_typed=wanted,
        ), 422
    commit()
    flash(_("Service times saved."), "success")
    return redirect(url_for("dashboards.call", call_id=call_id) + "#service-times")


@bp.get("/committee")
@login_required
def committee():
    user = _user()
    if not user.has_role("reviewer"):
        raise Forbidden(
            N_("This dashboard is for members of evaluation committees."),
            code="role_not_allowed",
        )
    waiting = people.committee_work(user)
    download = _download(
        lambda: people.committee_tables(waiting, people.reviews_by(user, None)[0]), "committee"
    )
    if download is not None:
        return download
    paging = page_request(request.args)
    reviewed, total = people.reviews_by(user, paging)
    return render_template(
        "dashboards/committee.html", waiting=waiting, reviewed=reviewed, total=total, paging=paging
    )


@bp.get("/applicant")
@login_required
def applicant():
    user = _user()
    if not user.has_role("applicant") or user.organisation_id is None:
        raise Forbidden(
            N_("This dashboard is for applicants belonging to an organisation."),
            code="role_not_allowed",
        )
    download = _download(
        lambda: people.applicant_tables(people.partnership_page(user, None)[0]), "applications"
    )
    if download is not None:
        return download
    paging = page_request(request.args)
    rows, total = people.partnership_page(user, paging)
    counts = people.partnership_counts(user)
    return render_template(
        "dashboards/applicant.html", rows=rows, total=total, paging=paging, counts=counts
    )


@bp.get("/communities")
@login_required
def communities():
    user = _user()
    boards = people.community_boards(user)
    board = people.board_waiting(user)
    download = _download(lambda: people.community_tables(boards, board), "communities")
    if download is not None:
        return download
    return render_template(
        "dashboards/communities.html", boards=boards, board=board, shown=people.OPEN_SHOWN
    )


# --- home and the work queue ----------------------------------------------------------------

#: the home page shows the queue's first items, then links to the whole queue
SHOWN = 25


@home_bp.get("/", endpoint="index")
def home_page():
    if not current_user.is_authenticated:
        return render_template("home/public.html")
    user = _user()
    work = queue_for(user)
    mine = [
        (a, next_step(a, available_transitions(user, a), a.review_refusal(user)))
        for a in partnership_applications(user)
    ]
    return render_template(
        "home/dashboard.html",
        queue=work,
        waiting=work.items[:SHOWN],
        waiting_more=max(0, len(work.items) - SHOWN),
        mine=mine,
        sees_proposals=bool(people.community_ids(user)) or user.has_role("board"),
        **changes_home(user),
        **reports_home(user),
    )


@bp.get("/queue")
@login_required
def queue():
    """The whole queue, a page at a time (the home page shows its first items)."""
    work = queue_for(_user())
    paging = page_request(request.args)
    return render_template(
        "home/queue.html",
        queue=work,
        waiting=work.items[paging.offset : paging.offset + paging.per_page],
        total=len(work.items),
        paging=paging,
    )


# --- the public statistics ------------------------------------------------------------------


@statistics_bp.get("", endpoint="index")
def statistics_page():
    stats = public_statistics()
    fmt = export_format(request.args.get("format"))
    if fmt is not None:
        table = tables.pick(statistics_tables(stats), query_text(request.args, "table", max_len=40))
        return export_response(f"statistics-{table.name}", table.columns, table.rows, fmt)
    return render_template("statistics/index.html", stats=stats)
