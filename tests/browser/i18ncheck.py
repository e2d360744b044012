"""What the pages should say in a language: the compiled catalogues' translation of an English
message (``pages`` for the templates, ``code`` for the workflow definitions and the Python code).

A message without an Italian translation fails the test that expects it: an Italian page that
shows English is a bug here, not a pass.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from babel.support import Translations

CATALOGUES = Path(__file__).parents[2] / "tracker" / "translations"
DOMAINS = ("pages", "code")


def translator(lang: str) -> Callable[[str], str]:
    if lang == "en":
        return lambda message: message
    loaded = [Translations.load(str(CATALOGUES), [lang], domain) for domain in DOMAINS]
    loaded = [c for c in loaded if isinstance(c, Translations)]  # a missing one is Null
    assert loaded, f"no compiled {lang} catalogue in {CATALOGUES}"

    def translate(message: str) -> str:
        for catalogue in loaded:
            said = catalogue.gettext(message)
            if said != message:
                return said
        raise AssertionError(f"no {lang} translation of {message!r} in {CATALOGUES}")

    return translate
