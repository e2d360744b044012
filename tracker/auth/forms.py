"""The forms of logging in and out (the logout form exists for its CSRF token) and of passwords."""

from flask import current_app
from flask_babel import LazyString, gettext
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


def _new_password(label):
    return PasswordField(
        label,
        validators=[InputRequired(_l("Choose a new password."))],
        render_kw={"autocomplete": "new-password", "maxlength": 128},
        description=LazyString(_policy_hint),
    )


def _policy_hint() -> str:
    """The password policy in the reader's language, with the length this install requires."""
    return gettext(
        "At least %(num)s characters; not one of the most common passwords, nor your e-mail "
        "address. A phrase of a few words is easy to remember and hard to guess.",
        num=current_app.config["PASSWORD_MIN_LENGTH"],
    )


class _NewPasswordTwice(TrackerForm):
    new = _new_password(_l("New password"))
    new_again = PasswordField(
        _l("New password again"),
        validators=[InputRequired(_l("Type the new password again."))],
        render_kw={"autocomplete": "new-password", "maxlength": 128},
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.new.data and self.new_again.data and self.new.data != self.new_again.data:
            self.new_again.errors = [*self.new_again.errors, _l("The two passwords differ.")]
            return False
        return valid


class PasswordChangeForm(_NewPasswordTwice):
    current = PasswordField(
        _l("Current password"),
        validators=[InputRequired(_l("Enter your current password."))],
        render_kw={"autocomplete": "current-password"},
    )


class SetPasswordForm(_NewPasswordTwice):
    """A new password from an e-mailed link (a reset, an invitation)."""


class ForgotPasswordForm(TrackerForm):
    email = EmailField(
        _l("Email"),
        validators=[InputRequired(_l("Enter your email."))],
        render_kw={"autocomplete": "username", "maxlength": 254},
    )


class ConfirmForm(TrackerForm):
    """A button's form: only its CSRF token to check."""
