"""The organisation form: the VAT number is checked by the operation, shown on its field."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField

from tracker.i18n import lazy_labels
from tracker.organisations.models import KINDS, SIZES
from tracker.web.forms import TrackerForm, choices

SEAT_CHOICES = [
    ("auto", _l("As the province says (a Lombard province means yes)")),
    ("yes", _l("Yes")),
    ("no", _l("No")),
]


class OrganisationForm(TrackerForm):
    name = StringField(_l("Name"), render_kw={"maxlength": 200})
    vat_number = StringField(
        _l("VAT number (partita IVA)"),
        description=_l("11 digits; an IT prefix and spaces are fine."),
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    kind = SelectField(_l("Kind"), coerce=str, choices=choices(lazy_labels(KINDS)), default="firm")
    size = SelectField(
        _l("Size"),
        coerce=str,
        choices=choices(lazy_labels(SIZES), blank="—"),
        description=_l("Firms only."),
    )
    province = StringField(
        _l("Province"),
        description=_l("Two-letter code, e.g. MI or BS."),
        render_kw={"maxlength": 2, "list": "provinces", "autocapitalize": "characters"},
    )
    city = StringField(_l("City"), render_kw={"maxlength": 100})
    lombardy_seat = SelectField(
        _l("Seat in Lombardy"), coerce=str, choices=choices(SEAT_CHOICES), default="auto"
    )
    next = HiddenField()

    def fields(self) -> dict:
        seat = {"yes": True, "no": False}.get(self.lombardy_seat.data or "auto")
        return {
            "name": self.name.data or "",
            "vat_number": self.vat_number.data or "",
            "kind": self.kind.data or "",
            "size": self.size.data or None,
            "province": self.province.data or None,
            "city": self.city.data or None,
            "lombardy_seat": seat,
        }
