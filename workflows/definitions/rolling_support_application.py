"""Applications to a rolling support measure: first come, first served while funds last, no
ranking, as "Misura di Rafforzamento delle filiere produttive e degli ecosistemi industriali -
2025" (decree 4670 of 3 April 2025, EUR 32,414,148, applications from 16 April 2025 to 31
December 2027 "salvo esaurimento delle risorse"; selected by "procedura valutativa a sportello
secondo l'ordine cronologico di ricezione": euroconsultitalia.it, ucimu.it 18.04.2025,
finlombarda.it product 159).

The steps of a ranked call, without the ranking and the waitlist: submission needs funds left;
the evaluation checks the project (its threshold is the measure's, 0 when the measure states
none); the officer decides the applications in the order they were submitted, granting while
the budget lasts and refusing once it is gone. The subject's protocol is the one of
``support_application`` plus ``workflows.measures``.
"""

from __future__ import annotations

from workflows.conditions import conflict_not_declared, min_reviews
from workflows.definitions.support_application import (
    ADMIT,
    COMMITTEE,
    COMPLETE,
    CUP,
    DECLARE_INADMISSIBLE,
    GRANTED_AMOUNT,
    LEAD,
    OFFICER,
    START_IMPLEMENTATION,
    SUBMISSION,
    budget_available,
    grant_within_request,
    threshold_before_bonus,
)
from workflows.i18n import N_
from workflows.measures import cup_well_formed, first_in_line, funds_available
from workflows.model import Section, State, Transition, Workflow

WORKFLOW = Workflow(
    name="rolling_support_application",
    title=N_("Application to a rolling support measure"),
    description=N_(
        "Phase 2, first come first served: a partnership applies while the measure is open and "
        "its funds last. The committee checks and scores each project; the Region decides in "
        "the order the applications arrived, granting while the budget lasts. No ranking, no "
        "waitlist."
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
    measure_kind="rolling",
    states=(
        State(
            "draft",
            N_("Draft"),
            2,
            editable=True,
            description=N_("The lead partner prepares the application and the partners' spend."),
        ),
        State(
            "submitted",
            N_("Submitted"),
            2,
            tone="waiting",
            description=N_("In the queue of the measure, in the order it arrived."),
            service_days=30,
        ),
        State(
            "under_evaluation",
            N_("Under evaluation"),
            2,
            reviewable=True,
            tone="progress",
            description=N_("Admissible; the committee checks and scores the project."),
            service_days=60,
        ),
        State(
            "scored",
            N_("Scored"),
            2,
            tone="progress",
            description=N_("Evaluated; awaiting the Region's decision, in order of arrival."),
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
            conditions=(*SUBMISSION, funds_available),
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
                "Fixes the score: the committee's average, plus the bonus when the measure's "
                "label rule gives it."
            ),
        ),
        Transition(
            "grant",
            N_("Grant"),
            ("scored",),
            "granted",
            OFFICER,
            conditions=(
                threshold_before_bonus,
                first_in_line,
                grant_within_request,
                budget_available,
                cup_well_formed,
            ),
            data=(GRANTED_AMOUNT, CUP),
            effects=("commit_budget", "record_cup", "activate_value_chain_support"),
            decisive=True,
            description=N_(
                "In the order of arrival: commits the amount (the requested one unless a lower "
                "one is given) on the measure's budget."
            ),
        ),
        Transition(
            "reject",
            N_("Reject"),
            ("scored",),
            "rejected",
            OFFICER,
            comment_required=True,
            decisive=True,
            description=N_("Below the threshold, or the funds are exhausted: say which."),
        ),
        START_IMPLEMENTATION,
        COMPLETE,
        Transition(
            "withdraw",
            N_("Withdraw the application"),
            ("draft", "submitted", "under_evaluation", "scored", "granted"),
            "withdrawn",
            LEAD,
            effects=("release_budget",),
            decisive=True,
            description=N_("A withdrawn grant gives its amount back to the measure's budget."),
            optional=True,
        ),
    ),
)
