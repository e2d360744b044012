"""A person's notices: the list (all or unread, newest first), opening one (which marks it read),
marking one or all read; and the count of unread notices in every page's header."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import func, select

from tracker.database import commit
from tracker.errors import BadRequest
from tracker.extensions import db
from tracker.notifications.models import Notice
from tracker.notifications.operations import (
    COUNT_CAP,
    mark_all_read,
    mark_read,
    notices_of,
    unread_count,
)
from tracker.pagination import page_request
from tracker.querystring import query_id
from tracker.web.templating import local_path

bp = Blueprint("notifications", __name__)

#: ``?show=``: every notice, or the unread ones only
SHOWS = ("all", "unread")
_COUNTED = "tracker.unread_notices"


def _user():
    return current_user._get_current_object()


@bp.app_context_processor
def _header_count() -> dict[str, Any]:
    """``unread_notices()`` for the header: asked only where a logged-in person's header is
    drawn, once per request (one small query on the index of unread notices)."""

    def unread_notices() -> str:
        # kept with the request, not in ``g``: tests share an app context between requests
        if _COUNTED not in request.environ:
            count = unread_count(_user())
            shown = f"{COUNT_CAP}+" if count > COUNT_CAP else str(count) if count else ""
            request.environ[_COUNTED] = shown
        return request.environ[_COUNTED]

    return {"unread_notices": unread_notices}


def _show() -> str:
    show = request.args.get("show", "all")
    if show not in SHOWS:
        raise BadRequest(_("Show 'all' or 'unread' notices."), code="bad_query")
    return show


@bp.get("/notifications")
@login_required
def index():
    show = _show()
    paging = page_request(request.args)
    items, total = notices_of(_user(), paging, unread_only=show == "unread")
    # "mark all as read" marks what this page knew of: a notice arriving meanwhile stays unread
    newest = db.session.scalar(select(func.max(Notice.id)).where(Notice.user_id == _user().id))
    return render_template(
        "notifications/index.html", items=items, total=total, paging=paging, show=show,
        newest=newest,
    )  # fmt: skip


@bp.get("/notifications/<int:notice_id>")
@login_required
def open_notice(notice_id: int):
    """Follow a notice to what it is about, marking it read."""
    notice = mark_read(_user(), notice_id)
    commit()
    return redirect(request.script_root + notice.path)


def _back():
    return redirect(local_path(request.form.get("next")) or url_for("notifications.index"))


@bp.post("/notifications/<int:notice_id>/read")
@login_required
def read_one(notice_id: int):
    mark_read(_user(), notice_id)
    commit()
    return _back()


@bp.post("/notifications/read")
@login_required
def read_all():
    count = mark_all_read(_user(), up_to=query_id(request.form, "up_to"))
    commit()
    if count:
        flash(
            ngettext("%(num)d notice marked as read.", "%(num)d notices marked as read.", count),
            "success",
        )
    else:
        flash(_("No unread notice to mark."), "info")
    return _back()
