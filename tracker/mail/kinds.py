"""What email is sent, to whom, about what: the one table of it.

A ``Kind`` names who receives it (its audience), its subject, and the preference a person turns
it off with (the kind's own name); its body is ``templates/mail/<name>.txt``. ``EVENTS`` says
which kinds a workflow transition sends. Who receives what:

- applicants (staff of every partner of the application, the lead partner's included) are told
  what was decided about their application;
- committee members of the call, without conflict of interest, are told what waits for them
  (an application to check or to score), and their appointment;
- Region officers are told what waits for their decision;
- the AFIL board is told what waits for its review; a community's coordinators what the board
  decided; all its members and coordinators what the Region decided.

Nobody is emailed about what they did themselves, except the receipt of a submission.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Kind:
    name: str
    #: who receives it: a key of ``tracker.mail.operations.AUDIENCES``
    audience: str
    #: the subject, with %(title)s (what it is about)
    subject: object
    #: the preference's label on the account page
    label: object
    #: also to the person whose action sent it (a receipt)
    receipt: bool = False

    @property
    def template(self) -> str:
        return f"mail/{self.name}.txt"


#: The groups of the preferences page, each shown to people holding its role
#: (``None``: to everyone, as anyone may sit in a Strategic Community).
GROUPS: dict[str, tuple[object, str | None]] = {
    "applicant": (_l("Your applications"), "applicant"),
    "committee": (_l("Evaluation committees"), "reviewer"),
    "officer": (_l("Decisions of the Region"), "officer"),
    "board": (_l("AFIL board"), "board"),
    "community": (_l("Strategic Communities"), None),
}

_APPLICANT = (
    Kind(
        "submission_received",
        "partnership",
        _l("Received: %(title)s"),
        _l("An application of your partnership is submitted or resubmitted (a receipt)"),
        receipt=True,
    ),
    Kind(
        "integration_requested",
        "partnership",
        _l("Integration requested: %(title)s"),
        _l("The committee asks your partnership for an integration"),
    ),
    Kind(
        "application_admitted",
        "partnership",
        _l("Admitted: %(title)s"),
        _l("An application is admitted to evaluation or declared eligible"),
    ),
    Kind(
        "application_inadmissible",
        "partnership",
        _l("Not admitted: %(title)s"),
        _l("An application is declared inadmissible or ineligible"),
    ),
    Kind(
        "label_granted",
        "partnership",
        _l("Quality label granted: %(title)s"),
        _l("The Region grants the quality label"),
    ),
    Kind(
        "label_refused",
        "partnership",
        _l("Not recognised: %(title)s"),
        _l("The Region does not recognise the value chain"),
    ),
    Kind(
        "label_revoked",
        "partnership",
        _l("Quality label revoked: %(title)s"),
        _l("The Region revokes the quality label"),
    ),
    Kind(
        "chain_closed",
        "partnership",
        _l("Value chain closed: %(title)s"),
        _l("The Region closes the value chain, with its reason"),
    ),
    Kind(
        "measure_granted",
        "partnership",
        _l("Support granted: %(title)s"),
        _l("The Region grants a support measure"),
    ),
    Kind(
        "measure_waitlisted",
        "partnership",
        _l("Waitlisted: %(title)s"),
        _l("A support application is waitlisted for budget"),
    ),
    Kind(
        "measure_refused",
        "partnership",
        _l("Support not granted: %(title)s"),
        _l("The Region rejects a support application"),
    ),
    Kind(
        "application_selected",
        "partnership",
        _l("Selected: %(title)s"),
        _l("The Region selects a HUB expression of interest"),
    ),
    Kind(
        "application_not_selected",
        "partnership",
        _l("Not selected: %(title)s"),
        _l("The Region does not select a HUB expression of interest"),
    ),
)
_COMMITTEE = (
    Kind(
        "committee_appointed",
        "appointee",
        _l("You sit on the evaluation committee of %(title)s"),
        _l("You are appointed to a call's evaluation committee"),
    ),
    Kind(
        "submission_to_check",
        "committee",
        _l("To check for admissibility: %(title)s"),
        _l("An application awaits the admissibility check"),
    ),
    Kind(
        "review_assigned",
        "committee",
        _l("To review: %(title)s"),
        _l("An application admitted to evaluation awaits your review"),
    ),
)
_OFFICER = (
    Kind(
        "decision_due",
        "officers",
        _l("Decision due: %(title)s"),
        _l("An application awaits the Region's decision"),
    ),
    Kind(
        "proposal_submitted",
        "officers",
        _l("Proposal submitted to the Region: %(title)s"),
        _l("A Strategic Community submits a proposal to the Region"),
    ),
)
_BOARD = (
    Kind(
        "proposal_board_review",
        "board",
        _l("For the board's review: %(title)s"),
        _l("A community proposal awaits the board's review"),
    ),
)
_CHANGES = (
    Kind(
        "change_requested",
        "change_counterpart",
        _l("Partnership change to answer: %(title)s"),
        _l("A partnership change (a join, a leave, a new lead) awaits your partnership's answer"),
    ),
    Kind(
        "change_accepted",
        "officers",
        _l("Partnership change to acknowledge: %(title)s"),
        _l("A partnership change accepted by the partnership awaits the Region's acknowledgement"),
    ),
    Kind(
        "change_in_force",
        "change_parties",
        _l("Partnership changed: %(title)s"),
        _l("The Region acknowledges a change of your partnership: it is in force"),
    ),
    Kind(
        "change_refused",
        "change_parties",
        _l("Partnership change refused: %(title)s"),
        _l("A change of your partnership is refused"),
    ),
)
_REPORTS = (
    Kind(
        "report_submitted",
        "officers",
        _l("Report to review: %(title)s"),
        _l("A monitoring report (periodic, progress, final) awaits the Region's review"),
    ),
    Kind(
        "report_accepted",
        "report_partnership",
        _l("Report accepted: %(title)s"),
        _l("The Region accepts a monitoring report of your value chain or project"),
    ),
    Kind(
        "report_returned",
        "report_partnership",
        _l("Report returned for changes: %(title)s"),
        _l("The Region returns a monitoring report of your value chain or project for changes"),
    ),
)
_COMMUNITY = (
    Kind(
        "proposal_board_approved",
        "coordinators",
        _l("Approved by the board: %(title)s"),
        _l("The board approves a proposal of a community you coordinate"),
    ),
    Kind(
        "proposal_board_returned",
        "coordinators",
        _l("Returned by the board: %(title)s"),
        _l("The board returns a proposal of a community you coordinate"),
    ),
    Kind(
        "proposal_endorsed",
        "community",
        _l("Endorsed by the Region: %(title)s"),
        _l("The Region endorses a proposal of your community"),
    ),
    Kind(
        "proposal_declined",
        "community",
        _l("Declined by the Region: %(title)s"),
        _l("The Region declines a proposal of your community"),
    ),
)

#: every kind by name, in the order of the preferences page
KINDS: dict[str, Kind] = {
    k.name: k
    for k in (*_APPLICANT, *_CHANGES, *_REPORTS, *_COMMITTEE, *_OFFICER, *_BOARD, *_COMMUNITY)
}
#: the group of the preferences page each kind is shown in
KIND_GROUP: dict[str, str] = {
    **{k.name: "applicant" for k in _APPLICANT},
    # the officers' kind is shown to officers: the group is the audience's
    **{k.name: "officer" if k.audience == "officers" else "applicant" for k in _CHANGES},
    **{k.name: "officer" if k.audience == "officers" else "applicant" for k in _REPORTS},
    **{k.name: "committee" for k in _COMMITTEE},
    **{k.name: "officer" for k in _OFFICER},
    **{k.name: "board" for k in _BOARD},
    **{k.name: "community" for k in _COMMUNITY},
}

_SUBMITTED = ("submission_received", "submission_to_check")
_DECIDED_INADMISSIBLE = ("application_inadmissible",)

#: (workflow, trigger) -> the kinds of email firing it sends
EVENTS: dict[tuple[str, str], tuple[str, ...]] = {
    ("value_chain", "submit"): _SUBMITTED,
    ("value_chain", "resubmit"): _SUBMITTED,
    ("value_chain", "request_integration"): ("integration_requested",),
    ("value_chain", "admit"): ("application_admitted", "review_assigned"),
    ("value_chain", "declare_inadmissible"): _DECIDED_INADMISSIBLE,
    ("value_chain", "close_evaluation"): ("decision_due",),
    ("value_chain", "grant_label"): ("label_granted",),
    ("value_chain", "reject"): ("label_refused",),
    ("value_chain", "revoke_label"): ("label_revoked",),
    ("value_chain", "close"): ("chain_closed",),
    ("support_application", "submit"): _SUBMITTED,
    ("support_application", "admit"): ("application_admitted", "review_assigned"),
    ("support_application", "declare_inadmissible"): _DECIDED_INADMISSIBLE,
    ("support_application", "close_evaluation"): ("decision_due",),
    ("support_application", "grant"): ("measure_granted",),
    ("support_application", "waitlist"): ("measure_waitlisted",),
    ("support_application", "reject"): ("measure_refused",),
    ("rolling_support_application", "submit"): _SUBMITTED,
    ("rolling_support_application", "admit"): ("application_admitted", "review_assigned"),
    ("rolling_support_application", "declare_inadmissible"): _DECIDED_INADMISSIBLE,
    ("rolling_support_application", "close_evaluation"): ("decision_due",),
    ("rolling_support_application", "grant"): ("measure_granted",),
    ("rolling_support_application", "reject"): ("measure_refused",),
    ("minibond_issue", "submit"): _SUBMITTED,
    ("minibond_issue", "admit"): ("application_admitted", "decision_due"),
    ("minibond_issue", "declare_inadmissible"): _DECIDED_INADMISSIBLE,
    ("minibond_issue", "approve"): ("measure_granted",),
    ("minibond_issue", "refuse"): ("measure_refused",),
    ("hub_eoi", "submit"): _SUBMITTED,
    ("hub_eoi", "declare_eligible"): ("application_admitted", "decision_due"),
    ("hub_eoi", "declare_ineligible"): _DECIDED_INADMISSIBLE,
    ("hub_eoi", "select"): ("application_selected",),
    ("hub_eoi", "not_select"): ("application_not_selected",),
    ("partnership_change", "accept"): ("change_accepted",),
    ("partnership_change", "acknowledge"): ("change_in_force",),
    ("partnership_change", "refuse"): ("change_refused",),
    ("report", "submit"): ("report_submitted",),
    ("report", "resubmit"): ("report_submitted",),
    ("report", "accept"): ("report_accepted",),
    ("report", "return_for_changes"): ("report_returned",),
    ("community_proposal", "request_board_review"): ("proposal_board_review",),
    ("community_proposal", "board_approve"): ("proposal_board_approved",),
    ("community_proposal", "board_return"): ("proposal_board_returned",),
    ("community_proposal", "submit_to_region"): ("proposal_submitted",),
    ("community_proposal", "endorse"): ("proposal_endorsed",),
    ("community_proposal", "decline"): ("proposal_declined",),
}

#: Emails about a person's own account: sent whatever their choices (they cannot be turned off,
#: and are not on the preferences page), to that person alone, carrying a link only they may use.
ACCOUNT_KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind(
            "password_reset",
            "account",
            _l("Set a new password for %(title)s"),
            _l("A link to set a new password, when you ask for one"),
        ),
        Kind(
            "invitation",
            "account",
            _l("You are invited to %(title)s"),
            _l("An invitation to the tracker, with a link to choose your password"),
        ),
    )
}
