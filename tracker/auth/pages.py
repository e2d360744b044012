"""A person's session and settings: logging in and out (Flask-Login sessions kept as rows the
server can end, ``tracker.auth.sessions``; the API uses tokens instead), forgetting and resetting
a password, accepting an invitation, their account (password, API tokens, browsers logged in,
which emails they receive) and the language switch on every page.

The language switch (base.html) is a form that works without JavaScript. The choice is kept in a
long-lived cookie and, for a logged-in user, in ``users.language``, so it follows the user to
other browsers; ``tracker.i18n.select_locale`` reads both.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user

from tracker.auth import passwords, sessions
from tracker.auth.forms import (
    ConfirmForm,
    ForgotPasswordForm,
    LoginForm,
    LogoutForm,
    PasswordChangeForm,
    SetPasswordForm,
)
from tracker.auth.operations import (
    authenticate,
    change_password,
    request_password_reset,
    revoke_token,
    set_password_by_link,
    tokens_of,
)
from tracker.auth.queries import existing_emails
from tracker.columns import utcnow
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
from tracker.web.formerrors import show_errors
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
    _log_in(user)
    flash(_("Welcome, %(name)s.", name=user.name), "success")
    return redirect(local_path(form.next.data) or url_for("home.index"))


@bp.post("/logout")
def logout():
    form = LogoutForm()
    if not form.validate_on_submit():  # only the CSRF token to check
        flash(_("Your session expired: please log out again."), "error")
        return redirect(url_for("home.index"))
    if current_user.is_authenticated:
        sessions.end(current_user.session_token)  # a copy of the cookie opens nothing now
        commit()
    logout_user()
    session.clear()
    flash(_("You are logged out."), "info")
    return redirect(url_for("home.index"))


def _log_in(user) -> None:
    """A new server-side session for ``user``, in a cookie that starts afresh (nothing an
    earlier visitor of this browser put in it survives the login)."""
    if current_user.is_authenticated:  # logging in again, perhaps as someone else
        sessions.end(current_user.session_token)
    session.clear()
    sessions.start(user)
    commit()
    login_user(user)


# --- a forgotten password, an invitation ------------------------------------------------------


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if request.method != "POST":  # GET, and HEAD as GET
        return render_template("auth/forgot.html", form=form, sent=False)
    if not form.validate_on_submit():
        return render_template("auth/forgot.html", form=form, sent=False), 422
    # The same answer whether the address has an account or not: the page tells nobody who
    # is registered. The link goes to the address only.
    request_password_reset(form.email.data or "")
    commit()
    return render_template("auth/forgot.html", form=form, sent=True)


def _set_password_page(purpose: str, token: str):
    form = SetPasswordForm()
    user = passwords.user_for_link(token, purpose)
    template = "auth/set_password.html"
    if user is None:
        return render_template(template, form=None, purpose=purpose), 404
    if request.method != "POST":
        return render_template(template, form=form, purpose=purpose, person=user)
    if not form.validate_on_submit():
        return render_template(template, form=form, purpose=purpose, person=user), 422
    try:
        set_password_by_link(token, purpose, form.new.data)
        commit()
    except TrackerError as err:
        db.session.rollback()
        show_errors(form, err)
        return render_template(template, form=form, purpose=purpose, person=user), err.status
    if current_user.is_authenticated:
        logout_user()
    session.clear()
    flash(_("Your password is set: log in with it."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    return _set_password_page("reset", token)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    return _set_password_page("invitation", token)


# --- the account ----------------------------------------------------------------------------


def _page(
    status: int = 200,
    *,
    ticked: set[str] | None = None,
    error: str | None = None,
    password_form: PasswordChangeForm | None = None,
):
    groups = groups_for(current_user)
    if ticked is None:
        off = turned_off(current_user)
        ticked = {k.name for _, _, kinds in groups for k in kinds} - off
    browsers = sessions.sessions_of(current_user)
    page = render_template(
        "account/index.html",
        groups=groups,
        ticked=ticked,
        error=error,
        language=language_of(current_user),
        emails=recent_emails(current_user),
        password_form=password_form or PasswordChangeForm(formdata=None),
        tokens=tokens_of(current_user),
        browsers=browsers,
        current_browser=next((b for b in browsers if sessions.is_current(b, current_user)), None),
        now=utcnow(),
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


@account_bp.post("/password")
@login_required
def change_password_view():
    form = PasswordChangeForm()
    if not form.validate_on_submit():
        return _page(422, password_form=form)
    try:
        change_password(current_user, form.current.data, form.new.data)
        commit()
    except TrackerError as err:
        db.session.rollback()
        show_errors(form, err)
        return _page(err.status, password_form=form)
    login_user(current_user._get_current_object())  # the cookie now names the new session
    flash(_("Your password is changed. You are logged out everywhere else."), "success")
    return redirect(url_for(".index"))


@account_bp.post("/sessions/end-others")
@login_required
def end_other_sessions():
    if not ConfirmForm().validate_on_submit():
        flash(_("Your session expired: please try again."), "error")
        return redirect(url_for(".index"))
    ended = sessions.end_all(current_user, keep=current_user.session_token)
    commit()
    flash(ngettext("Logged out of %(num)d other browser.", "Logged out of %(num)d other browsers.",
                   ended), "success")  # fmt: skip
    return redirect(url_for(".index"))


@account_bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke_token_view(token_id: int):
    if not ConfirmForm().validate_on_submit():
        flash(_("Your session expired: please try again."), "error")
        return redirect(url_for(".index"))
    token = revoke_token(current_user, current_user, token_id)
    commit()
    flash(_("The token %(prefix)s… is revoked.", prefix=token.prefix), "success")
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
