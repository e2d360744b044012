"""Italian and English (Flask-Babel): which language a request is answered in, and the catalogues.

The language a user chose (kept on the user, and in a cookie for visitors) wins; otherwise the
browser's Accept-Language; otherwise English. English is the source language: msgids are English
and only Italian has catalogues, one per domain (``pages``: the templates; ``code``: the Python of
``tracker/`` and ``workflows/``), each extracted as ``translations/babel-<domain>.cfg`` says.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from flask import Flask, Response, request
from flask_babel import Babel, get_locale, refresh
from flask_login import current_user

from tracker.settings import ROOT

LANGUAGES = ("en", "it")
#: each language in its own words: the switch offers a language to those who read it
LANGUAGE_NAMES = {"en": "English", "it": "Italiano"}
DEFAULT_LANGUAGE = "en"
LANGUAGE_COOKIE = "language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
DOMAINS = ("pages", "code")
TRANSLATIONS = ROOT / "tracker" / "translations"
TRANSLATED = tuple(lang for lang in LANGUAGES if lang != DEFAULT_LANGUAGE)

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


def current_language() -> str:
    """'it' or 'en': the language this request (or ``force_locale`` block) is written in."""
    locale = get_locale()
    return locale.language if locale is not None else DEFAULT_LANGUAGE


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "Europe/Rome")
    # Two catalogues: "pages" (templates) and "code" (tracker/ and workflows/ Python).
    translations = str(TRANSLATIONS)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", f"{translations};{translations}")
    app.config.setdefault("BABEL_DOMAIN", ";".join(DOMAINS))
    babel.init_app(app, locale_selector=select_locale)
    # {% trans %} blocks are extracted trimmed (babel-pages.cfg): look them up the same way.
    app.jinja_env.policies["ext.i18n.trimmed"] = True

    @app.before_request
    def choose_afresh() -> None:
        # Flask-Babel keeps the language in ``g``; an app context shared by several requests
        # (tests, as in tracker.web) must not answer a request in the previous one's language.
        refresh()

    @app.context_processor
    def language_context() -> dict[str, Any]:
        return {"current_language": current_language(), "LANGUAGE_NAMES": LANGUAGE_NAMES}

    @app.after_request
    def vary_on_language(response: Response) -> Response:
        """Pages differ by Accept-Language and the language cookie: caches must keep them apart."""
        if response.mimetype == "text/html":
            response.vary.update(("Accept-Language", "Cookie"))
        return response


def catalogue_path(domain: str, language: str = "it") -> Path:
    return TRANSLATIONS / language / "LC_MESSAGES" / f"{domain}.po"


def extract(domain: str):
    """The messages the sources hold today in ``domain`` (a babel Catalog), extracted from the
    project's top folder as ``translations/babel-<domain>.cfg`` says: what ``make translations``
    writes into the catalogues and what the completeness test compares them with."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with (TRANSLATIONS / f"babel-{domain}.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    catalog = Catalog(domain=domain)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, comment_tags=("Translators:",), strip_comment_tags=True
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def compile_catalogues(only_stale: bool = True) -> list[Path]:
    """Compile each ``.po`` into its ``.mo`` (``make`` does it with ``pybabel compile``; tests
    call this so that a bare ``pytest`` reads fresh catalogues). Fuzzy entries are left out, as
    pybabel leaves them. The ``.mo`` is written aside and renamed: parallel runs never read half."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if only_stale and mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as f:
            catalog = read_po(f, locale=po.parent.parent.name, domain=po.stem)
        fd, tmp = tempfile.mkstemp(dir=po.parent, suffix=".mo.tmp")
        with os.fdopen(fd, "wb") as f:
            write_mo(f, catalog)
        os.replace(tmp, mo)
        written.append(mo)
    return written
