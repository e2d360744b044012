"""Italian and English (Flask-Babel): which language a request is answered in.

The language a user chose (kept on the user, and in a cookie for visitors) wins; otherwise the
browser's Accept-Language; otherwise English.
"""

from __future__ import annotations

from flask import Flask, request
from flask_babel import Babel
from flask_login import current_user

from tracker.settings import ROOT

LANGUAGES = ("en", "it")
DEFAULT_LANGUAGE = "en"
LANGUAGE_COOKIE = "language"
DOMAINS = ("pages", "code")

babel = Babel()


def chosen_language() -> str | None:
    """The language the visitor picked, if any and if we speak it."""
    user_choice = getattr(current_user, "language", None) if current_user else None
    for choice in (user_choice, request.cookies.get(LANGUAGE_COOKIE)):
        if choice in LANGUAGES:
            return choice
    return None


def select_locale() -> str:
    return chosen_language() or request.accept_languages.best_match(
        LANGUAGES, default=DEFAULT_LANGUAGE
    )


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "Europe/Rome")
    # Two catalogues: "pages" (templates) and "code" (tracker/ and workflows/ Python).
    translations = str(ROOT / "tracker" / "translations")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", f"{translations};{translations}")
    app.config.setdefault("BABEL_DOMAIN", ";".join(DOMAINS))
    babel.init_app(app, locale_selector=select_locale)
