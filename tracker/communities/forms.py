"""Forms of the community and proposal pages. They shape the input; the operations validate it."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField

from tracker.communities.models import MEMBER_ROLES
from tracker.views.forms import choices


class CommunityForm(FlaskForm):
    name = StringField("Name", render_kw={"maxlength": 200})
    topic = StringField(
        "Topic",
        render_kw={"maxlength": 200, "placeholder": "e.g. circular economy, remanufacturing"},
    )
    description = TextAreaField("Description", render_kw={"rows": 4})


class MemberForm(FlaskForm):
    user_id = SelectField("Person", coerce=str)
    role = RadioField("Role", choices=choices(MEMBER_ROLES), default="member")

    def person(self) -> int | str | None:
        raw = (self.user_id.data or "").strip()
        return int(raw) if raw.isdigit() else raw or None


class ProposalForm(FlaskForm):
    title = StringField("Title", render_kw={"maxlength": 300})
    summary = TextAreaField(
        "Summary",
        description="What the community proposes to the Region, and why: the challenge, the "
        "idea, who would take part.",
        render_kw={"rows": 8},
    )


class EditProposalForm(ProposalForm):
    #: the version the person started editing: a later save by someone else is a conflict
    version = HiddenField()
