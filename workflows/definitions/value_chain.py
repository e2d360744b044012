"""Value-chain Expression of Interest (DGR 5899/2022): concept note, quality label, support."""

from workflows.conditions import (
    agreement_signed,
    call_open,
    concept_note_complete,
    min_lombardy_firms,
    min_reviews,
    score_threshold,
)
from workflows.model import DataField, State, Transition, Workflow

LEAD = frozenset({"lead"})
COMMITTEE = frozenset({"reviewer", "officer"})
OFFICER = frozenset({"officer"})
COMPLETE = (call_open, min_lombardy_firms, concept_note_complete, agreement_signed)

WORKFLOW = Workflow(
    name="value_chain",
    title="Value-chain Expression of Interest",
    description=(
        "A partnership of at least ten Lombard firms submits a concept note; the Region evaluates it "
        "and, if positive, recognises the value chain with a quality label by decree (phase 1). "
        "Support measures then follow (phase 2)."
    ),
    states=(
        State(
            "draft",
            "Draft",
            1,
            editable=True,
            tone="neutral",
            description="The lead partner assembles the partnership and writes the concept note.",
        ),
        State(
            "submitted",
            "Submitted",
            1,
            tone="waiting",
            description="Submitted in the call window; awaiting the admissibility check.",
        ),
        State(
            "integration_requested",
            "Integration requested",
            1,
            editable=True,
            tone="waiting",
            description="The committee asked for documents or clarifications.",
        ),
        State(
            "under_evaluation",
            "Under evaluation",
            1,
            reviewable=True,
            tone="progress",
            description="Admissible; committee members score it against the call's criteria.",
        ),
        State(
            "evaluated",
            "Evaluated",
            1,
            tone="progress",
            description="Enough reviews are in; awaiting the Region's decision.",
        ),
        State(
            "label_granted",
            "Quality label granted",
            1,
            tone="success",
            description="Recognised by decree: the value chain holds the quality label.",
        ),
        State(
            "support_active",
            "Support active",
            2,
            tone="success",
            description="At least one support measure is active for this value chain.",
        ),
        State(
            "closed", "Closed", 2, terminal=True, tone="success", description="Phase 2 completed."
        ),
        State("inadmissible", "Inadmissible", 1, terminal=True, tone="danger"),
        State("not_recognised", "Not recognised", 1, terminal=True, tone="danger"),
        State("withdrawn", "Withdrawn", None, terminal=True, tone="neutral"),
        State("label_revoked", "Label revoked", 2, terminal=True, tone="danger"),
    ),
    transitions=(
        Transition(
            "submit",
            "Submit the concept note",
            ("draft",),
            "submitted",
            LEAD,
            conditions=COMPLETE,
            submission=True,
            decisive=True,
        ),
        Transition(
            "request_integration",
            "Request an integration",
            ("submitted", "under_evaluation"),
            "integration_requested",
            COMMITTEE,
            comment_required=True,
        ),
        Transition(
            "resubmit",
            "Resubmit with the integration",
            ("integration_requested",),
            "submitted",
            LEAD,
            conditions=COMPLETE,
            submission=True,
            decisive=True,
        ),
        Transition(
            "declare_inadmissible",
            "Declare inadmissible",
            ("submitted",),
            "inadmissible",
            COMMITTEE,
            comment_required=True,
            decisive=True,
        ),
        Transition("admit", "Admit to evaluation", ("submitted",), "under_evaluation", COMMITTEE),
        Transition(
            "close_evaluation",
            "Close the evaluation",
            ("under_evaluation",),
            "evaluated",
            COMMITTEE,
            conditions=(min_reviews,),
            effects=("compute_score",),
            decisive=True,
        ),
        Transition(
            "grant_label",
            "Grant the quality label",
            ("evaluated",),
            "label_granted",
            OFFICER,
            conditions=(score_threshold,),
            data=(
                DataField("decree_number", "Decree number", max_length=100),  # QualityLabel column
                DataField("decree_date", "Decree date", kind="date"),
            ),
            effects=("issue_quality_label",),
            decisive=True,
        ),
        Transition(
            "reject",
            "Do not recognise",
            ("evaluated",),
            "not_recognised",
            OFFICER,
            comment_required=True,
            decisive=True,
        ),
        Transition(
            "withdraw",
            "Withdraw the application",
            ("draft", "submitted", "integration_requested", "under_evaluation", "evaluated"),
            "withdrawn",
            LEAD,
            decisive=True,
            optional=True,
        ),
        Transition(
            "activate_support",
            "Activate support",
            ("label_granted",),
            "support_active",
            OFFICER,
            optional=True,
        ),
        Transition(
            "revoke_label",
            "Revoke the quality label",
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
            "Close phase 2",
            ("support_active",),
            "closed",
            OFFICER,
            decisive=True,
            optional=True,
        ),
    ),
)
