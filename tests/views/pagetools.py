"""Reading pages as a person does: the visible text, whitespace collapsed."""

from __future__ import annotations

import re
from html import unescape


def text_of(response) -> str:
    """The page's visible text, whitespace collapsed, entities decoded: what a person reads."""
    return text_of_html(response.get_data(as_text=True))


def text_of_html(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()
