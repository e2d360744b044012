"""The conditions of support_application on plain objects: each unmet one named, with the words
a lead partner or an officer reads. No Flask, no database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from workflows import WORKFLOWS, ConditionsUnmet, Context, Engine
from workflows.checks import problems

NOW = dt.datetime(2022, 9, 15, 10, 0, tzinfo=dt.UTC)
ENGINE = Engine(WORKFLOWS["support_application"])
LEAD = Context(frozenset({"lead"}), NOW)
OFFICER = Context(frozenset({"officer"}), NOW)


def bando_filiere() -> SimpleNamespace:
    """Bando Filiere 2022's rules: EUR 4M, at most EUR 400,000 a project, threshold 65."""
    return SimpleNamespace(
        opens_at=dt.date(2022, 7, 12), deadline=dt.date(2022, 10, 31), min_firms=10, min_smes=5,
        min_reviews=2, score_threshold=Decimal(65), max_grant=Decimal(400_000),
        budget=Decimal(4_000_000), committed=Decimal(0), label_bonus=Decimal(10),
        min_spend=Decimal(200_000), max_spend=None, one_project_per_firm=True,
    )  # fmt: skip


def application(state: str = "draft", **changes) -> SimpleNamespace:
    """An application meeting every condition, unless told otherwise."""
    fields = dict(
        state=state, call=bando_filiere(), lombardy_firm_count=12, lombardy_sme_count=7,
        requested_amount=Decimal(400_000), submitted_review_count=2, base_score=Decimal(70),
        eligible_spend_total=Decimal(800_000), firms_in_other_projects=[], cup=None,
        missing_required_annexes=[],
    )  # fmt: skip
    return SimpleNamespace(**(fields | changes))


def unmet(subject, trigger, ctx, data=None) -> dict[str, str]:
    with pytest.raises(ConditionsUnmet) as err:
        ENGINE.fire(subject, trigger, ctx, "Because.", data)
    return {u.condition: u.message for u in err.value.unmet}


def test_the_definition_is_sound_and_matches_the_domain():
    wf = WORKFLOWS["support_application"]
    assert problems(wf) == []
    assert [s.name for s in wf.states] == [
        "draft", "submitted", "under_evaluation", "scored", "granted", "waitlisted", "rejected",
        "inadmissible", "in_implementation", "completed", "withdrawn",
    ]  # fmt: skip
    assert all(s.phase == 2 for s in wf.states)
    assert wf.states_where(editable=True) == ["draft"]
    assert wf.states_where(reviewable=True) == ["under_evaluation"]
    table = {
        t.trigger: (set(t.sources), t.dest, set(t.roles), t.comment_required)
        for t in wf.transitions
    }
    committee, officer, lead = {"reviewer", "officer"}, {"officer"}, {"lead"}
    assert table == {
        "submit": ({"draft"}, "submitted", lead, False),
        "admit": ({"submitted"}, "under_evaluation", committee, False),
        "declare_inadmissible": ({"submitted"}, "inadmissible", committee, True),
        "close_evaluation": ({"under_evaluation"}, "scored", committee, False),
        "grant": ({"scored", "waitlisted"}, "granted", officer, False),
        "waitlist": ({"scored"}, "waitlisted", officer, False),
        "reject": ({"scored", "waitlisted"}, "rejected", officer, True),
        "start_implementation": ({"granted"}, "in_implementation", lead, False),
        "complete": ({"in_implementation"}, "completed", officer, False),
        "withdraw": (
            {"draft", "submitted", "under_evaluation", "scored", "waitlisted", "granted"},
            "withdrawn",
            lead,
            False,
        ),
    }
    assert wf.transition("close_evaluation").effects == ("compute_support_score",)
    assert wf.transition("grant").effects == (
        "commit_budget",
        "record_cup",
        "activate_value_chain_support",
    )
    assert wf.transition("withdraw").effects == ("release_budget",)


def test_submission_names_every_unmet_eligibility_rule():
    subject = application(
        lombardy_firm_count=9,
        lombardy_sme_count=4,
        requested_amount=Decimal("450000"),
        missing_required_annexes=["Business plan"],
    )
    late = Context(frozenset({"lead"}), dt.datetime(2022, 11, 2, 9, tzinfo=dt.UTC))
    assert unmet(subject, "submit", late) == {
        "call_open": "The call closed on 31/10/2022.",
        "min_lombardy_firms": "9 of the 10 required firms with a seat in Lombardy.",
        "min_lombardy_smes": "4 of the 5 required SMEs with a seat in Lombardy.",
        "within_max_grant": "Requested EUR 450,000.00 is above the maximum grant of "
        "EUR 400,000.00.",
        # issue 14: the measure's required annexes
        "required_annexes_present": "Required annexes not uploaded yet: Business plan.",
    }
    assert subject.state == "draft"
    # the measure's own rules (issue 15): its spend range, one project per firm
    short = application(
        eligible_spend_total=Decimal("199999.99"), firms_in_other_projects=["Acme Srl"]
    )
    assert unmet(short, "submit", LEAD) == {
        "spend_in_range": "The eligible spend of EUR 199,999.99 is below the measure's minimum "
        "of EUR 200,000.00.",
        "one_project_per_firm": "One project per firm under this measure; already in another "
        "application: Acme Srl",
    }
    assert unmet(application(eligible_spend_total=None), "submit", LEAD) == {
        "spend_in_range": "No eligible spend stated: each partner states its eligible spend."
    }
    assert unmet(application(requested_amount=None), "submit", LEAD) == {
        "within_max_grant": "No requested amount: say how much the project asks for."
    }
    ENGINE.fire(application(), "submit", LEAD)  # exactly at the limits: 10 firms, 5 SMEs, EUR 400k
    at_limits = application(lombardy_firm_count=10, lombardy_sme_count=5)
    ENGINE.fire(at_limits, "submit", LEAD)
    assert at_limits.state == "submitted"


@pytest.mark.parametrize("trigger", ["grant", "waitlist"])
def test_the_threshold_applies_to_the_score_before_the_bonus(trigger):
    below = application("scored", base_score=Decimal("64.99"))
    assert unmet(below, trigger, OFFICER) == {
        "threshold_before_bonus": "Score before the bonus 64.99 is below the threshold of 65.00 "
        "(the quality-label bonus does not count towards it)."
    }
    assert unmet(application("scored", base_score=None), trigger, OFFICER) == {
        "threshold_before_bonus": "No score yet: the evaluation has not been closed."
    }
    exactly = application("scored", base_score=Decimal(65))
    ENGINE.fire(exactly, trigger, OFFICER)
    assert exactly.state == ("granted" if trigger == "grant" else "waitlisted")


def test_a_grant_needs_the_budget_for_the_amount_granted():
    short = application("scored")
    short.call.committed = Decimal(3_880_000)  # EUR 120,000 left
    assert unmet(short, "grant", OFFICER) == {
        "budget_available": "Remaining budget EUR 120,000.00 is less than EUR 400,000.00."
    }
    assert unmet(short, "grant", OFFICER, {"granted_amount": "120000.01"}) == {
        "budget_available": "Remaining budget EUR 120,000.00 is less than EUR 120,000.01."
    }
    firing = ENGINE.fire(short, "grant", OFFICER, "", {"granted_amount": "120000"})
    assert firing.data == {"granted_amount": Decimal("120000.00")}
    assert firing.data_as_json() == {"granted_amount": "120000.00"}


def test_options_leave_a_lower_grant_possible_until_nothing_is_left():
    """Listing the options judges no amount: with EUR 120,000 left the grant stays open (for a
    lower amount); with nothing left it is closed, and says why."""
    short = application("scored")
    short.call.committed = Decimal(3_880_000)
    grant = next(o for o in ENGINE.options(short, OFFICER) if o.trigger == "grant")
    assert grant.allowed
    short.call.committed = Decimal(4_000_000)
    grant = next(o for o in ENGINE.options(short, OFFICER) if o.trigger == "grant")
    assert [(u.condition, u.message) for u in grant.unmet] == [
        (
            "budget_available",
            "No budget left: all of the measure's EUR 4,000,000.00 is committed.",
        )
    ]


def test_a_grant_is_never_above_the_amount_requested():
    subject = application("scored", requested_amount=Decimal(250_000))
    assert unmet(subject, "grant", OFFICER, {"granted_amount": "250000.50"}) == {
        "grant_within_request": "The grant of EUR 250,000.50 is above the EUR 250,000.00 requested."
    }


@pytest.mark.parametrize(
    ("raw", "ok"),
    [
        ("120000", True), ("120000.5", True), (120000, True), (Decimal("99.99"), True),
        (" 1 000 ", True), ("0", False), ("-5", False), ("1.001", False), ("abc", False),
        (1.5, False), (True, False), ("1e13", False), ("NaN", False), ([], False),
    ],
)  # fmt: skip
def test_the_granted_amount_is_an_exact_positive_amount(raw, ok):
    subject = application("scored")
    if ok:
        firing = ENGINE.fire(subject, "grant", OFFICER, "", {"granted_amount": raw})
        assert isinstance(firing.data["granted_amount"], Decimal)
    else:
        assert set(unmet(subject, "grant", OFFICER, {"granted_amount": raw})) == {"granted_amount"}


def test_an_empty_granted_amount_means_the_requested_one():
    subject = application("waitlisted")
    firing = ENGINE.fire(subject, "grant", OFFICER, "", {"granted_amount": "  "})
    assert firing.data == {} and subject.state == "granted"
