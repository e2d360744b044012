"""One search over applications and organisations, for anyone: with a token, what its user may
see; without one, what the public registry shows."""

from __future__ import annotations

from flask import request

from tracker.api.framework import PAGING, QueryParam, authenticate, endpoint, paging, query_text
from tracker.search import queries as search
from tracker.search.schemas import SearchGroupOut, SearchOut


def _hit(hit: search.Hit) -> dict:
    row = hit.row
    if hit.kind == "application":
        label = row.label
        return {
            "id": hit.id, "title": str(hit.title), "snippet": str(hit.snippet),
            "state": row.state, "workflow": row.workflow,
            "label_code": label.code if label is not None else None,
        }  # fmt: skip
    return {
        "id": hit.id, "title": str(hit.title), "snippet": "", "kind": row.kind,
        "province": row.province,
    }  # fmt: skip


@endpoint(
    "GET", "/search", summary="Search applications and organisations", tag="search",
    response=SearchOut, errors=(400, 401), public=True,
    query=(
        QueryParam("q", "Words to find: each as the start of a word, all of them; any text is "
                   "accepted (quotes, operators and punctuation are ignored)."),
        QueryParam("in", "One group only, paged: applications or organisations.",
                   {"type": "string", "enum": list(search.GROUPS)}),
        *PAGING,
    ),
)  # fmt: skip
def get_search() -> SearchOut:
    """Public: without a token it searches the value chains of the public registry (by title)
    and their organisations; with one (401 if it is not valid), the applications its user may
    see (titles and concept notes, drafts of its own partnerships included) and every
    organisation. Best matches first; ``title`` and ``snippet`` are HTML with the matched words
    in ``<mark>``."""
    user = authenticate() if request.headers.get("Authorization", "").strip() else None
    q = query_text("q") or ""
    group, page = search.group_of(request.args), paging()
    answer: dict = {"q": q.strip(), "words": list(search.terms(q))}
    for name, find in (
        ("applications", search.search_applications),
        ("organisations", search.search_organisations),
    ):
        answer[name] = None
        if group in (None, name):
            hits, total = find(user, q, page)
            answer[name] = SearchGroupOut.of([_hit(h) for h in hits], page, total)
    return SearchOut.model_validate(answer)
