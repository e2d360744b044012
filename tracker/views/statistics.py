"""The public statistics page beside the registry (no login)."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from tracker.dashboards import tables
from tracker.dashboards.statistics import public_statistics, statistics_tables
from tracker.exports import export_format, export_response
from tracker.params import query_text

bp = Blueprint("statistics", __name__, url_prefix="/statistics")


@bp.get("")
def index():
    stats = public_statistics()
    fmt = export_format(request.args.get("format"))
    if fmt is not None:
        table = tables.pick(statistics_tables(stats), query_text(request.args, "table", max_len=40))
        return export_response(f"statistics-{table.name}", table.columns, table.rows, fmt)
    return render_template("statistics/index.html", stats=stats)
