"""What a new server process does before its first request, so that the people it serves first do
not pay for it: gunicorn's master compiles every template and loads each language's locale data
once before it forks (the workers inherit them), and each worker reads the public pages once
before it accepts connections.

Why: gunicorn recycles each worker after a number of requests (``max_requests``). A new worker
compiled each template on its first use (0.1 to 0.5 s a page), loaded Babel's locale data on its
first formatted number (0.1 s) and counted the registry's totals (0.6 s at 100,000 applications:
half a million partner rows, kept per process), while the requests the listening socket gave it
waited. In the deadline-day rush (workers then recycled every 2,000 requests) that was a stall of
a second or two, the p99 of every kind of request.
"""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date
from babel.numbers import format_decimal
from flask import Flask
from flask_babel import get_translations
from sqlalchemy.orm import configure_mappers

from tracker.i18n import LANGUAGES

#: the templates a page renders (the rest are email bodies: compiled too, they are small)
TEMPLATE_SUFFIXES = (".html", ".txt")
#: read by a new worker before its first request: public, read-only, the registry's totals
PUBLIC_PAGES = ("/registry", "/api/v1/registry")


def prepare(app: Flask) -> int:
    """Compile every template of ``app`` into its Jinja cache, load each language's locale data
    and catalogue, set up the ORM's mappers; no database is touched. The number of templates
    compiled."""
    configure_mappers()
    for language in LANGUAGES:
        format_decimal(1234.5, locale=language)  # Babel loads a locale's data on first use
        format_date(dt.date(2024, 1, 1), locale=language)
        with app.test_request_context(headers={"Accept-Language": language}):
            get_translations()
    names = app.jinja_env.list_templates(filter_func=lambda n: n.endswith(TEMPLATE_SUFFIXES))
    for name in names:
        app.jinja_env.get_template(name)
    return len(names)


def read_public_pages(app: Flask) -> list[int]:
    """Request ``PUBLIC_PAGES`` through ``app`` as anyone would (their statements compiled, the
    registry's totals counted and kept). A failure is logged and ends nothing: the worker
    serves as before, and the first person pays for it. The status of each page read."""
    statuses = []
    client = app.test_client()
    for path in PUBLIC_PAGES:
        try:
            statuses.append(client.get(path).status_code)
        except Exception:  # a database not reachable yet: the worker starts all the same
            app.logger.exception("warming up %s failed", path)
            statuses.append(0)
    return statuses
