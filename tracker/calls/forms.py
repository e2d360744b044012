"""Forms of the officers' call pages. They only shape the input; the operations validate it."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    SelectField,
    StringField,
    TextAreaField,
)
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
    min_spend = StringField(
        _l("Least eligible spend of a project (EUR)"), widget=NumberInput(min=0, step=0.01)
    )
    max_spend = StringField(
        _l("Most eligible spend of a project (EUR)"), widget=NumberInput(min=0, step=0.01)
    )
    sme_intensity = StringField(
        _l("Aid intensity for SMEs (percent of the eligible spend)"),
        widget=NumberInput(min=0, max=100, step=0.01),
        description=_l("With the other partners' intensity the grant asked is computed."),
    )
    large_intensity = StringField(
        _l("Aid intensity for the other partners (percent)"),
        widget=NumberInput(min=0, max=100, step=0.01),
    )
    state_aid_regime = SelectField(_l("State-aid regime"), coerce=str)
    one_project_per_firm = BooleanField(_l("A firm may take part in one project only"))
    label_rule = SelectField(_l("Who earns the label bonus"), coerce=str)
    label_applied_by = StringField(_l("Applied to the EOI by"), widget=DateInput())
    label_recognised_by = StringField(_l("Recognised by"), widget=DateInput())
    criteria = FieldList(FormField(CriterionRow), min_entries=CRITERION_ROWS)


class ExtendDeadlineForm(TrackerForm):
    deadline = StringField(_l("New deadline"), widget=DateInput())
    reason = StringField(_l("Reason"), render_kw={"maxlength": 300})


class AppointMemberForm(TrackerForm):
    user_id = SelectField(_l("Committee member"), coerce=str)
