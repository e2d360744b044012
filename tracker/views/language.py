"""The language switch on every page (base.html): a form that works without JavaScript.

The choice is kept in a long-lived cookie and, for a logged-in user, in ``users.language``, so it
follows the user to other browsers; ``tracker.i18n.select_locale`` reads both.
"""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.database import commit
from tracker.errors import BadRequest
from tracker.i18n import LANGUAGE_COOKIE, LANGUAGE_COOKIE_AGE, LANGUAGES
from tracker.views.helpers import local_path

bp = Blueprint("language", __name__)


@bp.post("/language")
def switch():
    language = request.form.get("language", "")
    if language not in LANGUAGES:
        raise BadRequest(_("Choose Italian or English."))
    if current_user.is_authenticated and current_user.language != language:
        current_user.language = language
        commit()
    response = redirect(local_path(request.form.get("next")) or url_for("home.index"))
    response.set_cookie(
        LANGUAGE_COOKIE,
        language,
        max_age=LANGUAGE_COOKIE_AGE,
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        httponly=True,
        samesite="Lax",
    )
    return response
