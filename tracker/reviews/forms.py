"""The review form (one score per criterion of the call, built for that call) and the
conflict-of-interest declaration."""

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

    def field_names(self) -> dict[str, str]:
        """The operation's names of the fields (``scores.<key>``) -> this form's."""
        return {f"scores.{c.key}": f"score_{c.key}" for c in self.criteria}

    def fields_in_error(self) -> list:
        """Every field with an error, in the form's order: the summary on top names each."""
        order = [self.score_field(c.key) for c in self.criteria]
        return [f for f in [*order, self.recommendation, self.comment] if f.errors]


def review_form(criteria: Iterable[Criterion], review=None, **kwargs) -> ReviewForm:
    """A ReviewForm with an input per criterion, from 0 to the criterion's maximum; ``review``
    fills it with that review's current version (the edit form)."""
    criteria = list(criteria)

    class CallReviewForm(ReviewForm):
        pass

    for c in criteria:
        setattr(
            CallReviewForm,
            f"score_{c.key}",
            StringField(
                translate(c.label),
                description=_("0 to %(max)s", max=c.max_score),
                widget=NumberInput(min=0, max=c.max_score, step=1),
            ),
        )
    CallReviewForm.criteria = criteria
    if review is not None:
        data = {f"score_{k}": str(v) for k, v in review.scores.items()}
        data |= {"recommendation": review.recommendation, "comment": review.comment}
        kwargs.setdefault("data", data)
    return CallReviewForm(**kwargs)


#: the two answers of the declaration, as the form offers them
DECLARATIONS = {
    "no": _l("I have no conflict of interest on this application"),
    "yes": _l("I have a conflict of interest on this application"),
}


class DeclarationForm(TrackerForm):
    conflict = RadioField(_l("Conflict of interest"), choices=choices(DECLARATIONS.items()))
    reason = TextAreaField(
        _l("Reason"),
        description=_l(
            "Required if you have a conflict: e.g. a relationship with a partner or an interest "
            "in the outcome. You will then no longer review or act on this application."
        ),
        render_kw={"rows": 3, "maxlength": 10000},
    )

    def conflict_value(self):
        """True, False, or None when neither was chosen (the operation names it)."""
        return {"yes": True, "no": False}.get(self.conflict.data)
