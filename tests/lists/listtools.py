"""Helpers of the list tests: the visible text, the links, and counting SQL queries."""

from __future__ import annotations

import re
from html import unescape

from pagetools import counting_queries as counted_queries  # noqa: F401  (re-exported)


def visible_text(response) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.get_data(as_text=True), flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def links(response) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="([^"]+)"', response.get_data(as_text=True))]
