"""The form of a new agreement. It shapes the input; the operation validates it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField

from tracker.web.forms import TrackerForm


class AgreementForm(TrackerForm):
    reference = StringField(
        _l("Reference"),
        render_kw={"maxlength": 200},
        description=_l("Each selected application names the agreement by this reference."),
    )
    title = StringField(_l("Title"), render_kw={"maxlength": 300})
    call_id = SelectField(_l("Call"), coerce=str, validate_choice=False)
    concluded_on = StringField(_l("Date"), render_kw={"type": "date"})
    total_amount = StringField(_l("Total amount (EUR)"), render_kw={"inputmode": "decimal"})
    regional_amount = StringField(
        _l("Of which the Region's (EUR)"), render_kw={"inputmode": "decimal"}
    )
    managed_by = StringField(_l("Managed by (the Region's directorate)"))
    party_ids = SelectMultipleField(_l("Parties"), coerce=str, validate_choice=False)
    notes = TextAreaField(_l("Notes"), render_kw={"rows": 3})

    def fields(self) -> dict:
        ids = [int(v) for v in self.party_ids.data or [] if str(v).isdigit()]
        call = (self.call_id.data or "").strip()
        return {
            "reference": self.reference.data or "",
            "title": self.title.data or "",
            "call_id": int(call) if call.isdigit() else None,
            "concluded_on": self.concluded_on.data or "",
            "total_amount": self.total_amount.data or "",
            "regional_amount": self.regional_amount.data or None,
            "managed_by": self.managed_by.data or "",
            "party_ids": ids,
            "notes": self.notes.data or "",
        }
