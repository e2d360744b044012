"""The JSON API under /api/v1: bearer tokens, JSON bodies checked by pydantic models, one operation
per request, errors rendered by the app-wide dispatcher (tracker.web.errors).

This package is the small shared framework: the ``endpoint`` decorator (``framework``), which
registers a route on this blueprint and describes it for the OpenAPI document at the same time,
body parsing, paging, the shared answer models (``schemas``: Error, Page, a transition, a history
row), the OpenAPI writer (``openapi``) and the routes that belong to no domain (``workflows``).
Each domain declares its own routes in ``tracker/<domain>/api.py`` and its bodies and answers in
``tracker/<domain>/schemas.py``; ``register_api`` imports them, in the order the OpenAPI document
lists them. Nothing else here imports a domain.
"""

import importlib

from flask import Blueprint, Flask

api = Blueprint("api", __name__, url_prefix="/api/v1")

#: every module that declares routes, in the order the OpenAPI document lists them
API_MODULES = (
    "tracker.api.openapi",
    "tracker.applications.api",
    "tracker.changes.api",
    "tracker.reports.api",
    "tracker.calls.api",
    "tracker.communities.api",
    "tracker.projects.api",
    "tracker.agreements.api",
    "tracker.dashboards.api",
    "tracker.labels.api",
    "tracker.documents.api",
    "tracker.documents.annex_api",
    "tracker.integrations.api",
    "tracker.mail.api",
    "tracker.notifications.api",
    "tracker.measures.api",
    "tracker.organisations.api",
    "tracker.search.api",
    "tracker.auth.api",
    "tracker.api.workflows",
)


def register_api(app: Flask) -> None:
    """Import every module of ``API_MODULES`` (importing one registers its routes), tell the
    framework how a token names its user, and register the blueprint."""
    from tracker.api import framework
    from tracker.auth.operations import user_for_token
    from tracker.extensions import csrf

    for name in API_MODULES:
        importlib.import_module(name)
    framework.read_tokens_with(user_for_token)
    app.register_blueprint(api)
    csrf.exempt(api)  # bearer tokens, not cookies: no CSRF to forge
