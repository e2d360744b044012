"""What support applications add to the operations: the amount asked and the value chain applied
for (checked when an application is created or edited), and the effects ``support_application``
names (score, budget, the value chain's support). Effects run inside the transition's
transaction: all of it commits, or none of it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tracker.applications.models import Application, Partner
from tracker.calls.models import Call
from tracker.effects import effect, extra_fields
from tracker.extensions import db
from tracker.firing import fire_transition
from tracker.measures import budget
from tracker.validation import Problems, is_id
from workflows.definitions.support_application import eur
from workflows.i18n import N_, Amount

WORKFLOW = "support_application"
#: the workflow of the applications a support application may apply for
VALUE_CHAIN = "value_chain"
#: its trigger a grant fires on the value chain applied for
ACTIVATE = "activate_support"


def is_measure(call: Call) -> bool:
    return call.workflow == WORKFLOW


# --- what an application asks for --------------------------------------------------------------


@extra_fields(WORKFLOW)
def support_fields(
    p: Problems, call: Call, lead_organisation_id: int, fields: dict[str, Any], *, partial: bool
) -> dict[str, Any]:
    """``requested_amount`` and ``value_chain_id`` of an application to a measure, checked.

    The amount is required when the application is created, above zero and not above the
    measure's maximum grant. The value chain is optional; it must be a value-chain application
    of a partnership the lead organisation leads or belongs to. Other workflows ignore both.
    """
    out: dict[str, Any] = {}
    if not is_measure(call):
        return out
    if (not partial or "requested_amount" in fields) and fields.get("requested_amount") in (
        None,
        "",
    ):
        p["requested_amount"] = N_("Requested amount is required: how much the project asks for.")
    elif not partial or "requested_amount" in fields:
        amount = p.decimal(
            "requested_amount",
            fields.get("requested_amount"),
            "Requested amount",
            minimum=Decimal("0.01"),
        )
        if amount is not None and call.max_grant is not None and amount > call.max_grant:
            p["requested_amount"] = N_(
                "Requested %(asked)s is above the maximum grant of %(ceiling)s.",
                asked=Amount(amount),
                ceiling=Amount(call.max_grant),
            )
        out["requested_amount"] = amount
    if "value_chain_id" in fields:
        out["value_chain_id"] = _value_chain_id(p, fields["value_chain_id"], lead_organisation_id)
    return out


def _value_chain_id(p: Problems, raw: Any, organisation_id: int) -> int | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, str) and raw.strip().isdecimal():
        raw = int(raw.strip())
    if not is_id(raw):
        p["value_chain_id"] = N_("value_chain_id must be a value-chain application's numeric id.")
        return None
    chain = db.session.get(Application, raw)
    # the same words whether it does not exist or is not theirs: no one learns of others' files
    if chain is None or chain.workflow != VALUE_CHAIN or chain.partner_for(organisation_id) is None:
        p["value_chain_id"] = N_(
            "Application %(id)s is not a value chain whose partnership your organisation leads "
            "or belongs to.",
            id=raw,
        )
        return None
    return chain.id


def value_chain_choices(organisation_id: int | None) -> list[Application]:
    """The value chains an organisation's partnerships may apply for, recognised ones first."""
    if organisation_id is None:
        return []
    rows = db.session.scalars(
        select(Application)
        .where(
            Application.workflow == VALUE_CHAIN,
            Application.id.in_(
                select(Partner.application_id).where(Partner.organisation_id == organisation_id)
            ),
        )
        .options(joinedload(Application.label))
        .order_by(Application.title, Application.id)
    ).all()
    return sorted(rows, key=lambda a: (not a.state_info.holds_label, a.title, a.id))


def holds_valid_label(chain: Application | None) -> bool:
    """Whether a value chain holds its quality label now (granted, not revoked)."""
    return chain is not None and chain.label is not None and chain.label.valid


# --- the effects support_application names -----------------------------------------------------


@effect("compute_support_score")
def compute_support_score(app: Application, firing, actor) -> None:
    """The committee's average, plus the measure's bonus when the value chain holds a valid
    label at this moment; both parts are kept, so the threshold can apply to the first."""
    base = app.average_score or Decimal(0)
    bonus = Decimal(0)
    if app.value_chain_id is not None and holds_valid_label(app.value_chain):
        bonus = app.call.label_bonus or Decimal(0)
    app.base_score = base
    app.label_bonus_applied = bonus
    app.score = base + bonus


@effect("commit_budget")
def commit_budget(app: Application, firing, actor) -> None:
    """The amount granted (the one requested unless a lower one is given) leaves the budget."""
    amount = firing.data.get("granted_amount") or app.requested_amount
    app.granted_amount = amount
    budget.commit(app.call, amount)


@effect("release_budget")
def release_budget(app: Application, firing, actor) -> None:
    """Withdrawing a grant gives its amount back; withdrawing anything else changes no budget."""
    left_the_budget = app.definition.state(firing.from_state).holds_budget
    if left_the_budget and not app.state_info.holds_budget and app.granted_amount is not None:
        budget.release(app.call, app.granted_amount)


@effect("activate_value_chain_support")
def activate_value_chain_support(app: Application, firing, actor) -> None:
    """A grant to a value chain holding its label moves it to support_active, in the same
    transaction, in the value chain's own history and with the officer as its actor."""
    if app.value_chain_id is None:
        return
    # read afresh: by now the measure's row is locked, so a simultaneous grant to the same
    # value chain has committed and its activation is visible here
    chain = db.session.scalar(
        select(Application)
        .where(Application.id == app.value_chain_id)
        .execution_options(populate_existing=True)
    )
    if chain is None or chain.state not in chain.definition.transition(ACTIVATE).sources:
        return
    fire_transition(
        actor,
        chain,
        ACTIVATE,
        comment=(
            f"Support granted: {app.call.title}, application #{app.id} ({eur(app.granted_amount)})."
        ),
        at=firing.at,
    )
