"""The public registry of recognised value chains (no login)."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from tracker.labels.operations import registry_page
from tracker.pagination import page_request
from tracker.views.queries import registry_totals

bp = Blueprint("registry", __name__, url_prefix="/registry")


@bp.get("")
def index():
    paging = page_request(request.args)
    rows, total = registry_page(paging.page, paging.per_page, include_revoked=True)
    return render_template(
        "registry/index.html", rows=rows, total=total, paging=paging, totals=registry_totals()
    )
