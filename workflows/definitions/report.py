"""Monitoring reports ("rendicontazione"): what a recognised value chain and a funded project tell
the Region after the label or the grant.

Three kinds, each on an application:

- ``periodic`` ("relazione periodica"): a value chain holding its quality label reports its
  indicators (partners, firms and SMEs, investments made, employment, projects started) every
  ``report_interval_months`` its call sets (12 unless the call says otherwise), counted from the
  date of the decree that granted the label;
- ``progress`` ("relazione di avanzamento"): a funded project (a support application in
  implementation, a minibond issue subscribed) reports the eligible spend of the period against
  the grant, every ``report_interval_months`` of its measure's call, counted from the day the
  implementation started (the day it entered the state its ``complete`` leaves from);
- ``final`` ("relazione finale"): the project's closing report with its eligible spend. The
  tracker records no end date of a project (the measures' acts set it per project, in the grant
  decree), so the final report has no due date here: the lead files it when the project ends,
  and accepting it is what lets the Region complete the project (``final_report_accepted``,
  a condition of ``complete`` in every measure's workflow).

A report is drafted and submitted by the lead partner's staff; a Region officer accepts it or
returns it for changes with a comment; the lead resubmits it.
"""

from workflows.conditions import Condition
from workflows.i18n import N_, Series
from workflows.model import State, Transition, Workflow

LEAD = frozenset({"lead"})
OFFICER = frozenset({"officer"})

#: the kinds of report, as people read them
KINDS = {
    "periodic": N_("Periodic report"),
    "progress": N_("Progress report"),
    "final": N_("Final report"),
}
#: what a value chain's periodic report gives, with how people read each
INDICATORS = {
    "partners": N_("Partners"),
    "firms": N_("Firms"),
    "smes": N_("SMEs"),
    "investments": N_("Investments made (EUR)"),
    "employment": N_("Employment (people)"),
    "projects_started": N_("Projects started"),
}


def _indicators_given(subject, ctx) -> str | None:
    if subject.kind != "periodic":
        return None
    missing = [label for name, label in INDICATORS.items() if getattr(subject, name) is None]
    if not missing:
        return None
    return N_("The report lacks its indicators: %(missing)s.", missing=Series(missing))


def _spend_given(subject, ctx) -> str | None:
    if subject.kind == "periodic" or subject.spend is not None:
        return None
    return N_("The report lacks the eligible spend of its period: give it, in EUR.")


def _still_reporting(subject, ctx) -> str | None:
    """A chain reports while it holds its label; a project while it is being carried out."""
    if subject.still_reporting:
        return None
    if subject.kind == "periodic":
        return N_("The value chain no longer holds its quality label: it no longer reports.")
    return N_("The project is no longer being carried out: it no longer reports.")


indicators_given = Condition(
    "indicators_given",
    N_("A periodic report gives every indicator."),
    _indicators_given,
)
spend_given = Condition(
    "spend_given",
    N_("A progress or final report gives the eligible spend of its period."),
    _spend_given,
)
still_reporting = Condition(
    "still_reporting",
    N_("The value chain still holds its label, or the project is still being carried out."),
    _still_reporting,
)
SUBMISSION = (still_reporting, indicators_given, spend_given)

WORKFLOW = Workflow(
    name="report",
    title=N_("Monitoring report"),
    description=N_(
        "A recognised value chain reports its indicators at the interval its call sets; a funded "
        "project reports its eligible spend against the grant, with progress reports and a final "
        "report. The lead partner submits it; the Region accepts it or returns it for changes. "
        "Accepting the final report lets the Region complete the project."
    ),
    subject="report",
    content=(),
    thematic_area=False,
    states=(
        State(
            "draft",
            N_("Draft"),
            editable=True,
            description=N_("The lead partner prepares the report."),
        ),
        State(
            "submitted",
            N_("Submitted"),
            tone="waiting",
            description=N_("Submitted; awaiting the Region's review."),
            service_days=60,
        ),
        State(
            "returned",
            N_("Returned for changes"),
            editable=True,
            tone="waiting",
            description=N_("Returned by the Region with what to change; the lead resubmits it."),
            clock_suspended=True,
        ),
        State(
            "accepted",
            N_("Accepted"),
            terminal=True,
            tone="success",
            positive=True,
            description=N_("Accepted by the Region."),
        ),
    ),
    transitions=(
        Transition(
            "submit",
            N_("Submit the report"),
            ("draft",),
            "submitted",
            LEAD,
            conditions=SUBMISSION,
            description=N_("The Region reviews it next."),
        ),
        Transition(
            "accept",
            N_("Accept the report"),
            ("submitted",),
            "accepted",
            OFFICER,
            decisive=True,
            description=N_("An accepted final report lets the Region complete the project."),
        ),
        Transition(
            "return_for_changes",
            N_("Return for changes"),
            ("submitted",),
            "returned",
            OFFICER,
            comment_required=True,
            description=N_("Say what to change: the lead partner resubmits it."),
        ),
        Transition(
            "resubmit",
            N_("Resubmit the report"),
            ("returned",),
            "submitted",
            LEAD,
            conditions=SUBMISSION,
        ),
    ),
)
