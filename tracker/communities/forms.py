"""Forms of the community and proposal pages. They shape the input; the operations validate it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField

from tracker.communities.models import MEMBER_ROLES
from tracker.i18n import lazy_labels
from tracker.web.forms import TrackerForm, choices


class CommunityForm(TrackerForm):
    name = StringField(_l("Name"), render_kw={"maxlength": 200})
    topic = StringField(
        _l("Topic"),
        render_kw={"maxlength": 200, "placeholder": _l("e.g. circular economy, remanufacturing")},
    )
    description = TextAreaField(_l("Description"), render_kw={"rows": 4})


class MemberForm(TrackerForm):
    user_id = SelectField(_l("Person"), coerce=str)
    role = RadioField(_l("Role"), choices=choices(lazy_labels(MEMBER_ROLES)), default="member")

    def person(self) -> int | str | None:
        raw = (self.user_id.data or "").strip()
        return int(raw) if raw.isdigit() else raw or None


class ProposalForm(TrackerForm):
    title = StringField(_l("Title"), render_kw={"maxlength": 300})
    summary = TextAreaField(
        _l("Summary"),
        description=_l(
            "What the community proposes to the Region, and why: the challenge, the "
            "idea, who would take part."
        ),
        render_kw={"rows": 8},
    )


class EditProposalForm(ProposalForm):
    #: the version the person started editing: a later save by someone else is a conflict
    version = HiddenField()
