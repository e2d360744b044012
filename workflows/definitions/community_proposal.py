"""AFIL Strategic Community proposals: from a member's idea to the Region's endorsement and what
followed it (a value-chain application, a call such as the Circular Economy HUB, an agreement)."""

from typing import Any

from workflows.i18n import N_
from workflows.model import Condition, Context, DataField, State, Transition, Workflow

COORDINATOR = frozenset({"coordinator"})
BOARD = frozenset({"board"})
OFFICER = frozenset({"officer"})
PARKABLE = ("idea", "concept_validation", "board_review")


def _value_chain_application_filed(subject: Any, ctx: Context) -> str | None:
    # The steel chain's story (AFIL profile, seed 002): the community prepared the proposal, and
    # the partnership itself filed it with the value-chain EOI; no endorsement by the Region.
    app = subject.value_chain_application
    if app is None:
        return N_("The proposal is not linked to a value-chain application.")
    if app.submitted_at is None:
        return N_(
            "The linked value-chain application “%(title)s” has not been submitted to the "
            "call yet.",
            title=app.title,
        )
    return None


value_chain_application_filed = Condition(
    "value_chain_application_filed",
    N_(
        "The proposal is linked to a value-chain application that its partnership has submitted "
        "to the call."
    ),
    _value_chain_application_filed,
)

WORKFLOW = Workflow(
    name="community_proposal",
    title=N_("Strategic Community proposal"),
    description=(
        N_(
            "A member of an AFIL Strategic Community raises an idea; the community's coordinators take "
            "it through concept validation and the AFIL board's review, then submit it to the Region. "
            "The Region acknowledges it and endorses it by an act (or declines it); an endorsed "
            "proposal is followed up, linked to what the Region did with it, until it is completed. "
            "A proposal that becomes a value-chain application goes to the follow-up as soon as "
            "its partnership has filed that application with the call: no endorsement is needed."
        )
    ),
    subject="proposal",
    states=(
        State(
            "idea",
            N_("Idea"),
            editable=True,
            tone="neutral",
            description=N_("A member raised the idea; the coordinators have not taken it up yet."),
        ),
        State(
            "concept_validation",
            N_("Concept validation"),
            editable=True,
            tone="progress",
            description=N_("The coordinators work the idea into a concept with the community."),
        ),
        State(
            "board_review",
            N_("Board review"),
            tone="waiting",
            description=N_("The AFIL board reviews the concept: it approves it or returns it."),
        ),
        State(
            "ready_for_region",
            N_("Ready for the Region"),
            tone="progress",
            description=N_("Approved by the board; the coordinators submit it to the Region."),
        ),
        State(
            "submitted_to_region",
            N_("Submitted to the Region"),
            tone="waiting",
            description=N_("Submitted to the Region; awaiting its acknowledgement."),
        ),
        State(
            "under_regional_review",
            N_("Under regional review"),
            tone="progress",
            description=N_("The Region examines the proposal."),
        ),
        State(
            "endorsed",
            N_("Endorsed"),
            tone="success",
            description=N_("Endorsed by the Region by an act (e.g. a DGR)."),
            positive=True,
            endorsed=True,
        ),
        State(
            "follow_up",
            N_("Follow-up"),
            tone="success",
            description=N_("Linked to what followed it: an application, a call, an agreement."),
            positive=True,
            followed_up=True,
        ),
        State(
            "completed",
            N_("Completed"),
            terminal=True,
            tone="success",
            description=N_("The follow-up is done."),
            positive=True,
            followed_up=True,
        ),
        State(
            "not_endorsed",
            N_("Not endorsed"),
            terminal=True,
            tone="danger",
            description=N_("The Region declined the proposal."),
        ),
        State(
            "parked",
            N_("Parked"),
            tone="neutral",
            description=N_("Set aside by the coordinators; it can be reopened."),
        ),
        State(
            "withdrawn",
            N_("Withdrawn"),
            terminal=True,
            tone="neutral",
            description=N_("Withdrawn by the coordinators."),
        ),
    ),
    transitions=(
        Transition(
            "start_validation",
            N_("Start concept validation"),
            ("idea",),
            "concept_validation",
            COORDINATOR,
        ),
        Transition(
            "request_board_review",
            N_("Ask the board to review"),
            ("concept_validation",),
            "board_review",
            COORDINATOR,
            description=N_("From now on the AFIL board sees the proposal."),
        ),
        Transition(
            "board_approve",
            N_("Approve (board)"),
            ("board_review",),
            "ready_for_region",
            BOARD,
            decisive=True,
        ),
        Transition(
            "board_return",
            N_("Return to the coordinators (board)"),
            ("board_review",),
            "concept_validation",
            BOARD,
            comment_required=True,
        ),
        Transition(
            "submit_to_region",
            N_("Submit to the Region"),
            ("ready_for_region",),
            "submitted_to_region",
            COORDINATOR,
            submission=True,
            decisive=True,
            description=N_("From now on the Region's officers see the proposal."),
        ),
        Transition(
            "acknowledge",
            N_("Acknowledge receipt"),
            ("submitted_to_region",),
            "under_regional_review",
            OFFICER,
        ),
        Transition(
            "endorse",
            N_("Endorse"),
            ("under_regional_review",),
            "endorsed",
            OFFICER,
            data=(
                DataField(
                    "act_reference", N_("Act reference (e.g. DGR 3098/2020)"), max_length=200
                ),
            ),
            effects=("record_endorsement",),
            decisive=True,
        ),
        Transition(
            "decline",
            N_("Decline"),
            ("under_regional_review",),
            "not_endorsed",
            OFFICER,
            comment_required=True,
            decisive=True,
        ),
        Transition(
            "start_follow_up",
            N_("Start the follow-up"),
            ("endorsed",),
            "follow_up",
            frozenset({"officer", "coordinator"}),
            data=(
                DataField(
                    "application_id",
                    N_("Application that followed"),
                    kind="id",
                    required=False,
                    one_of="follow_up_link",
                ),
                DataField(
                    "call_id",
                    N_("Call that followed"),
                    kind="id",
                    required=False,
                    one_of="follow_up_link",
                ),
                DataField(
                    "reference",
                    N_("Other reference (e.g. an agreement)"),
                    required=False,
                    max_length=200,
                    one_of="follow_up_link",
                ),
            ),
            effects=("link_follow_up",),
            description=N_(
                "Links the proposal to what followed: an application, a call, or a "
                "reference such as an agreement."
            ),
        ),
        Transition(
            "follow_value_chain",
            N_("Follow the value-chain application filed by the partnership"),
            ("ready_for_region",),
            "follow_up",
            COORDINATOR,
            conditions=(value_chain_application_filed,),
            effects=("follow_value_chain",),
            description=N_(
                "The partnership filed the proposal itself as a value-chain application with the "
                "call: the proposal follows that application, with no endorsement by the Region."
            ),
        ),
        Transition(
            "complete",
            N_("Complete"),
            ("follow_up",),
            "completed",
            frozenset({"coordinator", "officer"}),
            decisive=True,
        ),
        Transition("park", N_("Park"), PARKABLE, "parked", COORDINATOR, optional=True),
        Transition(
            "reopen", N_("Reopen"), ("parked",), "concept_validation", COORDINATOR, optional=True
        ),
        Transition(
            "withdraw",
            N_("Withdraw"),
            (*PARKABLE, "ready_for_region"),
            "withdrawn",
            COORDINATOR,
            decisive=True,
            optional=True,
        ),
    ),
)
