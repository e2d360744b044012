"""A measure's own rules (issue 15): the grant computed from each partner's spend and the
intensity for its size, capped; the spend range and one project per firm at submission; the
label bonus by the measure's rule, decided in one place; the CUP code of a granted project."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from tracker.applications.models import Application
from tracker.applications.operations import add_partner, set_partner_spend, update_application
from tracker.calls.models import Call
from tracker.database import commit
from tracker.errors import ValidationFailed
from tracker.extensions import db
from tracker.measures.grant import compute
from workflows import get_engine
from workflows.model import Context

CUP = "E17H22001230009"
#: Bando Filiere 2022 as the press read the DGR: 50% for SMEs, 15% for a large firm, at least
#: EUR 200,000 of spend, at most EUR 400,000 of grant
FILIERE = {
    "min_spend": "200000",
    "sme_intensity": "50",
    "large_intensity": "15",
    "state_aid_regime": "de_minimis",
}


def reasons(app, trigger):
    """What stops ``trigger`` on ``app``, for a person holding every role: {condition: why}."""
    ctx = Context(frozenset({"lead", "officer"}), dt.datetime.now(dt.UTC))
    option = next(o for o in get_engine(app.workflow).options(app, ctx) if o.trigger == trigger)
    return {u.condition: u.message for u in option.unmet}


def unmet(app, trigger):
    return list(reasons(app, trigger))


@pytest.fixture
def filiere(measures):
    return measures.measure(**FILIERE)


def draft(measures, make, world, call, sme_spend="300000", large_spend="200000"):
    """The lead (an SME) with its spend, a large firm, and the other firms at no spend."""
    app = make.application(call, world.lead, firms=call.min_firms, eligible_spend=sme_spend)
    large = make.organisation("Acciaierie Grandi Spa", size="large")
    add_partner(world.lead, app, large.id, "Large firm", "Pilot plant", large_spend)
    commit()
    return app


def test_the_grant_asked_is_spend_times_intensity_capped(make, world, measures, filiere):
    app = draft(measures, make, world, filiere)
    result = compute(app)
    by_name = {line.partner.organisation.name: line for line in result.lines}
    large = by_name["Acciaierie Grandi Spa"]
    assert (large.sme, large.intensity, large.aid) == (False, Decimal(15), Decimal("30000.00"))
    lead = next(line for line in result.lines if line.partner.is_lead)
    assert (lead.sme, lead.intensity, lead.aid) == (True, Decimal(50), Decimal("150000.00"))
    assert (result.spend, result.amount, result.capped) == (
        Decimal(500000),
        Decimal("180000.00"),
        False,
    )
    assert app.requested_amount == Decimal("180000.00")
    # more spend: the measure's maximum grant caps it
    set_partner_spend(world.lead, app, world.lead.organisation_id, "1000000")
    commit()
    assert (compute(app).uncapped, app.requested_amount) == (Decimal("530000.00"), Decimal(400000))
    # a partner leaving takes its part with it
    from tracker.applications.operations import remove_partner

    remove_partner(world.lead, app, by_name["Acciaierie Grandi Spa"].partner.organisation_id)
    commit()
    assert app.requested_amount == Decimal(400000)
    set_partner_spend(world.lead, app, world.lead.organisation_id, "100")
    commit()
    assert app.requested_amount == Decimal("50.00")


def test_a_request_sent_must_be_the_computed_one(make, world, measures, filiere):
    app = draft(measures, make, world, filiere)
    with pytest.raises(ValidationFailed) as refused:
        update_application(world.lead, app, {"requested_amount": "250000"})
    assert "computed from the partners' eligible spend" in str(
        refused.value.details["fields"]["requested_amount"]
    )
    db.session.rollback()
    update_application(world.lead, app, {"requested_amount": "180000.00"})  # sent back: fine
    assert app.requested_amount == Decimal("180000.00")


def test_a_measure_without_intensities_keeps_the_amount_entered(make, world, measures):
    call = measures.measure()
    app = measures.application(call, amount="300000")
    assert (compute(app), app.requested_amount) == (None, Decimal(300000))


def test_submission_needs_the_spend_in_range(make, world, measures, filiere):
    app = draft(measures, make, world, filiere, sme_spend="100000", large_spend="50000")
    assert unmet(app, "submit") == ["spend_in_range"]
    assert list(reasons(app, "submit").values()) == [
        "The eligible spend of EUR 150,000.00 is below the measure's minimum of EUR 200,000.00."
    ]
    set_partner_spend(world.lead, app, world.lead.organisation_id, "150000")
    commit()
    assert unmet(app, "submit") == []


def test_one_project_per_firm_refuses_a_second_project(make, world, measures):
    call = measures.measure(one_project_per_firm=True)
    first = measures.application(call)
    measures.fire(first, world.lead, "submit")
    other_lead = make.user("applicant", organisation=make.organisation("Beta Srl"))
    second = make.application(call, other_lead, firms=call.min_firms, requested_amount="100000")
    shared = first.partners[1]
    add_partner(other_lead, second, shared.organisation_id, "Partner firm")
    commit()
    assert unmet(second, "submit") == ["one_project_per_firm"]
    # a withdrawn project frees its firms
    measures.fire(first, world.lead, "withdraw")
    assert unmet(second, "submit") == []
    # a measure without the rule lets a firm take part in several
    free = measures.measure()
    a, b = measures.application(free), measures.application(free)
    measures.fire(a, world.lead, "submit")
    assert unmet(b, "submit") == []


def test_the_dated_label_rule_of_bando_filiere_2022(make, world, measures):
    """Applied to the EOI by 15 September 2022 and recognised by 15 October 2022: the bonus;
    recognised later: none, though the label is valid when the evaluation closes."""
    call = measures.measure(
        label_rule="recognised_by_dates",
        label_applied_by="2022-09-15",
        label_recognised_by="2022-10-15",
    )
    chain = measures.value_chain()  # submitted today, recognised 10 November 2022
    chain.submitted_at = dt.datetime(2022, 9, 1, 9, tzinfo=dt.UTC)
    commit()
    late = measures.scored(call, 80, value_chain_id=chain.id)
    assert (late.base_score, late.label_bonus_applied, late.score) == (80, 0, 80)
    chain.label.decree_date = dt.date(2022, 10, 14)
    commit()
    on_time = measures.scored(call, 80, value_chain_id=chain.id)
    assert (on_time.label_bonus_applied, on_time.score) == (10, 90)
    chain.submitted_at = dt.datetime(2022, 9, 16, 9, tzinfo=dt.UTC)
    commit()
    applied_late = measures.scored(call, 80, value_chain_id=chain.id)
    assert applied_late.label_bonus_applied == 0
    # the default rule: a valid label when the evaluation closes
    plain = measures.measure()
    assert measures.scored(plain, 80, value_chain_id=chain.id).label_bonus_applied == 10


def test_the_dated_rule_needs_its_dates(make, world, measures):
    with pytest.raises(ValidationFailed) as refused:
        measures.measure(label_rule="recognised_by_dates", label_applied_by="2022-09-15")
    assert set(refused.value.details["fields"]) == {"label_recognised_by"}
    db.session.rollback()
    with pytest.raises(ValidationFailed) as refused:
        measures.measure(sme_intensity="50", state_aid_regime="other", max_spend="100")
    assert set(refused.value.details["fields"]) == {"large_intensity", "state_aid_regime"}


def test_a_grant_records_the_cup_and_a_project_starts_with_it(make, world, measures):
    call = measures.measure()
    app = measures.scored(call, 80)
    with pytest.raises(ValidationFailed) as refused:
        measures.fire(app, measures.officer, "grant", cup="J43D2200049")
    assert [u["condition"] for u in refused.value.details["unmet"]] == ["cup_well_formed"]
    db.session.rollback()
    measures.fire(app, measures.officer, "grant", cup=CUP.lower())
    assert app.cup == CUP
    measures.fire(app, world.lead, "start_implementation")
    assert app.state == "in_implementation"


def test_measure_pages_and_api_show_the_rules(make, world, measures, filiere, api):
    app = draft(measures, make, world, filiere)
    answer = api(world.lead).get(f"/applications/{app.id}").get_json()
    computation = answer["grant_computation"]
    assert (computation["spend"], computation["amount"], computation["cap"]) == (
        "500000.00",
        "180000.00",
        "400000.00",
    )
    assert sorted((x["intensity"], x["aid"]) for x in computation["lines"] if x["spend"] != "0.00")
    assert answer["requested_amount"] == "180000.00"
    call = api(world.officer).get(f"/calls/{filiere.id}").get_json()
    assert (call["measure_kind"], call["sme_intensity"], call["state_aid_regime"]) == (
        "ranked",
        "50.00",
        "de_minimis",
    )
    spent = api(world.lead).patch(
        f"/applications/{app.id}/partners/{world.lead.organisation_id}",
        json={"eligible_spend": "-5"},
    )
    assert spent.status_code == 422
    spent = api(world.lead).patch(
        f"/applications/{app.id}/partners/{world.lead.organisation_id}",
        json={"eligible_spend": "400000"},
    )
    assert spent.status_code == 200
    lead_row = next(p for p in spent.get_json() if p["lead"])
    assert lead_row["eligible_spend"] == "400000.00"
    assert api(world.lead).get(f"/applications/{app.id}").get_json()["requested_amount"] == (
        "230000.00"
    )


# --- migration 0011 -----------------------------------------------------------------------------


@pytest.mark.fresh_database
def test_measures_and_applications_entered_before_0011_keep_their_figures(empty_database):
    """A measure, its application and partners at 0010: after 0011 the measure is a ranked call
    whose bonus rule is the one applied until then, the request stays as entered, the spend
    stays unstated; and down and up again."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import inspect, text

    from tracker.applications.models import Application
    from tracker.calls.models import Call

    upgrade(revision="0010_verification")
    rows = [
        "INSERT INTO organisations (id, name, vat_number, kind, size, province, city, "
        "lombardy_seat, created_at, verified_at) VALUES (1, 'Old Srl', '12345678903', 'firm', "
        "'small', 'BS', 'Brescia', true, '2023-01-02 03:04:05', '2023-01-02 03:04:05')",
        "INSERT INTO calls (id, title, workflow, description, act_reference, opens_at, deadline, "
        "min_firms, min_reviews, score_threshold, min_smes, budget, max_grant, label_bonus, "
        "committed, created_at) VALUES (1, 'Old measure', 'support_application', '', '', "
        "'2022-09-05', '2022-10-17', 1, 1, 6500, 0, 400000000, 40000000, 1000, 0, "
        "'2022-08-01 10:00:00')",
        "INSERT INTO calls (id, title, workflow, description, act_reference, opens_at, deadline, "
        "min_firms, min_reviews, score_threshold, committed, created_at) VALUES (2, 'EOI', "
        "'value_chain', '', '', '2022-03-01', '2027-12-31', 10, 2, 6000, 0, "
        "'2022-02-24 10:00:00')",
        "INSERT INTO applications (id, call_id, workflow, state, version, title, challenges, "
        "needs, objectives, actions, investments, lead_organisation_id, requested_amount, "
        "created_at, updated_at, state_entered_at) VALUES (1, 1, 'support_application', "
        "'draft', 1, 'Old project', '', '', '', '', '', 1, 30000000, '2022-09-06 10:00:00', "
        "'2022-09-06 10:00:00', '2022-09-06 10:00:00')",
        "INSERT INTO partners (id, application_id, organisation_id, role, commitments, added_at) "
        "VALUES (1, 1, 1, 'Lead', '', '2022-09-06 10:00:00')",
    ]
    with db.engine.begin() as conn:
        for sql in rows:
            conn.execute(text(sql))
    upgrade()
    measure, eoi = db.session.get(Call, 1), db.session.get(Call, 2)
    assert (measure.measure_kind, measure.label_rule, measure.sme_intensity) == (
        "ranked",
        "valid_at_closing",
        None,
    )
    assert (measure.one_project_per_firm, measure.min_spend, eoi.label_rule) == (False, None, None)
    app = db.session.get(Application, 1)
    assert (app.requested_amount, app.cup, app.partners[0].eligible_spend) == (
        Decimal(300000),
        None,
        None,
    )
    assert compute(app) is None  # no intensities stated: the request stays as entered
    db.session.remove()
    downgrade(revision="0010_verification")
    assert "cup" not in {c["name"] for c in inspect(db.engine).get_columns("applications")}
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT requested_amount FROM applications")).scalar() == (
            30000000
        )
    upgrade()


# --- pages ----------------------------------------------------------------------------------------


def test_pages_show_the_rules_and_take_each_partners_spend(make, world, measures, login):
    import datetime as _dt

    from pagetools import text_of

    officer = login(world.officer)
    form = {
        "title": "Bando Filiere (pages)", "workflow": "support_application",
        "opens_at": (_dt.date.today() - _dt.timedelta(days=3)).isoformat(),
        "deadline": (_dt.date.today() + _dt.timedelta(days=60)).isoformat(),
        "min_firms": "3", "min_reviews": "2", "score_threshold": "65", "budget": "4000000",
        "max_grant": "400000", "min_smes": "0", "label_bonus": "10", "min_spend": "200000",
        "sme_intensity": "50", "large_intensity": "15", "state_aid_regime": "de_minimis",
        "one_project_per_firm": "y", "label_rule": "recognised_by_dates",
        "label_applied_by": "2022-09-15", "label_recognised_by": "",
        "criteria-0-key": "quality", "criteria-0-label": "Quality", "criteria-0-max": "100",
    }  # fmt: skip
    refused = officer.post("/calls/new", data=form)
    assert refused.status_code == 422
    assert "This label rule needs both dates." in text_of(refused)
    assert 'value="200,000"' in refused.get_data(
        as_text=True
    )  # what was typed, as the page writes it
    created = officer.post("/calls/new", data=form | {"label_recognised_by": "2022-10-15"})
    assert created.status_code == 302, text_of(created)
    page = text_of(officer.get(created.headers["Location"]))
    assert "50.00% of the eligible spend for SMEs, 15.00% for the others" in page
    assert "applied to the EOI by 15/09/2022 and was recognised by 15/10/2022" in page
    assert "One: a firm already in another application" in page and "De minimis aid" in page

    call = db.session.scalars(
        select(Call).where(Call.title == "Bando Filiere (pages)")
    ).one()  # fmt: skip
    app = make.application(call, world.lead, firms=3, eligible_spend="300000")
    lead = login(world.lead)
    page = lead.get(f"/applications/{app.id}")
    assert "The grant asked is computed" in text_of(page)
    url = f"/applications/{app.id}/partners/{app.partners[1].organisation_id}/spend"
    bad = lead.post(url, data={"eligible_spend": "-3"})
    assert bad.status_code == 422 and 'value="-3"' in bad.get_data(as_text=True)
    good = lead.post(url, data={"eligible_spend": "100000"})
    assert good.status_code == 302
    db.session.expire_all()
    assert app.requested_amount == Decimal("200000.00")
    page = text_of(lead.get(f"/applications/{app.id}"))
    assert "Grant asked" in page and "EUR 200,000.00" in page
    italian = lead.get(f"/applications/{app.id}", headers={"Accept-Language": "it"})
    assert "Spesa ammissibile" in text_of(italian)
    # a new application states the lead's spend, not an amount
    form = text_of(lead.get(f"/applications/new?call_id={call.id}"))
    assert "Your organisation's eligible spend (EUR)" in form and "Requested amount" not in form
    made = lead.post(
        f"/applications/new?call_id={call.id}",
        data={"title": "Second project", "eligible_spend": "250000", "value_chain_id": ""},
    )
    assert made.status_code == 302, text_of(made)
    second = db.session.scalars(
        select(Application).where(Application.title == "Second project")
    ).one()  # fmt: skip
    assert (second.partners[0].eligible_spend, second.requested_amount) == (
        Decimal(250000),
        Decimal("125000.00"),
    )


def test_the_downloads_show_spend_intensity_grant_and_cup(make, world, measures, filiere, login):
    import csv
    import io

    app = draft(measures, make, world, filiere)
    measures.fire(app, world.lead, "submit")
    measures.fire(app, measures.officer, "admit")
    for r in measures.reviewers:
        make.review(app, r)
    measures.fire(app, measures.officer, "close_evaluation")
    measures.fire(app, measures.officer, "grant", cup=CUP)
    officer = login(world.officer)
    ranking = officer.get(f"/calls/{filiere.id}?format=csv")
    rows = list(csv.reader(io.StringIO(ranking.get_data(as_text=True).lstrip("\ufeff"))))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert (row["Eligible spend, EUR"], row["Aid intensity, SMEs / others, percent"]) == (
        "500000.00",
        "50.00 / 15.00",
    )
    assert (row["Requested, EUR"], row["Granted, EUR"], row["CUP code"]) == (
        "180000.00",
        "180000.00",
        CUP,
    )
    listed = officer.get(f"/applications?call_id={filiere.id}&format=csv")
    rows = list(csv.reader(io.StringIO(listed.get_data(as_text=True).lstrip("\ufeff"))))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert (row["Eligible spend"], row["CUP code"]) == ("500000.00", CUP)
