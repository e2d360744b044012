"""Applications to a financial instrument: Basket Bond Filiere Lombardia (BB Fi.Lo.). Not a
scored grant: SMEs of a value chain (at least three, micro firms excluded) issue minibonds of
EUR 1.5 to 10 million each, which a securitisation vehicle (SPV) subscribes; the Region, through
a fund at Finlombarda (EUR 32 million, PR FESR 2021-2027, actions 1.3.4 and 2.6.1), backs each
basket with a guarantee on its first losses (up to 25% of the portfolio) and a grant towards the
costs of issuing (finlombarda.it product 148; ucimu.it 06.09.2024; retimpresa.it).

So no committee scores it: the manager assesses the issuers, the Region approves the backing
(its amount is committed on the measure's budget), the vehicle subscribes the minibonds, and the
file ends when the project is concluded. The subject's protocol is the one of
``support_application`` plus ``workflows.measures``.
"""

from __future__ import annotations

from workflows.conditions import conflict_not_declared, partners_verified
from workflows.definitions.support_application import (
    COMMITTEE,
    CUP,
    DECLARE_INADMISSIBLE,
    GRANTED_AMOUNT,
    LEAD,
    OFFICER,
    SUBMISSION,
    budget_available,
    final_report_accepted,
    grant_within_request,
)
from workflows.i18n import N_
from workflows.measures import cup_recorded, cup_well_formed, funds_available
from workflows.model import Section, State, Transition, Workflow

WORKFLOW = Workflow(
    name="minibond_issue",
    title=N_("Minibond issue under a financial instrument"),
    description=N_(
        "Phase 2, a financial instrument: the SMEs of a value chain issue minibonds that a "
        "vehicle subscribes, backed by the Region's guarantee. The manager assesses the "
        "issuers, the Region approves the backing within the measure's funds, the vehicle "
        "subscribes. No scores, no ranking."
    ),
    content_title=N_("Issue plan"),
    content=(
        Section(
            "challenges", N_("Chain project"), N_("The value chain's project the minibonds fund.")
        ),
        Section("needs", N_("Issuers"), N_("The issuing SMEs and their role in the chain.")),
        Section("objectives", N_("Investment plan"), N_("What each issuer invests, and by when.")),
        Section("actions", N_("Issue terms"), N_("Amounts, term and repayment of the minibonds.")),
        Section("investments", N_("Issue costs"), N_("The costs of structuring and issuing.")),
    ),
    thematic_area=False,
    measure_kind="instrument",
    states=(
        State(
            "draft",
            N_("Draft"),
            2,
            editable=True,
            description=N_("The lead firm prepares the issue plan and each issuer's minibond."),
        ),
        State(
            "submitted",
            N_("Submitted"),
            2,
            tone="waiting",
            description=N_("Submitted to the instrument's manager; awaiting the check."),
            service_days=30,
        ),
        State(
            "under_assessment",
            N_("Under assessment"),
            2,
            tone="progress",
            description=N_("The manager assesses the issuers' creditworthiness and the plan."),
            service_days=60,
        ),
        State(
            "approved",
            N_("Backing approved"),
            2,
            tone="success",
            description=N_("The Region's guarantee is approved and committed on the budget."),
            positive=True,
            holds_budget=True,
            service_days=120,
        ),
        State(
            "subscribed",
            N_("Minibonds subscribed"),
            2,
            tone="success",
            description=N_("The vehicle subscribed the minibonds; the issuers invest."),
            positive=True,
            holds_budget=True,
        ),
        State(
            "completed",
            N_("Completed"),
            2,
            terminal=True,
            tone="success",
            description=N_("The chain's project is concluded."),
            positive=True,
            holds_budget=True,
        ),
        State("not_approved", N_("Not approved"), 2, terminal=True, tone="danger"),
        State("inadmissible", N_("Inadmissible"), 2, terminal=True, tone="danger"),
        State("withdrawn", N_("Withdrawn"), 2, terminal=True, tone="neutral"),
    ),
    transitions=(
        Transition(
            "submit",
            N_("Submit the issue plan"),
            ("draft",),
            "submitted",
            LEAD,
            conditions=(*SUBMISSION, funds_available),
            submission=True,
            decisive=True,
        ),
        Transition(
            "admit",
            N_("Start the assessment"),
            ("submitted",),
            "under_assessment",
            COMMITTEE,
            conditions=(conflict_not_declared, partners_verified),
        ),
        DECLARE_INADMISSIBLE,
        Transition(
            "approve",
            N_("Approve the backing"),
            ("under_assessment",),
            "approved",
            OFFICER,
            conditions=(grant_within_request, budget_available, cup_well_formed),
            data=(GRANTED_AMOUNT, CUP),
            effects=("commit_budget", "record_cup", "activate_value_chain_support"),
            decisive=True,
            description=N_(
                "Commits the guarantee (the amount requested unless a lower one is given) on "
                "the measure's budget."
            ),
        ),
        Transition(
            "refuse",
            N_("Refuse the backing"),
            ("under_assessment",),
            "not_approved",
            OFFICER,
            comment_required=True,
            decisive=True,
        ),
        Transition(
            "record_subscription",
            N_("Record the subscription"),
            ("approved",),
            "subscribed",
            OFFICER,
            conditions=(cup_recorded,),
            data=(CUP,),
            effects=("record_cup",),
            description=N_("The vehicle subscribed the minibonds; needs the project's CUP code."),
        ),
        Transition(
            "complete",
            N_("Close the project"),
            ("subscribed",),
            "completed",
            OFFICER,
            conditions=(final_report_accepted,),
            decisive=True,
            optional=True,
        ),
        Transition(
            "withdraw",
            N_("Withdraw the issue plan"),
            ("draft", "submitted", "under_assessment", "approved"),
            "withdrawn",
            LEAD,
            effects=("release_budget",),
            decisive=True,
            description=N_("A withdrawn plan gives its backing back to the measure's budget."),
            optional=True,
        ),
    ),
)
