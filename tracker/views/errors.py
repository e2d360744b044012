"""One set of error handlers: JSON under /api, pages elsewhere. Never a stack trace."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from markupsafe import escape
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from tracker.errors import TrackerError
from tracker.extensions import db

log = logging.getLogger(__name__)

HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "body_too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "too_many_requests",
    500: "internal_error",
}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def render_error(status: int, code: str, message: str, details=None):
    if wants_json():
        body = {"error": {"code": code, "message": message, "details": details}}
        return jsonify(body), status
    try:
        page = render_template("errors/error.html", status=status, message=message, details=details)
    except Exception:  # the page itself failed (the database is down...): say it plainly
        log.exception("the error page could not be rendered")
        page = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Error</title></head>'
            f"<body><h1>Error {status}</h1><p>{escape(message)}</p></body></html>"
        )
    return page, status


def register(app: Flask) -> None:
    @app.errorhandler(TrackerError)
    def tracker_error(err: TrackerError):
        db.session.rollback()
        return render_error(err.status, err.code, err.message, err.details)

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException):
        status = err.code or 500
        if status == 413:
            limit = request.max_content_length or app.config["MAX_CONTENT_LENGTH"]
            message = f"The request body is larger than the {limit // 1024} KiB allowed."
        else:
            message = err.description or err.name
        return render_error(status, HTTP_CODES.get(status, "http_error"), message)

    @app.errorhandler(StaleDataError)
    @app.errorhandler(IntegrityError)
    def lost_race(err: Exception):
        """A safety net: operations map these themselves; any that slips through is still a 409."""
        db.session.rollback()
        return render_error(
            409, "conflict", "Someone else changed this meanwhile. Reload and try again."
        )

    @app.errorhandler(Exception)
    def unexpected(err: Exception):
        db.session.rollback()
        log.exception("unhandled error on %s %s", request.method, request.path)
        return render_error(
            500, "internal_error", "Something went wrong on our side; nothing was saved."
        )
