"""The reply's forms: they shape the input; the operations judge it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import TextAreaField

from tracker.web.forms import TrackerForm


class ReplyForm(TrackerForm):
    reply = TextAreaField(
        _l("Your reply"),
        description=_l("It reaches the committee when you resubmit; until then you may change it."),
        render_kw={"rows": 6, "maxlength": 20000},
    )


class ReplyDocumentForm(TrackerForm):
    file = FileField(
        _l("Attach a document (PDF)"),
        render_kw={"accept": "application/pdf,.pdf"},
    )
