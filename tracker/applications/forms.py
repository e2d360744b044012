"""Forms of the application pages. They shape the input; the operations validate it."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField

from tracker.applications.models import CONCEPT_NOTE_FIELDS
from tracker.ateco import SECTIONS
from tracker.i18n import lazy, lazy_labels, translate
from tracker.reference import S3_ECOSYSTEMS, THEMATIC_AREAS
from tracker.web.forms import AmountField, MultiCheckboxField, TrackerForm, choices
from workflows.i18n import N_

NOTE_HINTS = {
    "challenges": N_("The challenges the value chain faces."),
    "needs": N_("What the partners need to meet them."),
    "objectives": N_("What the partnership sets out to achieve."),
    "actions": N_("The actions planned, and who carries them out."),
    "investments": N_("The investments planned, with an order of magnitude."),
}


class ApplicationForm(TrackerForm):
    title = StringField(_l("Title"), render_kw={"maxlength": 300})
    thematic_areas = MultiCheckboxField(
        _l("Thematic areas"),
        description=_l(
            "One or more of the areas of the call's window; the first checked is the main one."
        ),
    )
    ateco_section = SelectField(
        _l("Sector (ATECO 2025 section)"),
        coerce=str,
        validate_choice=False,
    )
    s3_ecosystem = SelectField(
        _l("S3 ecosystem"),
        coerce=str,
        choices=choices(lazy_labels(S3_ECOSYSTEMS), blank=_l("Choose an S3 ecosystem…")),
        description=_l("The Lombardy S3 2021-27 ecosystem the partnership works in (optional)."),
    )
    # labels and hints are marked where they are defined; said in the reader's language
    challenges = TextAreaField(
        lazy(CONCEPT_NOTE_FIELDS["challenges"]), description=lazy(NOTE_HINTS["challenges"])
    )
    needs = TextAreaField(lazy(CONCEPT_NOTE_FIELDS["needs"]), description=lazy(NOTE_HINTS["needs"]))
    objectives = TextAreaField(
        lazy(CONCEPT_NOTE_FIELDS["objectives"]), description=lazy(NOTE_HINTS["objectives"])
    )
    actions = TextAreaField(
        lazy(CONCEPT_NOTE_FIELDS["actions"]), description=lazy(NOTE_HINTS["actions"])
    )
    investments = TextAreaField(
        lazy(CONCEPT_NOTE_FIELDS["investments"]), description=lazy(NOTE_HINTS["investments"])
    )

    def use_workflow(self, workflow) -> str:
        """Name and explain the content fields as ``workflow`` calls them (a HUB expression of
        interest is not a concept note). Returns "" so a template can call it."""
        for section in workflow.content:
            self[section.key].label.text = translate(section.label)
            self[section.key].description = translate(section.hint)
        return ""

    def use_window(self, window) -> str:
        """Offer the thematic areas of the call window the application is under. Returns ""
        so a template can call it."""
        offered = list(window.thematic_areas) if window is not None else list(THEMATIC_AREAS)
        # an area no longer offered but still named stays visible, so the error can be read
        kept = [a for a in (self.thematic_areas.data or []) if a not in offered]
        self.thematic_areas.choices = [
            (a, translate(THEMATIC_AREAS.get(a, a))) for a in [*offered, *kept]
        ]
        self.ateco_section.choices = choices(
            ((k, f"{k} · {translate(v)}") for k, v in SECTIONS.items()),
            blank=translate(N_("Choose a section…")),
        )
        return ""

    @staticmethod
    def content_names() -> list[str]:
        return ["title", "thematic_areas", "ateco_section", "s3_ecosystem", *CONCEPT_NOTE_FIELDS]

    def content(self) -> dict[str, Any]:
        """What the operations take: title, thematic areas, sector and the concept note."""
        return {
            "title": self.title.data or "",
            "thematic_areas": list(self.thematic_areas.data or []),
            "ateco_section": self.ateco_section.data or None,
            "s3_ecosystem": self.s3_ecosystem.data or None,
            "concept_note": {key: self[key].data or "" for key in CONCEPT_NOTE_FIELDS},
        }


class EditApplicationForm(ApplicationForm):
    #: the version the person started editing: a later save by someone else is a conflict
    version = HiddenField()


class PartnerForm(TrackerForm):
    organisation_id = SelectField(_l("Organisation"), coerce=str)
    role = StringField(
        _l("Role in the partnership"),
        render_kw={"maxlength": 200, "placeholder": _l("e.g. supplier of recycled slag")},
    )
    commitments = TextAreaField(_l("Commitments"), render_kw={"rows": 2})
    #: support measures: the partner's eligible spend
    eligible_spend = AmountField(_l("Eligible spend (EUR)"))

    def organisation(self) -> int | str | None:
        raw = (self.organisation_id.data or "").strip()
        return int(raw) if raw.isdigit() else raw or None


class PartnerSpendForm(TrackerForm):
    """A partner's eligible spend under a support measure; the grant asked follows."""

    eligible_spend = AmountField(_l("Eligible spend (EUR)"))


class TransitionForm(TrackerForm):
    """One trigger; the values the trigger needs come as ``data-<name>`` inputs."""

    trigger = HiddenField()
    version = HiddenField()
    comment = TextAreaField(_l("Comment"))
    confirm = BooleanField(_l("I confirm"))
