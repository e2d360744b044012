"""The administration's forms. Roles are ticked boxes read with ``request.form.getlist``."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, StringField
from wtforms.validators import InputRequired

from tracker.web.forms import TrackerForm

_ORGANISATION_HINT = _l("Its VAT number (partita IVA); leave it empty for none.")


class InviteForm(TrackerForm):
    name = StringField(
        _l("Full name"),
        validators=[InputRequired(_l("Enter the person's name."))],
        render_kw={"maxlength": 200, "autocomplete": "off"},
    )
    email = EmailField(
        _l("Email"),
        validators=[InputRequired(_l("Enter the person's email."))],
        render_kw={"maxlength": 254, "autocomplete": "off"},
    )
    organisation = StringField(
        _l("Organisation"),
        description=_ORGANISATION_HINT,
        render_kw={"inputmode": "numeric", "autocomplete": "off", "maxlength": 20},
    )


class PersonForm(TrackerForm):
    organisation = StringField(
        _l("Organisation"),
        description=_ORGANISATION_HINT,
        render_kw={"inputmode": "numeric", "autocomplete": "off", "maxlength": 20},
    )


class DeactivateForm(TrackerForm):
    confirm = BooleanField(
        _l("Yes, deactivate this person"),
        validators=[InputRequired(_l("Tick the box to confirm."))],
    )
