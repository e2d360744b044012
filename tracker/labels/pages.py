"""The public registry of recognised value chains (no login)."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from tracker.dashboards.counts import closed_chain_count, label_counts
from tracker.exports import export_format
from tracker.exports import lists as export_lists
from tracker.labels.operations import registry_page
from tracker.labels.queries import registry_chain, registry_totals
from tracker.pagination import page_request

bp = Blueprint("registry", __name__, url_prefix="/registry")


@bp.get("")
def index():
    paging = page_request(request.args)
    fmt = export_format(request.args.get("format"))
    if fmt is not None:
        return export_lists.registry(fmt, label_counts())
    counts = label_counts()
    rows, total = registry_page(paging.page, paging.per_page, include_revoked=True, counts=counts)
    return render_template(
        "registry/index.html",
        rows=rows,
        total=total,
        paging=paging,
        totals=registry_totals(counts[0]) | {"closed": closed_chain_count()},
    )


@bp.get("/<string(maxlength=30):label_code>")
def chain(label_code: str):
    """A recognised value chain's public page: its label, partners, provinces, the support
    granted to it and the partnership changes in force."""
    return render_template("registry/chain.html", chain=registry_chain(label_code))
