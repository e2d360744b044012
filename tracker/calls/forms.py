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

from tracker.web.forms import AmountField, MultiCheckboxField, TrackerForm

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
    score_threshold = AmountField(
        _l("Score threshold (average of the committee's totals)"), default="60"
    )
    lead_must_be_firm = BooleanField(
        _l("Only a firm may lead"),
        description=_l(
            "Check it when the call's act admits only a firm as lead partner (capofila)."
        ),
    )
    criteria_illustrative = BooleanField(
        _l("The criteria are illustrative"),
        description=_l("Check it when the act does not publish its criteria: pages will say so."),
    )
    opens_at_illustrative = BooleanField(
        _l("The opening day is illustrative"),
        description=_l("Check it when the record does not give the day the call opened."),
    )
    report_interval_months = StringField(
        _l("Months between monitoring reports"),
        description=_l(
            "A recognised value chain's periodic report, counted from its label's decree; a "
            "funded project's progress report, counted from the start of its implementation."
        ),
        default="12",
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
    # typed as the page writes numbers (450.000,00 in Italian): tracker.web.forms.AmountField
    budget = AmountField(_l("Budget (EUR)"))
    max_grant = AmountField(_l("Maximum grant per project (EUR)"))
    min_smes = StringField(_l("Minimum SMEs"), widget=NumberInput(min=0))
    label_bonus = AmountField(_l("Bonus points for a quality label"))
    min_spend = AmountField(_l("Least eligible spend of a project (EUR)"))
    max_spend = AmountField(_l("Most eligible spend of a project (EUR)"))
    sme_intensity = AmountField(
        _l("Aid intensity for SMEs (percent of the eligible spend)"),
        description=_l("With the other partners' intensity the grant asked is computed."),
    )
    large_intensity = AmountField(_l("Aid intensity for the other partners (percent)"))
    state_aid_regime = SelectField(_l("State-aid regime"), coerce=str)
    one_project_per_firm = BooleanField(_l("A firm may take part in one project only"))
    label_rule = SelectField(_l("Who earns the label bonus"), coerce=str)
    label_applied_by = StringField(_l("Applied to the EOI by"), widget=DateInput())
    label_recognised_by = StringField(_l("Recognised by"), widget=DateInput())
    criteria = FieldList(FormField(CriterionRow), min_entries=CRITERION_ROWS)
    #: the first window's areas (DGR 5899/2022's, checked, by default)
    thematic_areas = MultiCheckboxField(
        _l("Thematic areas"),
        description=_l("The areas applications of its first window may name."),
    )


class ExtendDeadlineForm(TrackerForm):
    deadline = StringField(_l("New deadline"), widget=DateInput())
    reason = StringField(_l("Reason"), render_kw={"maxlength": 300})
    act_number = StringField(
        _l("Act"),
        render_kw={"maxlength": 100, "placeholder": _l("e.g. DGR 1586/2023")},
        description=_l("The act that decided the extension (optional)."),
    )
    act_date = StringField(_l("Act date"), widget=DateInput())


class AppointMemberForm(TrackerForm):
    user_id = SelectField(_l("Committee member"), coerce=str)


class WindowForm(TrackerForm):
    """A new window of a call: the act that set its rules, its period, criteria, threshold and
    thematic areas."""

    act_number = StringField(
        _l("Act"), render_kw={"maxlength": 100, "placeholder": _l("e.g. DGR 5377/2025")}
    )
    act_date = StringField(_l("Act date"), widget=DateInput())
    opens_at = StringField(_l("Opens on"), widget=DateInput())
    deadline = StringField(_l("Deadline"), widget=DateInput())
    opens_at_illustrative = BooleanField(
        _l("The opening day is illustrative"),
        description=_l("Check it when the acts do not give the day the window opens."),
    )
    score_threshold = AmountField(
        _l("Score threshold (average of the committee's totals)"), default="60"
    )
    thematic_areas = MultiCheckboxField(_l("Thematic areas"))
    criteria_illustrative = BooleanField(
        _l("The criteria are illustrative"),
        description=_l("Check it when the act does not publish its criteria: pages will say so."),
    )
    criteria = FieldList(FormField(CriterionRow), min_entries=CRITERION_ROWS)
