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
from tracker.labels.queries import closures
from tracker.measures import budget
from tracker.measures.grant import computed_request, states_intensities
from tracker.measures.rules import label_bonus_due
from tracker.validation import Problems, is_id
from workflows import APPLICATION_WORKFLOWS
from workflows.conditions import local_date
from workflows.definitions.support_application import eur
from workflows.i18n import N_, Amount, Day
from workflows.measures import normal_cup

#: the workflows of phase-2 measures: a ranked call, a rolling measure, a financial instrument
MEASURE_WORKFLOWS = tuple(
    name for name, wf in APPLICATION_WORKFLOWS.items() if wf.measure_kind is not None
)
#: the workflow of the applications a support application may apply for
VALUE_CHAIN = "value_chain"
#: its trigger a grant fires on the value chain applied for
ACTIVATE = "activate_support"


def is_measure(call: Call) -> bool:
    return call.is_measure


# --- what an application asks for --------------------------------------------------------------


def support_fields(
    p: Problems,
    call: Call,
    lead_organisation_id: int,
    fields: dict[str, Any],
    *,
    partial: bool,
    current: Application | None = None,
) -> dict[str, Any]:
    """``requested_amount``, ``eligible_spend`` (the lead's, at creation) and ``value_chain_id``
    of an application to a measure, checked.

    Under a measure stating aid intensities the amount is computed from the partners' spend
    (``tracker.measures.grant``): a client that still sends ``requested_amount`` is refused
    unless it sends the computed figure. Under one stating none, the amount is required when
    the application is created, above zero and not above the measure's maximum grant. The value
    chain is optional; it must be a value-chain application of a partnership the lead
    organisation leads or belongs to, and not one the Region closed (unless ``current``, the
    application being changed, already names it). Other workflows ignore all three.
    """
    out: dict[str, Any] = {}
    if not is_measure(call):
        return out
    if "eligible_spend" in fields and not partial:
        out["lead_eligible_spend"] = spend_value(p, fields["eligible_spend"])
    if states_intensities(call):
        if fields.get("requested_amount") not in (None, ""):
            out["sent_requested_amount"] = p.decimal(
                "requested_amount", fields["requested_amount"], "Requested amount"
            )
    elif (not partial or "requested_amount" in fields) and fields.get("requested_amount") in (
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
        kept = current.value_chain_id if current is not None else None
        out["value_chain_id"] = _value_chain_id(
            p, fields["value_chain_id"], lead_organisation_id, kept
        )
    return out


def spend_value(p: Problems, raw: Any, key: str = "eligible_spend") -> Decimal | None:
    """A partner's eligible spend: a non-negative amount, or None (not stated)."""
    if raw is None or raw == "":
        return None
    return p.decimal(key, raw, "Eligible spend", minimum=Decimal(0))


def check_sent_request(app: Application, sent: Decimal | None) -> None:
    """A request sent under a measure that computes it: refused unless it is the computed one
    (so a client sending back what it read still works)."""
    if sent is None:
        return
    computed = computed_request(app)
    if computed is None or sent != computed:
        p = Problems()
        p["requested_amount"] = N_(
            "The requested amount is computed from the partners' eligible spend (%(computed)s "
            "now): leave it out, or state each partner's spend.",
            computed=Amount(computed or Decimal(0)),
        )
        p.raise_if_any()


for _workflow in MEASURE_WORKFLOWS:
    extra_fields(_workflow)(support_fields)


def _value_chain_id(
    p: Problems, raw: Any, organisation_id: int, kept: int | None = None
) -> int | None:
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
    if chain.id != kept and chain.state_info.chain_closed:
        p["value_chain_id"] = closed_chain_refusal(chain)
        return None
    return chain.id


def closed_chain_refusal(chain: Application) -> Any:
    """Why a closed value chain cannot be the value chain of a new support application."""
    closure = closures([chain.id]).get(chain.id)
    if closure is None:
        return N_(
            "%(title)s was closed by the Region: a closed value chain cannot be the value chain "
            "of a new application to a support measure.",
            title=chain.title,
        )
    return N_(
        "%(title)s was closed by the Region on %(day)s: a closed value chain cannot be the "
        "value chain of a new application to a support measure.",
        title=chain.title,
        day=Day(local_date(closure.at)),
    )


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
    return sorted(rows, key=lambda a: (not a.state_info.label_in_force, a.title, a.id))


# --- the effects support_application names -----------------------------------------------------


@effect("compute_support_score")
def compute_support_score(app: Application, firing, actor) -> None:
    """The committee's average, plus the measure's bonus when its label rule gives it
    (``tracker.measures.rules``); both parts are kept, so the threshold can apply to the
    first."""
    base = app.average_score or Decimal(0)
    bonus = Decimal(0)
    if label_bonus_due(app):
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


@effect("record_cup")
def record_cup(app: Application, firing, actor) -> None:
    """The CUP code given with the trigger (checked by its condition) is the project's."""
    given = firing.data.get("cup")
    if given not in (None, ""):
        app.cup = normal_cup(given)


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
