"""Circular Economy HUB expression of interest (DGR XI/3531/2020): public universities and research
centres declare their interest and availability to collaborate with the Region (art. 15, Law
241/1990) on pilot plants and demonstrators; the selected ones are parties to one multi-party
three-year agreement with the Region (May 2021), recorded once and joined by each application."""

from typing import Any

from workflows.conditions import call_open, conflict_not_declared
from workflows.i18n import N_
from workflows.model import Condition, Context, DataField, Section, State, Transition, Workflow

LEAD = frozenset({"lead"})
COMMITTEE = frozenset({"reviewer", "officer"})
OFFICER = frozenset({"officer"})
PUBLIC_RESEARCH = frozenset({"university", "research_centre"})


def _lead_is_public_research(subject: Any, ctx: Context) -> str | None:
    # The call was for *public* universities and research centres (DGR XI/3531/2020; AFIL's
    # account, seed 002_573f2f42b867d06f): the kind and the public status both count.
    lead = subject.lead_organisation
    if lead.kind not in PUBLIC_RESEARCH:
        return N_(
            "%(name)s is not a university or research centre: only these may lead.",
            name=lead.name,
        )
    if not lead.public_body:
        return N_(
            "%(name)s is not recorded as a public body: only public universities and research "
            "centres may lead.",
            name=lead.name,
        )
    return None


lead_is_public_research = Condition(
    "lead_is_public_research",
    N_("Only public universities and research centres may lead."),
    _lead_is_public_research,
)

WORKFLOW = Workflow(
    name="hub_eoi",
    title=N_("Circular Economy HUB expression of interest"),
    description=(
        N_(
            "Public universities and research centres, alone or jointly, declare their interest and "
            "availability to collaborate with the Region on pilot plants and demonstrators of the "
            "circular economy. The Region checks eligibility, selects the partners and signs a "
            "collaboration agreement with them."
        )
    ),
    content_title=N_("Expression of interest"),
    content=(
        Section(
            "challenges",
            N_("Research areas and competences"),
            N_("The groups, laboratories and competences the institution brings."),
        ),
        Section(
            "needs",
            N_("Pilot plants and demonstrators"),
            N_("The pilot plants and demonstrators proposed or made available."),
        ),
        Section(
            "objectives",
            N_("Contribution to the HUB"),
            N_(
                "What the institution would contribute to the Circular Economy HUB (first focus: "
                "e-mobility)."
            ),
        ),
        Section(
            "actions",
            N_("Availability to collaborate"),
            N_("Availability to collaborate with the Region under art. 15 of Law 241/1990."),
        ),
        Section(
            "investments",
            N_("Resources"),
            N_("Staff, equipment and co-funding the institution commits."),
        ),
    ),
    thematic_area=False,
    states=(
        State(
            "draft",
            N_("Draft"),
            editable=True,
            description=N_("The lead institution writes its expression of interest."),
        ),
        State(
            "submitted",
            N_("Submitted"),
            tone="waiting",
            description=N_("Submitted in the call window; awaiting the eligibility check."),
            service_days=20,
        ),
        State(
            "eligible",
            N_("Eligible"),
            tone="progress",
            description=N_("Eligible; awaiting the Region's selection."),
            service_days=30,
        ),
        State("ineligible", N_("Ineligible"), terminal=True, tone="danger"),
        State(
            "selected",
            N_("Selected"),
            tone="success",
            description=N_("Selected as a partner of the HUB; the agreement is to be signed."),
            positive=True,
            service_days=60,
        ),
        State("not_selected", N_("Not selected"), terminal=True, tone="danger"),
        State(
            "agreement_signed",
            N_("Agreement signed"),
            terminal=True,
            tone="success",
            description=N_("The collaboration agreement with the Region is signed."),
            positive=True,
        ),
        State("withdrawn", N_("Withdrawn"), terminal=True, tone="neutral"),
    ),
    transitions=(
        Transition(
            "submit",
            N_("Submit the expression of interest"),
            ("draft",),
            "submitted",
            LEAD,
            conditions=(call_open, lead_is_public_research),
            submission=True,
            decisive=True,
        ),
        Transition(
            "declare_eligible",
            N_("Declare eligible"),
            ("submitted",),
            "eligible",
            COMMITTEE,
            conditions=(conflict_not_declared,),
        ),
        Transition(
            "declare_ineligible",
            N_("Declare ineligible"),
            ("submitted",),
            "ineligible",
            COMMITTEE,
            conditions=(conflict_not_declared,),
            comment_required=True,
            decisive=True,
        ),
        Transition("select", N_("Select"), ("eligible",), "selected", OFFICER, decisive=True),
        Transition(
            "not_select",
            N_("Do not select"),
            ("eligible",),
            "not_selected",
            OFFICER,
            comment_required=True,
            decisive=True,
        ),
        Transition(
            "sign_agreement",
            N_("Record the signed agreement"),
            ("selected",),
            "agreement_signed",
            OFFICER,
            # One multi-party agreement bound all the selected institutions with the Region: the
            # reference names that shared record, which the effect checks and links.
            data=(
                DataField(
                    "agreement_reference",
                    N_("Agreement reference"),
                    max_length=200,
                ),
            ),
            effects=("join_shared_agreement",),
            decisive=True,
        ),
        Transition(
            "withdraw",
            N_("Withdraw"),
            ("draft", "submitted", "eligible"),
            "withdrawn",
            LEAD,
            decisive=True,
            optional=True,
        ),
    ),
)
