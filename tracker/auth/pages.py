"""A person's session and settings: logging in and out (Flask-Login sessions; the API uses tokens
instead), their account (which emails they receive) and the language switch on every page.

The language switch (base.html) is a form that works without JavaScript. The choice is kept in a
long-lived cookie and, for a logged-in user, in ``users.language``, so it follows the user to
other browsers; ``tracker.i18n.select_locale`` reads both.
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from tracker.auth.forms import LoginForm, LogoutForm
from tracker.auth.operations import authenticate
from tracker.auth.queries import existing_emails
from tracker.database import commit
from tracker.errors import BadRequest, TrackerError
from tracker.extensions import db
from tracker.i18n import LANGUAGE_COOKIE, LANGUAGE_COOKIE_AGE, LANGUAGES, translate
from tracker.mail.operations import (
    groups_for,
    language_of,
    recent_emails,
    set_preferences,
    turned_off,
)
from tracker.security import throttle_logins
from tracker.web.templating import local_path

bp = Blueprint("auth", __name__)
account_bp = Blueprint("account", __name__, url_prefix="/account")
language_bp = Blueprint("language", __name__)


def demo_accounts() -> list[tuple[str, str]]:
    """The demo accounts present in this database (none on a real install)."""
    from tracker.demo import DEMO_ACCOUNTS

    present = existing_emails([email for email, _ in DEMO_ACCOUNTS])
    return [(email, what) for email, what in DEMO_ACCOUNTS if email in present]


def _render(form: LoginForm, status: int = 200):
    from tracker.demo import DEMO_PASSWORD

    return render_template(
        "auth/login.html", form=form, demo_accounts=demo_accounts(), demo_password=DEMO_PASSWORD
    ), status


@bp.route("/login", methods=["GET", "POST"])
@throttle_logins
def login():
    form = LoginForm()
    if request.method != "POST":  # GET, and HEAD as GET
        form.next.data = local_path(request.args.get("next")) or ""
        if current_user.is_authenticated:
            flash(_("You are logged in as %(email)s.", email=current_user.email), "info")
        return _render(form)
    if not form.validate_on_submit():
        return _render(form, 422)
    user = authenticate(form.email.data, form.password.data or "")
    if user is None:
        form.form_errors.append(_("Wrong email or password."))
        return _render(form, 422)
    login_user(user)
    flash(_("Welcome, %(name)s.", name=user.name), "success")
    return redirect(local_path(form.next.data) or url_for("home.index"))


@bp.post("/logout")
def logout():
    form = LogoutForm()
    if not form.validate_on_submit():  # only the CSRF token to check
        flash(_("Your session expired: please log out again."), "error")
        return redirect(url_for("home.index"))
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("home.index"))


# --- the account ----------------------------------------------------------------------------


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


@account_bp.get("")
@login_required
def index():
    return _page()


@account_bp.post("/email")
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


# --- the language switch --------------------------------------------------------------------


@language_bp.post("/language")
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
