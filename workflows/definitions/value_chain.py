"""Value-chain Expression of Interest (DGR 5899/2022): concept note, quality label, support."""

from typing import Any

from workflows.conditions import (
    agreement_signed,
    call_open,
    concept_note_complete,
    conflict_not_declared,
    integration_answered,
    min_lombardy_firms,
    min_reviews,
    partners_verified,
    reply_by_default,
    reply_overdue,
    reply_within_period,
    required_annexes_present,
    score_threshold,
)
from workflows.i18n import N_
from workflows.model import Condition, Context, DataField, State, Transition, Workflow

LEAD = frozenset({"lead"})
COMMITTEE = frozenset({"reviewer", "officer"})
OFFICER = frozenset({"officer"})


def _lead_is_firm(subject: Any, ctx: Context) -> str | None:
    # a call's own rule (Call.lead_must_be_firm): the EOI of DGR 5899/2022 lets the partners
    # choose their lead, associations and clusters included, so its calls leave it off
    lead = subject.lead_organisation
    if not subject.call.lead_must_be_firm or lead.kind == "firm":
        return None
    return N_(
        "%(name)s is not a firm: this call admits only a firm as lead partner.", name=lead.name
    )


lead_is_firm = Condition(
    "lead_is_firm",
    N_("When the call requires it, the lead partner is a firm."),
    _lead_is_firm,
)
COMPLETE = (
    call_open,
    min_lombardy_firms,
    lead_is_firm,
    concept_note_complete,
    required_annexes_present,
    agreement_signed,
)

WORKFLOW = Workflow(
    name="value_chain",
    title=N_("Value-chain Expression of Interest"),
    description=(
        N_(
            "A partnership of at least ten Lombard firms submits a concept note; the Region evaluates it "
            "and, if positive, recognises the value chain with a quality label by decree (phase 1). "
            "Phase 2 follows: the recognised value chain applies to support measures, as many and "
            "as often as it needs, until the Region closes it by a decision with its reason."
        )
    ),
    states=(
        State(
            "draft",
            N_("Draft"),
            1,
            editable=True,
            tone="neutral",
            description=N_(
                "The lead partner assembles the partnership and writes the concept note."
            ),
        ),
        State(
            "submitted",
            N_("Submitted"),
            1,
            tone="waiting",
            description=N_("Submitted in the call window; awaiting the admissibility check."),
            service_days=30,  # the admissibility check
        ),
        State(
            "integration_requested",
            N_("Integration requested"),
            1,
            editable=True,
            tone="waiting",
            description=N_("The committee asked for documents or clarifications."),
            # the applicants' time: each request has its own date to reply by (the call's reply
            # period), and the Region's clock stops meanwhile (Law 241/1990 art. 2 c. 7)
            clock_suspended=True,
        ),
        State(
            "under_evaluation",
            N_("Under evaluation"),
            1,
            reviewable=True,
            tone="progress",
            description=N_("Admissible; committee members score it against the call's criteria."),
            service_days=60,
        ),
        State(
            "evaluated",
            N_("Evaluated"),
            1,
            tone="progress",
            description=N_("Enough reviews are in; awaiting the Region's decision."),
            service_days=30,  # the Region's decree
        ),
        State(
            "label_granted",
            N_("Quality label granted"),
            1,
            tone="success",
            description=N_(
                "Recognised by decree: the value chain holds the quality label and may apply to "
                "support measures (phase 2)."
            ),
            positive=True,
            holds_label=True,
        ),
        State(
            "support_active",
            N_("Support active"),
            2,
            tone="success",
            description=N_(
                "Phase 2: the value chain has had at least one grant and goes on applying to "
                "support measures; a finished project does not end it."
            ),
            positive=True,
            holds_label=True,
        ),
        State(
            "closed",
            N_("Closed"),
            2,
            terminal=True,
            tone="success",
            description=N_(
                "The Region closed the value chain by a decision with its reason: the registry "
                "lists it as closed; it earns no label bonus and applies to no new measure."
            ),
            positive=True,
            # recognised by decree and never revoked: the registry and the public figures keep
            # counting it among the recognised chains; what closing takes away is chain_closed's
            holds_label=True,
            chain_closed=True,
        ),
        State("inadmissible", N_("Inadmissible"), 1, terminal=True, tone="danger"),
        State("not_recognised", N_("Not recognised"), 1, terminal=True, tone="danger"),
        State("withdrawn", N_("Withdrawn"), None, terminal=True, tone="neutral"),
        State(
            "label_revoked",
            N_("Label revoked"),
            2,
            terminal=True,
            tone="danger",
            revoked_label=True,
        ),
    ),
    transitions=(
        Transition(
            "submit",
            N_("Submit the concept note"),
            ("draft",),
            "submitted",
            LEAD,
            conditions=COMPLETE,
            submission=True,
            decisive=True,
        ),
        Transition(
            "request_integration",
            N_("Request an integration"),
            ("submitted", "under_evaluation"),
            "integration_requested",
            COMMITTEE,
            conditions=(conflict_not_declared, reply_within_period),
            comment_required=True,  # the question
            data=(
                DataField(
                    "reply_by",
                    N_("Reply by"),
                    kind="date",
                    required=False,
                    future=True,
                    default=reply_by_default,
                ),
            ),
            effects=("open_integration_request",),
        ),
        Transition(
            "resubmit",
            N_("Resubmit with the integration"),
            ("integration_requested",),
            "submitted",
            LEAD,
            conditions=(*COMPLETE, integration_answered),
            effects=("close_integration_request",),
            submission=True,
            decisive=True,
        ),
        Transition(
            "declare_inadmissible",
            N_("Declare inadmissible"),
            ("submitted", "integration_requested"),
            "inadmissible",
            COMMITTEE,
            conditions=(conflict_not_declared, reply_overdue),
            comment_required=True,
            effects=("close_integration_request",),
            decisive=True,
        ),
        Transition(
            "admit",
            N_("Admit to evaluation"),
            ("submitted",),
            "under_evaluation",
            COMMITTEE,
            conditions=(conflict_not_declared, lead_is_firm, partners_verified),
        ),
        Transition(
            "close_evaluation",
            N_("Close the evaluation"),
            ("under_evaluation",),
            "evaluated",
            COMMITTEE,
            conditions=(conflict_not_declared, min_reviews),
            effects=("compute_score",),
            decisive=True,
        ),
        Transition(
            "grant_label",
            N_("Grant the quality label"),
            ("evaluated",),
            "label_granted",
            OFFICER,
            conditions=(score_threshold,),
            data=(
                DataField(
                    "decree_number", N_("Decree number"), max_length=100
                ),  # QualityLabel column
                DataField("decree_date", N_("Decree date"), kind="date", decided=True),
            ),
            effects=("issue_quality_label",),
            decisive=True,
        ),
        Transition(
            "reject",
            N_("Do not recognise"),
            ("evaluated",),
            "not_recognised",
            OFFICER,
            comment_required=True,
            decisive=True,
        ),
        Transition(
            "withdraw",
            N_("Withdraw the application"),
            ("draft", "submitted", "integration_requested", "under_evaluation", "evaluated"),
            "withdrawn",
            LEAD,
            effects=("close_integration_request",),
            decisive=True,
            optional=True,
        ),
        Transition(
            "activate_support",
            N_("Activate support"),
            ("label_granted",),
            "support_active",
            OFFICER,
            optional=True,
            description=N_(
                "Fired by the first grant of a support measure to the value chain; it then stays "
                "in support active whatever its projects do."
            ),
        ),
        Transition(
            "revoke_label",
            N_("Revoke the quality label"),
            ("label_granted", "support_active"),
            "label_revoked",
            OFFICER,
            comment_required=True,
            effects=("revoke_quality_label",),
            decisive=True,
            optional=True,
        ),
        Transition(
            "close",
            N_("Close the value chain"),
            ("label_granted", "support_active"),
            "closed",
            OFFICER,
            comment_required=True,  # the reason of the Region's decision
            decisive=True,
            optional=True,
            description=N_(
                "The Region's decision, with its reason, to end the value chain's phase 2: "
                "never the effect of a finished project."
            ),
        ),
    ),
)
