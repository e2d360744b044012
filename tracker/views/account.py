"""The user's own account: which emails they receive."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker.database import commit
from tracker.errors import TrackerError
from tracker.extensions import db
from tracker.mail.operations import (
    groups_for,
    language_of,
    recent_emails,
    set_preferences,
    turned_off,
)
from tracker.translation import translate

bp = Blueprint("account", __name__, url_prefix="/account")


def _page(status: int = 200, *, ticked: set[str] | None = None, error: str | None = None):
    groups = groups_for(current_user)
    if ticked is None:
        off = turned_off(current_user)
        ticked = {k.name for _, _, kinds in groups for k in kinds} - off
    page = render_template(
        "account/index.html",
        groups=groups,
        ticked=ticked,
        error=error,
        language=language_of(current_user),
        emails=recent_emails(current_user),
    )
    return page, status


@bp.get("")
@login_required
def index():
    return _page()


@bp.post("/email")
@login_required
def email_preferences():
    wanted = request.form.getlist("kinds")
    try:
        set_preferences(current_user, wanted)
        commit()
    except TrackerError as err:
        db.session.rollback()
        return _page(err.status, ticked=set(wanted), error=translate(err.message))
    flash(_("Your email choices are saved."), "success")
    return redirect(url_for(".index"))
