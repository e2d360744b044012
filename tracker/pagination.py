"""``?page=&per_page=`` for the pages and the API alike."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask import current_app

from tracker.errors import BadRequest
from workflows.i18n import N_

#: No one pages that far: the bound keeps OFFSET inside a 64-bit integer.
MAX_PAGE = 10**6


@dataclass(frozen=True)
class PageRequest:
    page: int
    per_page: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def page_request(args: Mapping[str, str]) -> PageRequest:
    """Parse and bound the paging arguments; 400 on nonsense (page=0, per_page=abc), an empty
    value included (``page=`` is a mistake, not a request for the first page)."""
    default = current_app.config["PER_PAGE"]
    ceiling = current_app.config["MAX_PER_PAGE"]
    page, per_page = _whole(args, "page", 1), _whole(args, "per_page", default)
    if page < 1 or per_page < 1:
        raise BadRequest("page and per_page start at 1.", code="bad_paging")
    if page > MAX_PAGE:
        raise BadRequest(N_("page must be at most %(max)s.", max=MAX_PAGE), code="bad_paging")
    return PageRequest(page, min(per_page, ceiling))


def _whole(args: Mapping[str, str], name: str, default: int) -> int:
    raw = args.get(name)
    if raw is None:
        return default
    raw = raw.strip()
    if not raw.isdecimal():
        raise BadRequest("page and per_page must be whole numbers.", code="bad_paging")
    return int(raw[:12])
