"""Forms of the partnership change pages. They shape the input; the operations validate it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField, TextAreaField

from tracker.web.forms import TrackerForm


class ChangeForm(TrackerForm):
    kind = HiddenField()
    organisation_id = SelectField(_l("Organisation"), coerce=str)
    reason = TextAreaField(_l("Reason"), render_kw={"rows": 3, "maxlength": 5000})
    role = StringField(
        _l("Role in the partnership"),
        render_kw={"maxlength": 200, "placeholder": _l("e.g. supplier of recycled slag")},
    )
    commitments = TextAreaField(_l("Commitments"), render_kw={"rows": 2})

    def organisation(self) -> int | str | None:
        raw = (self.organisation_id.data or "").strip()
        return int(raw) if raw.isdigit() else raw or None

    def fields(self) -> dict:
        return {
            "kind": self.kind.data,
            "organisation_id": self.organisation(),
            "reason": self.reason.data or "",
            "role": self.role.data or "",
            "commitments": self.commitments.data or "",
        }


class ShortfallForm(TrackerForm):
    deadline = StringField(_l("Deadline"), render_kw={"type": "date"})
    reason = TextAreaField(_l("Reason"), render_kw={"rows": 2, "maxlength": 2000})
