"""The API's routes, one module per resource; importing them registers them."""

from tracker.api import openapi
from tracker.api.endpoints import applications, calls, dashboard, organisations, people, workflows

__all__ = [
    "applications",
    "calls",
    "dashboard",
    "openapi",
    "organisations",
    "people",
    "workflows",
]
