"""Forms of the officers' call pages. They only shape the input; the operations validate it."""

from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField, SelectField, StringField, TextAreaField
from wtforms.widgets import DateInput, NumberInput

#: blank criterion rows offered on a new call
CRITERION_ROWS = 5


class CriterionRow(Form):
    key = StringField("Key", render_kw={"autocapitalize": "none"})
    label = StringField("Label")
    max = StringField("Maximum score", widget=NumberInput(min=1, max=1000))

    def is_blank(self) -> bool:
        return not any((f.data or "").strip() for f in (self.key, self.label, self.max))


class CallForm(FlaskForm):
    title = StringField("Title", render_kw={"maxlength": 300})
    workflow = SelectField("Workflow", coerce=str)
    opens_at = StringField("Opens on", widget=DateInput())
    deadline = StringField("Deadline", widget=DateInput())
    min_firms = StringField(
        "Minimum firms with a seat in Lombardy", widget=NumberInput(min=0), default="10"
    )
    min_reviews = StringField(
        "Minimum reviews before closing an evaluation", widget=NumberInput(min=1), default="3"
    )
    score_threshold = StringField(
        "Score threshold (average of the committee's totals)",
        widget=NumberInput(min=0, step=0.01),
        default="60",
    )
    act_reference = StringField(
        "Act reference", description="The act approving the call, e.g. decree 2338 of 24/02/2022."
    )
    description = TextAreaField("Description", render_kw={"rows": 4})
    # phase-2 measures only (workflow support_application)
    budget = StringField("Budget (EUR)", widget=NumberInput(min=0, step=0.01))
    max_grant = StringField("Maximum grant per project (EUR)", widget=NumberInput(min=0, step=0.01))
    min_smes = StringField("Minimum SMEs", widget=NumberInput(min=0))
    label_bonus = StringField("Bonus points for a quality label", widget=NumberInput(min=0))
    criteria = FieldList(FormField(CriterionRow), min_entries=CRITERION_ROWS)


class ExtendDeadlineForm(FlaskForm):
    deadline = StringField("New deadline", widget=DateInput())
    reason = StringField("Reason", render_kw={"maxlength": 300})


class AppointMemberForm(FlaskForm):
    user_id = SelectField("Committee member", coerce=str)
