"""The engine on plain objects, over every (workflow, state, trigger, role): no Flask, no database."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from types import SimpleNamespace

import pytest

from workflows import (
    WORKFLOWS,
    ConditionsUnmet,
    Context,
    Engine,
    InvalidFromState,
    RoleNotAllowed,
    UnknownTrigger,
    state_assignment_allowed,
)
from workflows.model import OBJECT_ROLES, Condition

NOW = dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC)


class Subject(SimpleNamespace):
    """An object meeting every condition of every workflow, unless told otherwise."""


def happy_subject(state: str) -> Subject:
    call = SimpleNamespace(
        opens_at=dt.date(2022, 3, 1), deadline=dt.date(2027, 12, 31), min_firms=10, min_reviews=2,
        score_threshold=60, lead_must_be_firm=False,
        # support measures
        min_smes=3, max_grant=Decimal(400_000), budget=Decimal(4_000_000), committed=Decimal(0),
        integration_reply_days=30,
        min_spend=Decimal(200_000), max_spend=None, one_project_per_firm=True,
    )  # fmt: skip
    lead = SimpleNamespace(
        name="Politecnico di Milano", kind="university", public_body=True, is_lombard_firm=False,
        verified=True,
    )  # fmt: skip
    partners = [
        SimpleNamespace(name=f"Firm {n}", is_lombard_firm=True, verified=True) for n in range(10)
    ]
    return Subject(
        state=state, call=call, lombardy_firm_count=10, missing_concept_note_fields=[],
        missing_required_annexes=[],
        agreement_signed=True, submitted_review_count=2, average_score=75, lead_organisation=lead,
        score_threshold=60, areas_outside_window_on=lambda now: [],
        lombardy_sme_count=3, requested_amount=Decimal(400_000), base_score=Decimal(70),
        partner_organisations=[lead, *partners], pending_integration=None,
        # community proposals: the value-chain application it became, filed by its partnership
        value_chain_application=SimpleNamespace(title="Steel chain", submitted_at=NOW),
        eligible_spend_total=Decimal(800_000), firms_in_other_projects=[],
        earlier_awaiting_decision=0, cup="E17H22001230009",
        # partnership changes: a join of a verified firm, not a partner yet, on a live chain
        kind="join", organisation=partners[0], chain_ended=False, organisation_is_partner=False,
        organisation_is_lead=False,
        # measures: the project's final report is accepted; reports: a project's report with
        # its spend, still reporting (the kind "join" above is no periodic report)
        final_report_state="accepted", still_reporting=True, spend=Decimal(1000),
    )  # fmt: skip


def full_data(transition) -> dict:
    values = {"date": "2023-05-10", "id": 7, "amount": "350000.50", "cup": "E17H22001230009"}
    soon = (NOW + dt.timedelta(days=10)).date().isoformat()  # a date to reply by
    return {
        f.name: soon if f.future else values.get(f.name, values.get(f.kind, "X 123"))
        for f in transition.data
    }


CASES = [
    pytest.param(wf, state.name, t, role, id=f"{wf.name}-{state.name}-{t.trigger}-{role}")
    for wf in WORKFLOWS.values()
    for state in wf.states
    for t in wf.transitions
    for role in OBJECT_ROLES
]


@pytest.mark.parametrize(("wf", "state", "transition", "role"), CASES)
def test_every_state_trigger_role(wf, state, transition, role):
    """From a source state an allowed role reaches the destination; anything else is refused
    for the right reason and leaves the state untouched."""
    engine = Engine(wf)
    subject = happy_subject(state)
    ctx = Context(frozenset({role}), NOW)
    fire = lambda: engine.fire(subject, transition.trigger, ctx, "Because.", full_data(transition))  # noqa: E731
    if state not in transition.sources:
        with pytest.raises(InvalidFromState):
            fire()
        assert subject.state == state
    elif role not in transition.roles:
        with pytest.raises(RoleNotAllowed) as err:
            fire()
        assert err.value.unmet[0].condition == "role"
        assert subject.state == state
    else:
        firing = fire()
        assert (firing.from_state, firing.to_state, subject.state) == (
            state,
            transition.dest,
            transition.dest,
        )
        assert firing.comment == "Because."
        assert set(firing.data) == {f.name for f in transition.data}


@pytest.mark.parametrize(
    "wf,transition",
    [
        pytest.param(wf, t, id=f"{wf.name}-{t.trigger}")
        for wf in WORKFLOWS.values()
        for t in wf.transitions
    ],
)
def test_options_match_fire(wf, transition):
    """What `options` promises is exactly what `fire` does, for every role."""
    engine = Engine(wf)
    for role in OBJECT_ROLES:
        subject = happy_subject(transition.sources[0])
        ctx = Context(frozenset({role}), NOW)
        option = next(o for o in engine.options(subject, ctx) if o.trigger == transition.trigger)
        assert option.allowed == (role in transition.roles)


def test_comment_and_data_are_required_where_declared():
    wf = WORKFLOWS["value_chain"]
    engine = Engine(wf)
    subject = happy_subject("evaluated")
    ctx = Context(frozenset({"officer"}), NOW)
    with pytest.raises(ConditionsUnmet) as err:
        engine.fire(subject, "grant_label", ctx, "", {"decree_date": "not a date"})
    assert [u.condition for u in err.value.unmet] == ["decree_number", "decree_date"]
    assert subject.state == "evaluated"
    with pytest.raises(ConditionsUnmet) as err:
        engine.fire(subject, "reject", ctx, "   ")
    assert err.value.unmet[0].condition == "comment"


def test_every_unmet_condition_is_named_with_its_reason():
    engine = Engine(WORKFLOWS["value_chain"])
    subject = happy_subject("draft")
    subject.lombardy_firm_count = 9
    subject.agreement_signed = False
    subject.missing_concept_note_fields = ["Needs"]
    subject.missing_required_annexes = ["Scheda di filiera", "Dichiarazione sostitutiva"]
    subject.call.deadline = dt.date(2022, 12, 31)
    ctx = Context(frozenset({"lead"}), NOW)
    option = next(o for o in engine.options(subject, ctx) if o.trigger == "submit")
    assert not option.allowed
    reasons = {u.condition: u.message for u in option.unmet}
    assert reasons == {
        "call_open": "The call closed on 31/12/2022.",
        "min_lombardy_firms": "9 of the 10 required firms with a seat in Lombardy.",
        "concept_note_complete": "The concept note lacks: Needs.",
        "required_annexes_present": "Required annexes not uploaded yet: Scheda di filiera; "
        "Dichiarazione sostitutiva.",
        "agreement_signed": "The project agreement signed by all partners has not been uploaded "
        "as a PDF: the lead partner uploads it on the application.",
    }
    with pytest.raises(ConditionsUnmet) as err:
        engine.fire(subject, "submit", ctx)
    assert [u.condition for u in err.value.unmet] == list(reasons)
    assert subject.state == "draft"


def test_deadline_is_a_day_in_rome():
    """At 23:30 UTC on 31 Dec it is already 1 Jan in Milan: the call has closed."""
    engine = Engine(WORKFLOWS["value_chain"])
    subject = happy_subject("draft")
    subject.call.deadline = dt.date(2027, 12, 31)
    late = Context(frozenset({"lead"}), dt.datetime(2027, 12, 31, 23, 30, tzinfo=dt.UTC))
    with pytest.raises(ConditionsUnmet) as err:
        engine.fire(subject, "submit", late)
    assert err.value.unmet[0].condition == "call_open"


def test_score_threshold_boundary():
    engine = Engine(WORKFLOWS["value_chain"])
    ctx = Context(frozenset({"officer"}), NOW)
    data = {"decree_number": "1", "decree_date": "2023-01-01"}
    at, below = happy_subject("evaluated"), happy_subject("evaluated")
    at.average_score, below.average_score = 60, 59.99
    engine.fire(at, "grant_label", ctx, "", data)
    assert at.state == "label_granted"
    with pytest.raises(ConditionsUnmet, match="59.99 is below the threshold of 60"):
        engine.fire(below, "grant_label", ctx, "", data)


@pytest.mark.parametrize("workflow", ["value_chain", "support_application"])
def test_admission_waits_for_the_partners_counted_to_be_verified(workflow):
    """Only what counts toward the call's minimums must be verified: a Lombard firm's declared
    data; an unverified university or a firm seated elsewhere does not hold the admission."""
    engine = Engine(WORKFLOWS[workflow])
    ctx = Context(frozenset({"reviewer"}), NOW)
    subject = happy_subject("submitted")
    subject.partner_organisations += [
        SimpleNamespace(name="Ateneo X", is_lombard_firm=False, verified=False),
        SimpleNamespace(name="Acme Srl", is_lombard_firm=True, verified=False),
    ]
    with pytest.raises(ConditionsUnmet) as err:
        engine.fire(subject, "admit", ctx)
    assert [(u.condition, u.message) for u in err.value.unmet] == [
        ("partners_verified", "Acme Srl awaits verification of its declared data.")
    ]
    subject.partner_organisations.append(
        SimpleNamespace(name="Beta Spa", is_lombard_firm=True, verified=False)
    )
    option = next(o for o in engine.options(subject, ctx) if o.trigger == "admit")
    assert [(u.condition, u.message) for u in option.unmet] == [
        (
            "partners_verified",
            "2 partners await verification of their declared data: Acme Srl, Beta Spa.",
        )
    ]
    assert subject.state == "submitted"
    for org in subject.partner_organisations:
        org.verified = org.verified or org.is_lombard_firm
    engine.fire(subject, "admit", ctx)
    assert subject.state == "under_evaluation"


def test_unknown_trigger():
    engine = Engine(WORKFLOWS["value_chain"])
    with pytest.raises(UnknownTrigger):
        engine.fire(happy_subject("draft"), "teleport", Context(frozenset({"officer"}), NOW))


def test_state_is_assigned_only_while_firing():
    seen = []
    check = Condition(
        "spy",
        "records whether assignment is open",
        lambda s, c: seen.append(state_assignment_allowed()),
    )
    wf = WORKFLOWS["value_chain"]
    submit = replace(wf.transition("submit"), conditions=(check,))
    spied = replace(
        wf, transitions=(submit,) + tuple(t for t in wf.transitions if t.trigger != "submit")
    )
    engine = Engine(spied)
    assert not state_assignment_allowed()
    engine.fire(happy_subject("draft"), "submit", Context(frozenset({"lead"}), NOW))
    assert seen == [False]  # conditions run before the assignment window opens
    assert not state_assignment_allowed()


def test_one_machine_serves_many_objects_without_keeping_them():
    engine = Engine(WORKFLOWS["value_chain"])
    ctx = Context(frozenset({"lead"}), NOW)
    subjects = [happy_subject("draft") for _ in range(50)]
    for s in subjects[::2]:
        engine.fire(s, "submit", ctx)
    assert [s.state for s in subjects[:4]] == ["submitted", "draft", "submitted", "draft"]
    assert engine._machine.models == []  # no add_model, so nothing leaks


def test_initialise_sets_initial_state():
    engine = Engine(WORKFLOWS["value_chain"])
    subject = SimpleNamespace()
    engine.initialise(subject)
    assert subject.state == "draft"


def test_one_of_several_data_fields_is_required():
    """start_follow_up needs a link to what followed: an application, a call or a reference."""
    engine = Engine(WORKFLOWS["community_proposal"])
    ctx = Context(frozenset({"coordinator"}), NOW)
    subject = happy_subject("endorsed")
    with pytest.raises(ConditionsUnmet) as err:
        engine.fire(subject, "start_follow_up", ctx, "", {"reference": "  "})
    assert [(u.condition, u.message) for u in err.value.unmet] == [
        (
            "follow_up_link",
            "Give at least one of: Application that followed, Call that followed or Other "
            "reference (e.g. an agreement).",
        )
    ]
    with pytest.raises(ConditionsUnmet) as err:
        engine.fire(subject, "start_follow_up", ctx, "", {"call_id": "12a"})
    assert [u.condition for u in err.value.unmet] == ["call_id"]  # malformed, not missing
    for bad in (0, -3, True, 2**31, "1e3", 1.5):
        with pytest.raises(ConditionsUnmet):
            engine.fire(subject, "start_follow_up", ctx, "", {"application_id": bad})
    firing = engine.fire(subject, "start_follow_up", ctx, "", {"call_id": " 12 "})
    assert firing.data == {"call_id": 12} and subject.state == "follow_up"


def test_only_universities_and_research_centres_may_lead_a_hub_application():
    engine = Engine(WORKFLOWS["hub_eoi"])
    subject = happy_subject("draft")
    subject.lead_organisation = SimpleNamespace(name="Fonderia Bonetti S.r.l.", kind="firm")
    with pytest.raises(ConditionsUnmet) as err:
        engine.fire(subject, "submit", Context(frozenset({"lead"}), NOW))
    assert [(u.condition, u.message) for u in err.value.unmet] == [
        (
            "lead_is_public_research",
            "Fonderia Bonetti S.r.l. is not a university or research centre: only these may lead.",
        )
    ]
    # a research centre, but not a public body (0015_afil): only public ones may lead
    subject.lead_organisation.kind = "research_centre"
    subject.lead_organisation.public_body = False
    with pytest.raises(ConditionsUnmet) as err:
        engine.fire(subject, "submit", Context(frozenset({"lead"}), NOW))
    assert [u.condition for u in err.value.unmet] == ["lead_is_public_research"]
    assert "is not recorded as a public body" in err.value.unmet[0].message
    subject.lead_organisation.public_body = True
    engine.fire(subject, "submit", Context(frozenset({"lead"}), NOW))
    assert subject.state == "submitted"


@pytest.mark.parametrize(("state", "trigger", "roles"), [
    ("draft", "submit", {"lead"}),
    ("integration_requested", "resubmit", {"lead"}),
    ("submitted", "admit", {"reviewer"}),
])  # fmt: skip
def test_a_call_that_requires_it_admits_only_a_firm_as_lead(state, trigger, roles):
    engine = Engine(WORKFLOWS["value_chain"])
    subject = happy_subject(state)
    subject.lead_organisation = SimpleNamespace(name="Confindustria Como", kind="association")
    engine.fire(happy_subject(state), trigger, Context(frozenset(roles), NOW))  # flag off: no rule
    subject.call.lead_must_be_firm = True
    with pytest.raises(ConditionsUnmet) as err:
        engine.fire(subject, trigger, Context(frozenset(roles), NOW))
    assert [(u.condition, u.message) for u in err.value.unmet] == [
        (
            "lead_is_firm",
            "Confindustria Como is not a firm: this call admits only a firm as lead partner.",
        )
    ]
    subject.lead_organisation.kind = "firm"
    engine.fire(subject, trigger, Context(frozenset(roles), NOW))
    assert subject.state == ("under_evaluation" if trigger == "admit" else "submitted")


def test_a_proposal_follows_a_value_chain_only_once_it_is_filed():
    engine = Engine(WORKFLOWS["community_proposal"])
    subject = happy_subject("ready_for_region")
    subject.value_chain_application = None
    coordinator = Context(frozenset({"coordinator"}), NOW)
    with pytest.raises(ConditionsUnmet) as err:
        engine.fire(subject, "follow_value_chain", coordinator)
    assert [u.condition for u in err.value.unmet] == ["value_chain_application_filed"]
    subject.value_chain_application = SimpleNamespace(title="Steel chain", submitted_at=None)
    with pytest.raises(ConditionsUnmet) as err:
        engine.fire(subject, "follow_value_chain", coordinator)
    assert "“Steel chain” has not been submitted" in err.value.unmet[0].message
    subject.value_chain_application.submitted_at = NOW
    assert engine.fire(subject, "follow_value_chain", coordinator).to_state == "follow_up"


def test_invalid_from_state_names_the_subject():
    engine = Engine(WORKFLOWS["community_proposal"])
    with pytest.raises(InvalidFromState, match="while the proposal is 'idea'"):
        engine.fire(happy_subject("idea"), "endorse", Context(frozenset({"officer"}), NOW))
