"""Logging in and out (Flask-Login sessions; the API uses tokens instead)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from tracker.auth.forms import LoginForm, LogoutForm
from tracker.auth.operations import authenticate
from tracker.security import throttle_logins
from tracker.views.helpers import local_path
from tracker.views.queries import existing_emails

bp = Blueprint("auth", __name__)


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
    if request.method == "GET":
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
