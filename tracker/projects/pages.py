"""The EU projects AFIL takes part in: the list and one project's page (any signed-in person)."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import login_required

from tracker.i18n import Labels
from tracker.pagination import page_request
from tracker.projects.models import PROJECT_KINDS
from tracker.projects.queries import get_project, list_projects

bp = Blueprint("projects", __name__, url_prefix="/projects")


@bp.get("")
@login_required
def index():
    paging = page_request(request.args)
    items, total = list_projects(paging)
    return render_template(
        "projects/index.html", items=items, total=total, paging=paging,
        kinds=Labels(PROJECT_KINDS),
    )  # fmt: skip


@bp.get("/<int:project_id>")
@login_required
def detail(project_id: int):
    return render_template(
        "projects/detail.html", project=get_project(project_id), kinds=Labels(PROJECT_KINDS)
    )
