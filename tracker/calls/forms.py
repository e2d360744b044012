"""Forms of the officers' call pages. They only shape the input; the operations validate it."""

from flask_babel import lazy_gettext as _l
from wtforms import FieldList, Form, FormField, SelectField, StringField, TextAreaField
from wtforms.widgets import DateInput, NumberInput

from tracker.web.forms import TrackerForm

#: blank criterion rows offered on a new call
CRITERION_ROWS = 5


class CriterionRow(Form):
    key = StringField(_l("Key"), render_kw={"autocapitalize": "none"})
    label = StringField(_l("Label"))
    max = StringField(_l("Maximum score"), widget=NumberInput(min=1, max=1000))

    def is_blank(self) -> bool:
        return not any((f.data or "").strip() for f in (self.key, self.label, self.max))


class CallForm(TrackerForm):
    title = StringField(_l("Title"), render_kw={"maxlength": 300})
    workflow = SelectField(_l("Workflow"), coerce=str)
    opens_at = StringField(_l("Opens on"), widget=DateInput())
    deadline = StringField(_l("Deadline"), widget=DateInput())
    min_firms = StringField(
        _l("Minimum firms with a seat in Lombardy"), widget=NumberInput(min=0), default="10"
    )
    min_reviews = StringField(
        _l("Minimum reviews before closing an evaluation"), widget=NumberInput(min=1), default="3"
    )
    score_threshold = StringField(
        _l("Score threshold (average of the committee's totals)"),
        widget=NumberInput(min=0, step=0.01),
        default="60",
    )
    integration_reply_days = StringField(
        _l("Reply period for integration requests, days"),
        description=_l(
            "The date to reply by that a request offers, and the latest it may set. Law 241/1990 "
            "(art. 2 c. 7) suspends the procedure once for at most 30 days unless the call sets "
            "its own rule."
        ),
        widget=NumberInput(min=1, max=365),
        default="30",
    )
    act_reference = StringField(
        _l("Act reference"),
        description=_l("The act approving the call, e.g. decree 2338 of 24/02/2022."),
    )
    description = TextAreaField(_l("Description"), render_kw={"rows": 4})
    # phase-2 measures only (workflow support_application)
    budget = StringField(_l("Budget (EUR)"), widget=NumberInput(min=0, step=0.01))
    max_grant = StringField(
        _l("Maximum grant per project (EUR)"), widget=NumberInput(min=0, step=0.01)
    )
    min_smes = StringField(_l("Minimum SMEs"), widget=NumberInput(min=0))
    label_bonus = StringField(_l("Bonus points for a quality label"), widget=NumberInput(min=0))
    criteria = FieldList(FormField(CriterionRow), min_entries=CRITERION_ROWS)


class ExtendDeadlineForm(TrackerForm):
    deadline = StringField(_l("New deadline"), widget=DateInput())
    reason = StringField(_l("Reason"), render_kw={"maxlength": 300})


class AppointMemberForm(TrackerForm):
    user_id = SelectField(_l("Committee member"), coerce=str)
