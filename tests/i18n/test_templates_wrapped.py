"""No template says anything outside ``_()``: what people read (text between tags, and the
attributes they read: alt, title, aria-label, placeholder, data-label) comes from a Jinja
expression, so that it goes through the catalogue. Only the product's name stays as it is."""

from __future__ import annotations

import re

import pytest

from tracker.settings import ROOT

TEMPLATES = ROOT / "templates"
SAME_IN_EVERY_LANGUAGE = {"Tracker"}
READ_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder", "data-label", "aria-description")
WORD = re.compile(r"[^\W\d_]{2,}")


def unwrapped(source: str) -> list[str]:
    """The words a template says outside Jinja expressions and tags."""
    source = re.sub(r"\{#.*?#\}", " ", source, flags=re.S)
    source = re.sub(r"<(script|style)\b.*?</\1>", " ", source, flags=re.S)
    source = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", " ", source, flags=re.S)
    found = [
        f'{name}="{value}"'
        for name, value in re.findall(rf'\b({"|".join(READ_ATTRIBUTES)})="([^"]*)"', source)
        if WORD.search(value)
    ]
    text = re.sub(r"<[^>]*>", "\n", source)
    found += [
        chunk.strip()
        for chunk in re.split(r"\n|\s{2,}", text)
        if WORD.search(chunk) and chunk.strip() not in SAME_IN_EVERY_LANGUAGE
    ]
    return found


@pytest.mark.parametrize(
    "template",
    sorted(
        str(p.relative_to(TEMPLATES))
        for pattern in ("**/*.html", "**/*.txt")
        for p in TEMPLATES.glob(pattern)
    ),
)
def test_every_word_a_template_says_is_translatable(template):
    assert unwrapped((TEMPLATES / template).read_text()) == []


def test_the_check_finds_bare_words():
    assert unwrapped('<p>Hello <a title="Go there" href="/x">{{ _("there") }}</a></p>') == [
        'title="Go there"',
        "Hello",
    ]
    assert unwrapped("<h1>{{ _('Calls') }}</h1>{# a comment #}<span>Tracker</span> · 3") == []
