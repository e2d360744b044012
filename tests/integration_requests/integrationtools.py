"""What the integration-request tests share besides fixtures."""

from __future__ import annotations

import datetime as dt

from tracker.columns import utcnow
from tracker.database import commit
from workflows.conditions import local_date

QUESTION = "Quantify the white slag reused each year, and attach the partners' letters."

#: a PDF as small as a real one can be: header, one empty page, trailer and end marker
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def today() -> dt.date:
    return local_date(utcnow())


def make_overdue(app) -> None:
    """As if the reply date had passed two days ago."""
    app.pending_integration.reply_by = today() - dt.timedelta(days=2)
    commit()
