"""Italian and English (Flask-Babel), in one module: which language a request is answered in, the
catalogues, and saying the code's English in the reader's language.

The language a user chose (kept on the user, and in a cookie for visitors) wins; otherwise the
browser's Accept-Language; otherwise English. English is the source language: msgids are English
and only Italian has catalogues, one per domain (``pages``: the templates; ``code``: the Python of
``tracker/`` and ``workflows/``), each extracted as ``translations/babel-<domain>.cfg`` says.

Python strings are English at their source: workflow definitions mark theirs with
``workflows.i18n.N_`` (the pure markers, no Flask), operations raise errors whose message is an
English ``Text`` (the API sends it as it is), forms use ``lazy_gettext``. Pages translate at
display time with ``translate``, the ``t`` template filter: ``{{ state.title|t }}``,
``{{ u.message|t }}``.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from babel.numbers import format_decimal
from flask import Flask, Response, request
from flask_babel import get_locale, gettext, lazy_gettext, refresh
from flask_login import current_user

from tracker.extensions import babel
from tracker.settings import ROOT
from workflows.i18n import Amount, Day, Points, Series, Text

LANGUAGES = ("en", "it")
#: each language in its own words: the switch offers a language to those who read it
LANGUAGE_NAMES = {"en": "English", "it": "Italiano"}
DEFAULT_LANGUAGE = "en"
LANGUAGE_COOKIE = "language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
DOMAINS = ("pages", "code")
TRANSLATIONS = ROOT / "tracker" / "translations"
TRANSLATED = tuple(lang for lang in LANGUAGES if lang != DEFAULT_LANGUAGE)


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


# --- the code's English in the reader's language ------------------------------------------------


def english() -> bool:
    """Whether this request is answered in English (the source language: nothing to translate)."""
    locale = get_locale()  # None outside a request
    return locale is None or locale.language == "en"


def translate(value: Any) -> Any:
    """``value`` in the reader's language: a marked message, a ``Text`` filled in after its
    template is translated, anything else (names, numbers) as it is. English stays byte-identical."""
    if value is None or value == "" or not isinstance(value, str | Series):
        return value
    if english():
        return str(value) if isinstance(value, Series) else value
    return _translated(value)


def _translated(value: Any) -> Any:
    if isinstance(value, Text):
        template = gettext(value.template)
        return (
            template % {k: _param(v) for k, v in value.shown.items()} if value.params else template
        )
    if isinstance(value, Series):  # of labels (msgids), names or values
        return value.sep.join(
            _translated(item) if isinstance(item, str) else str(_param(item)) for item in value
        )
    return gettext(value) if value else value


def _param(value: Any) -> Any:
    """A parameter of a Text, as the reader's language writes it."""
    if isinstance(value, Points):
        return "—" if value.value is None else _number(value.value)
    if isinstance(value, Amount):
        return "EUR —" if value.value is None else f"EUR {_number(value.value)}"
    if isinstance(value, Day):
        return str(value)
    if isinstance(value, Decimal):  # as many decimals as the English shows ("65.00")
        places = max(0, -value.as_tuple().exponent) if value.is_finite() else 0
        return format_decimal(
            value, format="#,##0." + "0" * places if places else "#,##0", locale=get_locale()
        )
    if isinstance(value, Text | Series):
        return _translated(value)
    return value  # names, numbers, plain text: as they are


def _number(value: Decimal) -> str:
    return format_decimal(value, format="#,##0.00", locale=get_locale())


def translate_details(details: Any) -> Any:
    """An error's details (``fields``, ``unmet``) with their messages translated, for a page."""
    if english() or not isinstance(details, Mapping):
        return details
    out = dict(details)
    if isinstance(details.get("fields"), Mapping):
        out["fields"] = {k: translate(v) for k, v in details["fields"].items()}
    if isinstance(details.get("unmet"), list):
        out["unmet"] = [
            {**u, "message": translate(u.get("message"))} if isinstance(u, Mapping) else u
            for u in details["unmet"]
        ]
    return out


class Labels(Mapping):
    """A mapping of codes to English labels (thematic areas, kinds of organisation...) whose labels
    come out translated: templates keep ``THEMATIC_AREAS.get(code, code)`` and read Italian."""

    def __init__(self, labels: Mapping[str, str]) -> None:
        self._labels = labels

    def __getitem__(self, key: str) -> str:
        return translate(self._labels[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._labels)

    def __len__(self) -> int:
        return len(self._labels)


#: Besides Babel's default keywords (``_``, ``gettext``, ``ngettext``, ``N_``...), what else says
#: a message, and which argument (1-based) is the message: lazy strings of forms, the English
#: refusals operations raise (``Conflict("This call is not open for applications.")``) and the
#: field labels of ``Problems`` checks (``p.text("title", value, "Title", max_len=300)``).
MORE_KEYWORDS = {
    **dict.fromkeys(("_l", "lazy_gettext"), 1),
    **dict.fromkeys(("TrackerError", "BadRequest", "Unauthorized"), 1),
    **dict.fromkeys(("Forbidden", "NotFound", "Conflict", "ValidationFailed"), 1),
    **dict.fromkeys(("text", "choice", "integer", "decimal", "date"), 3),
}


def extract_python(fileobj, keywords, comment_tags, options):
    """Babel's Python extractor, also reading ``MORE_KEYWORDS`` (``babel-code.cfg`` names it)."""
    from babel.messages.extract import extract_python as babel_extract_python

    found = babel_extract_python(fileobj, [*keywords, *MORE_KEYWORDS], comment_tags, options)
    for lineno, funcname, messages, comments in found:
        if funcname in MORE_KEYWORDS:
            position = MORE_KEYWORDS[funcname]
            args = messages if isinstance(messages, tuple | list) else (messages,)
            message = args[position - 1] if len(args) >= position else None
            if not isinstance(message, str) or not message:
                continue  # an f-string, a variable: not a message (the code marks those itself)
            funcname, messages = "gettext", (message,)
        yield lineno, funcname, messages, comments


def lazy_labels(pairs: Mapping[str, str] | Iterable[tuple[str, str]]) -> list[tuple[str, Any]]:
    """Choices whose labels (marked messages) are said in the reader's language when the form is
    drawn: module-level forms are built before any request."""
    items = pairs.items() if isinstance(pairs, Mapping) else pairs
    return [(value, lazy_gettext(label)) for value, label in items]


def lazy(message: str) -> Any:
    """``message`` (marked where it is defined) said in the reader's language when it is shown:
    ``lazy_gettext`` under a name the extraction does not read."""
    return lazy_gettext(message)
