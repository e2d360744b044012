"""One search over applications (titles, concept notes) and organisations (names), for
everyone: each person finds only what they may see (``tracker.search.queries``)."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from tracker.pagination import PageRequest, page_request
from tracker.querystring import query_text
from tracker.search import queries as search

bp = Blueprint("search", __name__, url_prefix="/search")

#: results of each group shown when both are
PREVIEW = 5


@bp.get("")
def index():
    q = query_text(request.args, "q") or ""
    group = search.group_of(request.args)
    paging = page_request(request.args) if group else PageRequest(1, PREVIEW)
    user = current_user if current_user.is_authenticated else None
    results = {}
    for name, find in (
        ("applications", search.search_applications),
        ("organisations", search.search_organisations),
    ):
        if group in (None, name):
            results[name] = find(user, q, paging)
    chains = {}
    if user is None and "organisations" in results:  # the public follows them to the registry
        chains = search.registry_chains_of([hit.id for hit in results["organisations"][0]])
    return render_template(
        "search/index.html",
        q=q,
        words=search.terms(q),
        group=group,
        results=results,
        paging=paging,
        chains=chains,
    )
