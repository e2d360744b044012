"""``?page=&per_page=`` for the pages and the API alike."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask import current_app

from tracker.errors import BadRequest


@dataclass(frozen=True)
class PageRequest:
    page: int
    per_page: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def page_request(args: Mapping[str, str]) -> PageRequest:
    """Parse and bound the paging arguments; 400 on nonsense (page=0, per_page=abc)."""
    default = current_app.config["PER_PAGE"]
    ceiling = current_app.config["MAX_PER_PAGE"]
    try:
        page = int(args.get("page") or 1)
        per_page = int(args.get("per_page") or default)
    except ValueError as err:
        raise BadRequest("page and per_page must be whole numbers.", code="bad_paging") from err
    if page < 1 or per_page < 1:
        raise BadRequest("page and per_page start at 1.", code="bad_paging")
    return PageRequest(page, min(per_page, ceiling))
