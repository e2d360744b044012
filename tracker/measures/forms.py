"""Forms of an application to a support measure: the application's own fields, plus the amount
requested and the value chain applied for. They shape the input; the operations validate it."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField

from tracker.applications.forms import ApplicationForm
from tracker.calls.models import Call
from tracker.i18n import translate
from tracker.measures.grant import states_intensities
from tracker.measures.operations import value_chain_choices
from tracker.web.forms import AmountField, choices
from workflows.i18n import N_, Amount


class SupportApplicationForm(ApplicationForm):
    requested_amount = AmountField(
        _l("Requested amount (EUR)"), render_kw={"placeholder": _l("e.g. 350000")}
    )
    #: the lead partner's eligible spend, when the application is created (then each partner's
    #: on the application's page)
    eligible_spend = AmountField(_l("Your organisation's eligible spend (EUR)"))
    value_chain_id = SelectField(
        _l("On behalf of the value chain"),
        coerce=str,
        validate_choice=False,  # the operation checks it, with the words the API uses too
        description=_l(
            "A recognised value chain of your partnerships gets the measure's bonus "
            "points; leave it empty to apply as a partnership of your own."
        ),
    )

    def content(self) -> dict[str, Any]:
        return super().content() | {
            "requested_amount": self.requested_amount.data or "",
            "eligible_spend": self.eligible_spend.data or "",
            "value_chain_id": (self.value_chain_id.data or "").strip() or None,
        }

    @staticmethod
    def content_names() -> list[str]:
        return [
            *ApplicationForm.content_names(),
            "requested_amount",
            "eligible_spend",
            "value_chain_id",
        ]


class EditSupportApplicationForm(SupportApplicationForm):
    version = HiddenField()


def prepare(form: SupportApplicationForm, call: Call, organisation_id: int | None) -> None:
    """Offer the recognised value chains of the organisation's partnerships, and say the cap."""
    # the value chains whose label is in force: the ones a measure's bonus rewards (a chain the
    # Region closed is refused, so it is not offered), and the one already named, so that
    # saving an edit keeps it
    named = str(form.value_chain_id.data or "")
    chains = [
        c
        for c in value_chain_choices(organisation_id)
        if c.state_info.label_in_force or str(c.id) == named
    ]
    form.value_chain_id.choices = choices(
        ((str(c.id), f"{c.title} ({c.label.code})" if c.label else c.title) for c in chains),
        blank=_l("None: not on behalf of a value chain"),
    )
    if call.max_grant is not None:
        form.requested_amount.description = translate(
            N_("At most %(amount)s for this measure.", amount=Amount(call.max_grant))
        )
    #: under a measure stating aid intensities the amount is computed from the partners' spend
    form.computed = states_intensities(call)
