"""The review form: one score per criterion of the call, built for that call."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField, TextAreaField
from wtforms.widgets import NumberInput

from tracker.calls.models import Criterion
from tracker.i18n import lazy_labels, translate
from tracker.reviews.models import RECOMMENDATIONS
from tracker.web.forms import TrackerForm, choices


class ReviewForm(TrackerForm):
    recommendation = RadioField(_l("Recommendation"), choices=choices(lazy_labels(RECOMMENDATIONS)))
    comment = TextAreaField(_l("Comment"), render_kw={"rows": 3})

    criteria: list[Criterion] = []

    def score_field(self, key: str):
        return self[f"score_{key}"]

    def scores(self) -> dict[str, str]:
        """Blank scores are left out, so that the operation says 'a score is required'."""
        out = {}
        for c in self.criteria:
            raw = (self.score_field(c.key).data or "").strip()
            if raw:
                out[c.key] = raw
        return out


def review_form(criteria: Iterable[Criterion], **kwargs) -> ReviewForm:
    """A ReviewForm with an input per criterion, from 0 to the criterion's maximum."""
    criteria = list(criteria)

    class CallReviewForm(ReviewForm):
        pass

    for c in criteria:
        setattr(
            CallReviewForm,
            f"score_{c.key}",
            StringField(
                translate(
                    c.label
                ),  # a known criterion in the reader's language (calls.criteria_labels)
                description=_("0 to %(max)s", max=c.max_score),
                widget=NumberInput(min=0, max=c.max_score, step=1),
            ),
        )
    CallReviewForm.criteria = criteria
    return CallReviewForm(**kwargs)
