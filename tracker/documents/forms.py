"""The documents' forms: the signed agreement's and an annex's upload, and an annex of a call.
They shape the input; the operations judge the file and the fields."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectMultipleField, StringField, TextAreaField
from wtforms.widgets import CheckboxInput, ListWidget

from tracker.documents.formats import FORMATS
from tracker.web.forms import TrackerForm, choices


class AgreementUploadForm(TrackerForm):
    file = FileField(
        _l("Signed agreement (PDF)"),
        description=_l("The project agreement signed by every partner, as one PDF file."),
        render_kw={"accept": "application/pdf,.pdf"},
    )


class AnnexUploadForm(TrackerForm):
    file = FileField(_l("File"))


class AnnexTypeForm(TrackerForm):
    name = StringField(_l("Name"), render_kw={"maxlength": 200})
    description = TextAreaField(
        _l("Description"),
        render_kw={"rows": 2},
        description=_l("What the annex must contain, or which form of the call to use."),
    )
    required = BooleanField(_l("Required for submission"), default=True)
    formats = SelectMultipleField(
        _l("Accepted formats"),
        choices=choices((k, f.label) for k, f in FORMATS.items()),
        default=["pdf"],
        validate_choice=False,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    max_mb = StringField(
        _l("Maximum size (MB)"), default="10", render_kw={"inputmode": "decimal", "maxlength": 8}
    )
    illustrative = BooleanField(_l("Illustrative (not listed in the call's public act)"))

    def fields(self) -> dict:
        return {
            "name": self.name.data or "",
            "description": self.description.data or "",
            "required": bool(self.required.data),
            "formats": list(self.formats.data or []),
            "max_mb": (self.max_mb.data or "").strip().replace(",", "."),
            "illustrative": bool(self.illustrative.data),
        }
