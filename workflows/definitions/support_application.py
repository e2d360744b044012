"""Applications to a ranked support measure (phase 2 of the value-chain EOI): a call with a
window, scores and a ranking, as Bando Filiere 2022 (rolling measures and financial instruments
have their own workflows: ``rolling_support_application``, ``minibond_issue``).

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

The conditions every measure may name (spend range, one project per firm, CUP) are in
``workflows.measures``.

``ctx.data`` carries the trigger's cleaned data while it fires (``granted_amount``), and is None
when the engine only lists what could be done: the budget is then judged for the default amount
only once someone fires the grant, so that a lower grant stays possible when the budget is short.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from workflows.conditions import (
    call_open,
    conflict_not_declared,
    min_lombardy_firms,
    min_reviews,
    partners_verified,
)
from workflows.i18n import N_, Amount, Points
from workflows.measures import (
    cup_recorded,
    cup_well_formed,
    one_project_per_firm,
    remaining_budget,
    spend_in_range,
)
from workflows.model import Condition, Context, DataField, Section, State, Transition, Workflow

LEAD = frozenset({"lead"})
COMMITTEE = frozenset({"reviewer", "officer"})
OFFICER = frozenset({"officer"})


def eur(amount: Decimal | int | None) -> str:
    """Money as the Region writes it in English: EUR 1,234,567.89."""
    return "EUR —" if amount is None else f"EUR {Decimal(amount):,.2f}"


def amount_to_grant(subject: Any, ctx: Context) -> Decimal | None:
    """What a grant commits: the ``granted_amount`` given, else the requested amount."""
    given = (ctx.data or {}).get("granted_amount")
    return given if given is not None else subject.requested_amount


def _min_lombardy_smes(subject: Any, ctx: Context) -> str | None:
    have, need = subject.lombardy_sme_count, subject.call.min_smes or 0
    if have >= need:
        return None
    return N_(
        "%(have)s of the %(need)s required SMEs with a seat in Lombardy.", have=have, need=need
    )


def _within_max_grant(subject: Any, ctx: Context) -> str | None:
    asked, ceiling = subject.requested_amount, subject.call.max_grant
    if asked is None:
        return N_("No requested amount: say how much the project asks for.")
    if ceiling is not None and asked > ceiling:
        return N_(
            "Requested %(asked)s is above the maximum grant of %(ceiling)s.",
            asked=Amount(asked),
            ceiling=Amount(ceiling),
        )
    return None


def _threshold_before_bonus(subject: Any, ctx: Context) -> str | None:
    base, threshold = subject.base_score, subject.call.score_threshold
    if base is None:
        return N_("No score yet: the evaluation has not been closed.")
    if base < threshold:
        return N_(
            "Score before the bonus %(score)s is below the threshold of %(threshold)s "
            "(the quality-label bonus does not count towards it).",
            score=Points(base),
            threshold=Points(threshold),
        )
    return None


def _grant_within_request(subject: Any, ctx: Context) -> str | None:
    given = (ctx.data or {}).get("granted_amount")
    asked = subject.requested_amount
    if given is None or asked is None or given <= asked:
        return None
    return N_(
        "The grant of %(given)s is above the %(asked)s requested.",
        given=Amount(given),
        asked=Amount(asked),
    )


def _budget_available(subject: Any, ctx: Context) -> str | None:
    left = remaining_budget(subject.call)
    if ctx.data is None:  # only listing the options: any budget left allows a (lower) grant
        if left > 0:
            return None
        return N_(
            "No budget left: all of the measure's %(budget)s is committed.",
            budget=Amount(subject.call.budget),
        )
    amount = amount_to_grant(subject, ctx)
    if amount is None or left >= amount:
        return None
    return N_(
        "Remaining budget %(left)s is less than %(amount)s.",
        left=Amount(left),
        amount=Amount(amount),
    )


min_lombardy_smes = Condition(
    "min_lombardy_smes",
    N_("At least the measure's minimum number of partners are SMEs with a seat in Lombardy."),
    _min_lombardy_smes,
)
within_max_grant = Condition(
    "within_max_grant",
    N_("An amount is requested, and it is not above the measure's maximum grant."),
    _within_max_grant,
)
threshold_before_bonus = Condition(
    "threshold_before_bonus",
    N_("The score before the quality-label bonus reaches the measure's threshold."),
    _threshold_before_bonus,
)
grant_within_request = Condition(
    "grant_within_request",
    N_("The amount granted is not above the amount requested."),
    _grant_within_request,
)
budget_available = Condition(
    "budget_available",
    N_("The measure's remaining budget covers the amount granted."),
    _budget_available,
)

#: what every measure checks when an application is submitted
SUBMISSION = (
    call_open,
    min_lombardy_firms,
    min_lombardy_smes,
    within_max_grant,
    spend_in_range,
    one_project_per_firm,
)
GRANTED_AMOUNT = DataField(
    "granted_amount", N_("Amount granted (EUR)"), kind="amount", required=False
)
#: the project's CUP code: the officer gives it with the grant (or the lead when starting)
CUP = DataField("cup", N_("CUP code"), required=False, max_length=20)

#: transitions the other measures' workflows share word for word (rolling_support_application,
#: minibond_issue): defined once here
ADMIT = Transition(
    "admit",
    N_("Admit to evaluation"),
    ("submitted",),
    "under_evaluation",
    COMMITTEE,
    conditions=(conflict_not_declared, partners_verified),
)

DECLARE_INADMISSIBLE = Transition(
    "declare_inadmissible",
    N_("Declare inadmissible"),
    ("submitted",),
    "inadmissible",
    COMMITTEE,
    conditions=(conflict_not_declared,),
    comment_required=True,
    decisive=True,
)

START_IMPLEMENTATION = Transition(
    "start_implementation",
    N_("Start the implementation"),
    ("granted",),
    "in_implementation",
    LEAD,
    conditions=(cup_recorded,),
    data=(CUP,),
    effects=("record_cup",),
    description=N_("Needs the project's CUP code, given with the grant or here."),
)

COMPLETE = Transition(
    "complete",
    N_("Approve the final report"),
    ("in_implementation",),
    "completed",
    OFFICER,
    decisive=True,
    optional=True,
)


WORKFLOW = Workflow(
    name="support_application",
    title=N_("Application to a support measure"),
    description=(
        N_(
            "Phase 2: a partnership, recognised or not, applies to a support measure for an amount. "
            "Eligibility is checked at submission; the committee scores it; recognised value chains "
            "get the measure's bonus on top of a score that must reach the threshold on its own. "
            "The Region grants within the remaining budget or waitlists, then follows the project "
            "to completion."
        )
    ),
    content_title=N_("Project"),
    content=(
        Section("challenges", N_("Project summary"), N_("What the project does, in a few lines.")),
        Section(
            "needs", N_("Needs addressed"), N_("The needs of the value chain the project answers.")
        ),
        Section("objectives", N_("Objectives and results"), N_("Measurable results expected.")),
        Section("actions", N_("Work plan"), N_("The actions, who carries them out, and when.")),
        Section(
            "investments",
            N_("Costs and investments"),
            N_("Eligible costs, with their order of magnitude."),
        ),
    ),
    thematic_area=False,
    measure_kind="ranked",
    states=(
        State(
            "draft",
            N_("Draft"),
            2,
            editable=True,
            description=N_("The lead partner prepares the application and the requested amount."),
        ),
        State(
            "submitted",
            N_("Submitted"),
            2,
            tone="waiting",
            description=N_("Submitted to the measure; awaiting the admissibility check."),
            service_days=30,
        ),
        State(
            "under_evaluation",
            N_("Under evaluation"),
            2,
            reviewable=True,
            tone="progress",
            description=N_(
                "Admissible; committee members score it against the measure's criteria."
            ),
            service_days=60,
        ),
        State(
            "scored",
            N_("Scored"),
            2,
            tone="progress",
            description=N_(
                "The evaluation is closed and the score fixed; awaiting the Region's decision."
            ),
            service_days=30,
        ),
        State(
            "granted",
            N_("Granted"),
            2,
            tone="success",
            description=N_("Granted: the amount is committed on the measure's budget."),
            positive=True,
            holds_budget=True,
        ),
        State(
            "waitlisted",
            N_("Waitlisted"),
            2,
            tone="waiting",
            description=N_("Above the threshold, waiting for budget to free up."),
            service_days=180,  # budget freeing up, or a refusal
        ),
        State("rejected", N_("Rejected"), 2, terminal=True, tone="danger"),
        State("inadmissible", N_("Inadmissible"), 2, terminal=True, tone="danger"),
        State(
            "in_implementation",
            N_("In implementation"),
            2,
            tone="progress",
            description=N_("The partnership is carrying out the granted project."),
            holds_budget=True,
        ),
        State(
            "completed",
            N_("Completed"),
            2,
            terminal=True,
            tone="success",
            description=N_("The project is concluded and its final report approved."),
            positive=True,
            holds_budget=True,
        ),
        State("withdrawn", N_("Withdrawn"), 2, terminal=True, tone="neutral"),
    ),
    transitions=(
        Transition(
            "submit",
            N_("Submit the application"),
            ("draft",),
            "submitted",
            LEAD,
            conditions=SUBMISSION,
            submission=True,
            decisive=True,
        ),
        ADMIT,
        DECLARE_INADMISSIBLE,
        Transition(
            "close_evaluation",
            N_("Close the evaluation"),
            ("under_evaluation",),
            "scored",
            COMMITTEE,
            conditions=(conflict_not_declared, min_reviews),
            effects=("compute_support_score",),
            decisive=True,
            description=N_(
                "Fixes the score: the committee's average, plus the measure's bonus when "
                "the applying value chain holds a valid quality label at this moment."
            ),
        ),
        Transition(
            "grant",
            N_("Grant"),
            ("scored", "waitlisted"),
            "granted",
            OFFICER,
            conditions=(
                threshold_before_bonus,
                grant_within_request,
                budget_available,
                cup_well_formed,
            ),
            data=(GRANTED_AMOUNT, CUP),
            effects=("commit_budget", "record_cup", "activate_value_chain_support"),
            decisive=True,
            description=N_(
                "Commits the amount (the requested one unless a lower one is given) on "
                "the measure's budget; a value chain holding its label moves to support active."
            ),
        ),
        Transition(
            "waitlist",
            N_("Waitlist"),
            ("scored",),
            "waitlisted",
            OFFICER,
            conditions=(threshold_before_bonus,),
            description=N_(
                "Above the threshold but the budget is short: granted later if it frees up."
            ),
        ),
        Transition(
            "reject",
            N_("Reject"),
            ("scored", "waitlisted"),
            "rejected",
            OFFICER,
            comment_required=True,
            decisive=True,
        ),
        START_IMPLEMENTATION,
        COMPLETE,
        Transition(
            "withdraw",
            N_("Withdraw the application"),
            ("draft", "submitted", "under_evaluation", "scored", "waitlisted", "granted"),
            "withdrawn",
            LEAD,
            effects=("release_budget",),
            decisive=True,
            description=N_("A withdrawn grant gives its amount back to the measure's budget."),
            optional=True,
        ),
    ),
)
