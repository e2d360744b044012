"""The upload form of the signed agreement: it shapes the input; the operation judges the file."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField

from tracker.web.forms import TrackerForm


class AgreementUploadForm(TrackerForm):
    file = FileField(
        _l("Signed agreement (PDF)"),
        description=_l("The project agreement signed by every partner, as one PDF file."),
        render_kw={"accept": "application/pdf,.pdf"},
    )
