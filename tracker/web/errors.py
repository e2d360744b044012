"""One set of error handlers: JSON under /api, pages elsewhere. Never a stack trace."""

from __future__ import annotations

import logging

from flask import Flask, current_app, jsonify, render_template, request
from markupsafe import escape
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from tracker.errors import TrackerError
from tracker.extensions import db
from tracker.i18n import english, translate, translate_details
from workflows.i18n import N_

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

#: what a page says instead of the web server's English description of a status
PAGE_MESSAGES = {
    400: N_("The request could not be understood."),
    403: N_("You are not allowed to see this page."),
    404: N_("This page does not exist: check the address, or go back to the home page."),
    405: N_("This page cannot be used that way."),
    413: N_("The request body is larger than allowed."),
    415: N_("This kind of content is not accepted here."),
    429: N_("Too many attempts: wait a moment, then try again."),
}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def render_error(status: int, code: str, message: str, details=None):
    if wants_json():
        body = {"error": {"code": code, "message": message, "details": details}}
        return jsonify(body), status
    message, details = translate(message), translate_details(details)
    try:
        page = render_template("errors/error.html", status=status, message=message, details=details)
    except Exception:  # the page itself failed (the database is down...): say it plainly
        log.exception("the error page could not be rendered")
        page = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Error</title></head>'
            f"<body><h1>Error {status}</h1><p>{escape(message)}</p></body></html>"
        )
    return page, status


def _default_description(err: HTTPException) -> bool:
    return not wants_json() and err.description == type(err).description


def _exists_for_another_method(err: MethodNotAllowed) -> bool:
    """A 405 is true only when the URL, ids included, names something another method serves."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    for method in getattr(err, "valid_methods", None) or ():
        try:
            adapter.match(method=method)
        except HTTPException:
            continue
        return True
    return False


def register(app: Flask) -> None:
    @app.errorhandler(TrackerError)
    def tracker_error(err: TrackerError):
        db.session.rollback()
        return render_error(err.status, err.code, err.message, err.details)

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException):
        status = err.code or 500
        if status == 405 and not _exists_for_another_method(err):
            err = NotFound()  # werkzeug checks the method before the id: /calls/<huge id>
            status = 404
        if status == 413:
            limit = request.max_content_length or app.config["MAX_CONTENT_LENGTH"]
            message = N_(
                "The request body is larger than the %(kib)s KiB allowed.", kib=limit // 1024
            )
        elif _default_description(err) and status in PAGE_MESSAGES and not english():
            message = PAGE_MESSAGES[status]  # werkzeug's descriptions are English only
        else:
            message = err.description or err.name
        return render_error(status, HTTP_CODES.get(status, "http_error"), message)

    @app.errorhandler(StaleDataError)
    @app.errorhandler(IntegrityError)
    def lost_race(err: Exception):
        """A safety net: operations map these themselves; any that slips through is still a 409."""
        db.session.rollback()
        return render_error(
            409, "conflict", N_("Someone else changed this meanwhile. Reload and try again.")
        )

    @app.errorhandler(Exception)
    def unexpected(err: Exception):
        db.session.rollback()
        log.exception("unhandled error on %s %s", request.method, request.path)
        return render_error(
            500, "internal_error", N_("Something went wrong on our side; nothing was saved.")
        )
