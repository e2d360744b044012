"""Applications to a support measure (phase 2 of the value-chain EOI): Bando Filiere 2022,
Rafforzamento filiere, Basket Bond Filiere Lombardia...

A partnership, recognised or not, applies for an amount; submission checks eligibility; the
committee admits and scores it; closing the evaluation fixes the score (the committee's average,
plus the measure's bonus when the applying value chain holds a valid quality label). The officer
grants within the remaining budget, possibly less than requested, or waitlists it and grants it
later when budget frees up. The threshold applies to the score before the bonus.

The conditions below read the application through this protocol (the Application model and its
Call provide it; the engine tests use plain objects):

- ``subject.call``: ``opens_at``, ``deadline``, ``min_firms``, ``min_smes``, ``min_reviews``,
  ``score_threshold``, ``max_grant``, ``budget``, ``committed`` (Decimals for money);
- ``subject.lombardy_firm_count``, ``subject.lombardy_sme_count``, ``subject.requested_amount``,
  ``subject.submitted_review_count``, ``subject.base_score`` (None until the evaluation closed).

``ctx.data`` carries the trigger's cleaned data while it fires (``granted_amount``), and is None
when the engine only lists what could be done: the budget is then judged for the default amount
only once someone fires the grant, so that a lower grant stays possible when the budget is short.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from workflows.conditions import call_open, min_lombardy_firms, min_reviews
from workflows.model import Condition, Context, DataField, Section, State, Transition, Workflow

LEAD = frozenset({"lead"})
COMMITTEE = frozenset({"reviewer", "officer"})
OFFICER = frozenset({"officer"})
#: the states in which an application holds part of the measure's budget
HOLDS_BUDGET = ("granted", "in_implementation", "completed")


def eur(amount: Decimal | int | None) -> str:
    """Money as the Region writes it in English: EUR 1,234,567.89."""
    return "EUR —" if amount is None else f"EUR {Decimal(amount):,.2f}"


def points(value: Decimal | int) -> str:
    return f"{Decimal(value):.2f}"


def amount_to_grant(subject: Any, ctx: Context) -> Decimal | None:
    """What a grant commits: the ``granted_amount`` given, else the requested amount."""
    given = (ctx.data or {}).get("granted_amount")
    return given if given is not None else subject.requested_amount


def remaining_budget(call: Any) -> Decimal:
    return Decimal(call.budget or 0) - Decimal(call.committed or 0)


def _min_lombardy_smes(subject: Any, ctx: Context) -> str | None:
    have, need = subject.lombardy_sme_count, subject.call.min_smes or 0
    if have >= need:
        return None
    return f"{have} of the {need} required SMEs with a seat in Lombardy."


def _within_max_grant(subject: Any, ctx: Context) -> str | None:
    asked, ceiling = subject.requested_amount, subject.call.max_grant
    if asked is None:
        return "No requested amount: say how much the project asks for."
    if ceiling is not None and asked > ceiling:
        return f"Requested {eur(asked)} is above the maximum grant of {eur(ceiling)}."
    return None


def _threshold_before_bonus(subject: Any, ctx: Context) -> str | None:
    base, threshold = subject.base_score, subject.call.score_threshold
    if base is None:
        return "No score yet: the evaluation has not been closed."
    if base < threshold:
        return (
            f"Score before the bonus {points(base)} is below the threshold of {points(threshold)} "
            "(the quality-label bonus does not count towards it)."
        )
    return None


def _grant_within_request(subject: Any, ctx: Context) -> str | None:
    given = (ctx.data or {}).get("granted_amount")
    asked = subject.requested_amount
    if given is None or asked is None or given <= asked:
        return None
    return f"The grant of {eur(given)} is above the {eur(asked)} requested."


def _budget_available(subject: Any, ctx: Context) -> str | None:
    left = remaining_budget(subject.call)
    if ctx.data is None:  # only listing the options: any budget left allows a (lower) grant
        if left > 0:
            return None
        return f"No budget left: all of the measure's {eur(subject.call.budget)} is committed."
    amount = amount_to_grant(subject, ctx)
    if amount is None or left >= amount:
        return None
    return f"Remaining budget {eur(left)} is less than {eur(amount)}."


min_lombardy_smes = Condition(
    "min_lombardy_smes",
    "At least the measure's minimum number of partners are SMEs with a seat in Lombardy.",
    _min_lombardy_smes,
)
within_max_grant = Condition(
    "within_max_grant",
    "An amount is requested, and it is not above the measure's maximum grant.",
    _within_max_grant,
)
threshold_before_bonus = Condition(
    "threshold_before_bonus",
    "The score before the quality-label bonus reaches the measure's threshold.",
    _threshold_before_bonus,
)
grant_within_request = Condition(
    "grant_within_request",
    "The amount granted is not above the amount requested.",
    _grant_within_request,
)
budget_available = Condition(
    "budget_available",
    "The measure's remaining budget covers the amount granted.",
    _budget_available,
)

WORKFLOW = Workflow(
    name="support_application",
    title="Application to a support measure",
    description=(
        "Phase 2: a partnership, recognised or not, applies to a support measure for an amount. "
        "Eligibility is checked at submission; the committee scores it; recognised value chains "
        "get the measure's bonus on top of a score that must reach the threshold on its own. "
        "The Region grants within the remaining budget or waitlists, then follows the project "
        "to completion."
    ),
    content_title="Project",
    content=(
        Section("challenges", "Project summary", "What the project does, in a few lines."),
        Section("needs", "Needs addressed", "The needs of the value chain the project answers."),
        Section("objectives", "Objectives and results", "Measurable results expected."),
        Section("actions", "Work plan", "The actions, who carries them out, and when."),
        Section(
            "investments", "Costs and investments", "Eligible costs, with their order of magnitude."
        ),
    ),
    thematic_area=False,
    states=(
        State(
            "draft",
            "Draft",
            2,
            editable=True,
            description="The lead partner prepares the application and the requested amount.",
        ),
        State(
            "submitted",
            "Submitted",
            2,
            tone="waiting",
            description="Submitted to the measure; awaiting the admissibility check.",
        ),
        State(
            "under_evaluation",
            "Under evaluation",
            2,
            reviewable=True,
            tone="progress",
            description="Admissible; committee members score it against the measure's criteria.",
        ),
        State(
            "scored",
            "Scored",
            2,
            tone="progress",
            description="The evaluation is closed and the score fixed; awaiting the Region's decision.",
        ),
        State(
            "granted",
            "Granted",
            2,
            tone="success",
            description="Granted: the amount is committed on the measure's budget.",
        ),
        State(
            "waitlisted",
            "Waitlisted",
            2,
            tone="waiting",
            description="Above the threshold, waiting for budget to free up.",
        ),
        State("rejected", "Rejected", 2, terminal=True, tone="danger"),
        State("inadmissible", "Inadmissible", 2, terminal=True, tone="danger"),
        State(
            "in_implementation",
            "In implementation",
            2,
            tone="progress",
            description="The partnership is carrying out the granted project.",
        ),
        State(
            "completed",
            "Completed",
            2,
            terminal=True,
            tone="success",
            description="The project is concluded and its final report approved.",
        ),
        State("withdrawn", "Withdrawn", 2, terminal=True, tone="neutral"),
    ),
    transitions=(
        Transition(
            "submit",
            "Submit the application",
            ("draft",),
            "submitted",
            LEAD,
            conditions=(call_open, min_lombardy_firms, min_lombardy_smes, within_max_grant),
            submission=True,
            decisive=True,
        ),
        Transition("admit", "Admit to evaluation", ("submitted",), "under_evaluation", COMMITTEE),
        Transition(
            "declare_inadmissible",
            "Declare inadmissible",
            ("submitted",),
            "inadmissible",
            COMMITTEE,
            comment_required=True,
            decisive=True,
        ),
        Transition(
            "close_evaluation",
            "Close the evaluation",
            ("under_evaluation",),
            "scored",
            COMMITTEE,
            conditions=(min_reviews,),
            effects=("compute_support_score",),
            decisive=True,
            description="Fixes the score: the committee's average, plus the measure's bonus when "
            "the applying value chain holds a valid quality label at this moment.",
        ),
        Transition(
            "grant",
            "Grant",
            ("scored", "waitlisted"),
            "granted",
            OFFICER,
            conditions=(threshold_before_bonus, grant_within_request, budget_available),
            data=(
                DataField(
                    "granted_amount",
                    "Amount granted (EUR)",
                    kind="amount",
                    required=False,
                ),
            ),
            effects=("commit_budget", "activate_value_chain_support"),
            decisive=True,
            description="Commits the amount (the requested one unless a lower one is given) on "
            "the measure's budget; a value chain holding its label moves to support active.",
        ),
        Transition(
            "waitlist",
            "Waitlist",
            ("scored",),
            "waitlisted",
            OFFICER,
            conditions=(threshold_before_bonus,),
            description="Above the threshold but the budget is short: granted later if it frees up.",
        ),
        Transition(
            "reject",
            "Reject",
            ("scored", "waitlisted"),
            "rejected",
            OFFICER,
            comment_required=True,
            decisive=True,
        ),
        Transition(
            "start_implementation",
            "Start the implementation",
            ("granted",),
            "in_implementation",
            LEAD,
        ),
        Transition(
            "complete",
            "Approve the final report",
            ("in_implementation",),
            "completed",
            OFFICER,
            decisive=True,
            optional=True,
        ),
        Transition(
            "withdraw",
            "Withdraw the application",
            ("draft", "submitted", "under_evaluation", "scored", "waitlisted", "granted"),
            "withdrawn",
            LEAD,
            effects=("release_budget",),
            decisive=True,
            description="A withdrawn grant gives its amount back to the measure's budget.",
            optional=True,
        ),
    ),
)
