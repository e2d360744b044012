"""Forms of the community and proposal pages. They shape the input; the operations validate it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField

from tracker.communities.models import ACTIVITY_KINDS, MEMBER_ROLES
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


class ActivityForm(TrackerForm):
    kind = SelectField(
        _l("Kind"), coerce=str, choices=choices(lazy_labels(ACTIVITY_KINDS)), validate_choice=False
    )
    held_on = StringField(
        _l("Date"), render_kw={"type": "date"}, description=_l("The day it took place.")
    )
    title = StringField(_l("Title"), render_kw={"maxlength": 300})
    notes = TextAreaField(_l("Notes"), render_kw={"rows": 4})
    proposal_id = SelectField(
        _l("About the proposal (optional)"), coerce=str, validate_choice=False
    )

    def fields(self) -> dict:
        raw = (self.proposal_id.data or "").strip()
        return {
            "kind": self.kind.data or "",
            "held_on": self.held_on.data or "",
            "title": self.title.data or "",
            "notes": self.notes.data or "",
            "proposal_id": int(raw) if raw.isdigit() else raw or None,
        }


class ValueChainLinkForm(TrackerForm):
    application_id = SelectField(
        _l("Value-chain application"),
        coerce=str,
        validate_choice=False,
        description=_l(
            "The value-chain application this proposal becomes, filed by its partnership with "
            "the call. Only its partners' people link it."
        ),
    )
    version = HiddenField()

    def application(self) -> int | str | None:
        raw = (self.application_id.data or "").strip()
        return int(raw) if raw.isdigit() else raw or None
