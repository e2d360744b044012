"""The organisation form: the VAT number is checked by the operation, shown on its field."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField

from tracker.i18n import lazy_labels
from tracker.organisations.models import KINDS, SIZES
from tracker.organisations.operations import NOTE_MAX
from tracker.reference import ITALIAN_PROVINCES, LOMBARDY_PROVINCES
from tracker.web.forms import TrackerForm, choices

try:  # WTForms 3.3 groups options with SelectChoice; older versions take (value, label) pairs
    from wtforms import SelectChoice
except ImportError:  # pragma: no cover
    SelectChoice = None

SEAT_CHOICES = [
    ("auto", _l("As the province says (a Lombard province means yes)")),
    ("yes", _l("Yes")),
    ("no", _l("No")),
]


def province_choices() -> list:
    """Every Italian province by name, the Lombard ones first, after an empty option."""
    lombard, others = _l("Lombardy"), _l("Other provinces")
    groups = [
        (lombard, sorted(LOMBARDY_PROVINCES.items(), key=lambda item: item[1])),
        (
            others,
            sorted(
                ((c, n) for c, n in ITALIAN_PROVINCES.items() if c not in LOMBARDY_PROVINCES),
                key=lambda item: item[1],
            ),
        ),
    ]
    if SelectChoice is None:  # pragma: no cover
        return [("", "—")] + [(c, f"{n} ({c})") for _g, items in groups for c, n in items]
    return [SelectChoice(value="", label="—")] + [
        SelectChoice(value=code, label=f"{name} ({code})", optgroup=group)
        for group, items in groups
        for code, name in items
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
    province = SelectField(
        _l("Province"), coerce=str, choices=province_choices, validate_choice=False
    )
    city = StringField(_l("City"), render_kw={"maxlength": 100})
    lombardy_seat = SelectField(
        _l("Seat in Lombardy"), coerce=str, choices=choices(SEAT_CHOICES), default="auto"
    )
    public_body = BooleanField(
        _l("Public body"),
        description=_l(
            "A state university, a public research centre or another public body. Only public "
            "universities and research centres may lead a Circular Economy HUB application."
        ),
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
            "public_body": bool(self.public_body.data),
        }


class VerificationForm(TrackerForm):
    note = TextAreaField(
        _l("Note (optional)"),
        description=_l("How the declared data were checked, e.g. on the Registro delle imprese."),
        render_kw={"maxlength": NOTE_MAX, "rows": 2},
    )
    next = HiddenField()
