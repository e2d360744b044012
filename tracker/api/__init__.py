"""The JSON API under /api/v1: bearer tokens, JSON bodies checked by pydantic models, one operation
per request, errors rendered by the app-wide dispatcher (tracker.web.errors).

Every route is declared with ``tracker.api.framework.endpoint``, which registers it on this
blueprint and describes it for the OpenAPI document at the same time.
"""

from flask import Blueprint

api = Blueprint("api", __name__, url_prefix="/api/v1")

from tracker.api import endpoints, framework  # noqa: E402,F401  (registers the routes and hooks)
