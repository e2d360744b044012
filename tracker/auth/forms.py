"""The login and logout forms (the logout form exists for its CSRF token)."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, PasswordField
from wtforms.validators import InputRequired

from tracker.web.forms import TrackerForm


class LoginForm(TrackerForm):
    email = EmailField(
        _l("Email"),
        validators=[InputRequired(_l("Enter your email."))],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(_l("Enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()


class LogoutForm(TrackerForm):
    pass
