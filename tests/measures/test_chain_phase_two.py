"""Issue 13, item 4: a recognised value chain stays in phase 2. It holds any number of support
applications across measures; its first grant moves it to support_active, where it stays while
it keeps applying, whatever its projects do. Only the Region closes it, by a decision with its
reason: a closed chain stays in the registry, listed as closed, earns no label bonus, and cannot
be the value chain of a new support application."""

from __future__ import annotations

import datetime as dt

import pytest
from apiclient import error_of
from measuretools import accept_final_report, scores_for
from pagetools import text_of
from sqlalchemy import select

from tracker.applications.models import Application
from tracker.applications.operations import fire_transition
from tracker.database import commit
from tracker.errors import Forbidden, ValidationFailed
from tracker.extensions import db
from tracker.measures.rules import label_bonus_due
from workflows import get_workflow

CUP = "E17H22001230009"
REASON = "The partners ended their joint programme (lead partner's letter of 12 May)."


def granted(make, measures, call, chain, **fields) -> Application:
    """An application of the lead's partnership to ``call`` for ``chain``, driven to granted
    along its workflow's own path, each step fired by whoever may."""
    app = measures.application(call, value_chain_id=chain.id, **fields)
    for t in get_workflow(app.workflow).path_to("granted"):
        if t.trigger == "close_evaluation":
            for r in measures.reviewers:
                make.review(app, r, scores_for(80))
        actor = measures.world.lead if "lead" in t.roles else measures.officer
        data = {f.name: CUP for f in t.data if f.name == "cup"} or None
        fire_transition(actor, app, t.trigger, data=data)
        commit()
    assert app.state == "granted"
    return app


def finish(measures, app) -> None:
    """The project carried out and completed (the officer approves its final report)."""
    measures.fire(app, measures.world.lead, "start_implementation", cup=CUP)
    accept_final_report(measures.world.lead, measures.officer, app)
    measures.fire(app, measures.officer, "complete")
    assert app.state == "completed"


def test_a_chain_holds_projects_across_measures_and_stays_in_phase_two(make, world, measures):
    chain = measures.value_chain()
    bando = measures.measure(one_project_per_firm=True)
    rolling = measures.measure(
        title="Rafforzamento filiere (test)", workflow="rolling_support_application",
        one_project_per_firm=True,
    )  # fmt: skip
    first = granted(make, measures, bando, chain)
    db.session.refresh(chain)
    assert chain.state == "support_active"
    finish(measures, first)
    db.session.refresh(chain)
    assert chain.state == "support_active"  # a finished project closes nothing
    # one project per firm is a rule of each measure: the chain applies to another one
    second = granted(make, measures, rolling, chain)
    db.session.refresh(chain)
    assert chain.state == "support_active"
    finish(measures, second)
    # and again to the first measure, with another partnership of its firms
    third = measures.application(bando, value_chain_id=chain.id, title="Second Bando project")
    assert third.value_chain_id == chain.id
    db.session.refresh(chain)
    assert chain.state == "support_active"
    # activated once, by the first grant; nothing else moved it
    assert [h.trigger for h in chain.history][-1] == "activate_support"
    assert sum(1 for h in chain.history if h.trigger == "activate_support") == 1
    applied = db.session.scalars(
        select(Application.id).where(Application.value_chain_id == chain.id)
    ).all()
    assert set(applied) == {first.id, second.id, third.id}


def test_closing_is_the_regions_decision_with_its_reason(make, world, measures):
    recognised = measures.value_chain(title="Recognised, never funded")
    with_support = measures.value_chain(title="Funded chain")
    granted(make, measures, measures.measure(), with_support)
    db.session.refresh(with_support)
    for chain in (recognised, with_support):
        source = chain.state
        # the lead cannot close it; the officer only with a reason
        with pytest.raises(Forbidden):
            fire_transition(world.lead, chain, "close", comment=REASON)
        db.session.rollback()
        with pytest.raises(ValidationFailed) as err:
            fire_transition(world.officer, chain, "close")
        db.session.rollback()
        assert "comment" in str(err.value.details).lower()
        entry = fire_transition(world.officer, chain, "close", comment=REASON)
        commit()
        assert (entry.from_state, entry.to_state, entry.comment) == (source, "closed", REASON)
        assert chain.label.valid  # closing is no revocation
        assert chain.state_info.holds_label and not chain.state_info.label_in_force
    assert (recognised.history[-2].trigger, with_support.history[-2].trigger) == (
        "grant_label", "activate_support",
    )  # fmt: skip


def test_a_closed_chain_earns_no_bonus_and_is_refused_for_a_new_application(
    make, world, measures, api
):
    call = measures.measure()
    chain = measures.value_chain()
    pending = measures.application(call, value_chain_id=chain.id, title="Applied before")
    drafted = measures.application(call, value_chain_id=chain.id, title="Drafted before")
    assert label_bonus_due(pending)
    measures.fire(chain, world.officer, "close", REASON)
    db.session.refresh(pending)
    assert not label_bonus_due(pending)
    # the application made before keeps its chain, scored without the bonus
    measures.fire(pending, world.lead, "submit")
    measures.fire(pending, world.officer, "admit")
    for r in measures.reviewers:
        make.review(pending, r, scores_for(80))
    measures.fire(pending, world.officer, "close_evaluation")
    assert (pending.base_score, pending.label_bonus_applied, pending.score) == (80, 0, 80)

    lead = api(world.lead)
    body = {"call_id": call.id, "title": "After the closure", "requested_amount": "200000",
            "value_chain_id": chain.id}  # fmt: skip
    refused = lead.post("/applications", json=body)
    assert refused.status_code == 422
    message = error_of(refused)["details"]["fields"]["value_chain_id"]
    today = dt.date.today().strftime("%d/%m/%Y")
    assert message == (
        f"{chain.title} was closed by the Region on {today}: a closed value chain cannot be the "
        "value chain of a new application to a support measure."
    )
    # naming it on another draft is refused too; sending back the one it already names is not
    other = measures.application(call, title="Another draft")
    assert (
        lead.patch(f"/applications/{other.id}", json={"value_chain_id": chain.id}).status_code
        == 422
    )
    kept = lead.patch(
        f"/applications/{drafted.id}", json={"value_chain_id": chain.id, "title": "Renamed"}
    )
    assert kept.status_code == 200, kept.get_json()
    assert kept.get_json()["value_chain_id"] == chain.id


def test_a_draft_naming_a_chain_closed_since_keeps_it_when_edited(make, world, measures, login):
    call = measures.measure()
    chain = measures.value_chain()
    draft = measures.application(call, value_chain_id=chain.id, title="Draft for the chain")
    client = login(world.lead)
    page = client.get(f"/applications/new?call_id={call.id}").get_data(as_text=True)
    assert f'value="{chain.id}"' in page  # offered while its label is in force
    measures.fire(chain, world.officer, "close", REASON)
    page = client.get(f"/applications/new?call_id={call.id}").get_data(as_text=True)
    assert f'value="{chain.id}"' not in page  # no longer offered to a new application
    edit = client.get(f"/applications/{draft.id}/edit").get_data(as_text=True)
    assert f'<option selected value="{chain.id}">' in edit  # the draft keeps showing its own


def test_the_registry_lists_a_closed_chain_as_closed(make, world, measures, api, client):
    open_chain = measures.value_chain(title="Living chain")
    closed = measures.value_chain(title="Closed chain")
    measures.fire(closed, world.officer, "close", REASON)
    rows = {r["title"]: r for r in api().get("/registry").get_json()["items"]}
    assert rows["Closed chain"]["closed"] is True
    assert rows["Closed chain"]["closure_reason"] == REASON
    assert rows["Closed chain"]["closed_at"].startswith(dt.date.today().isoformat()[:4])
    assert rows["Closed chain"]["revoked"] is False and rows["Closed chain"]["state"] == "closed"
    assert (rows["Living chain"]["closed"], rows["Living chain"]["closed_at"]) == (False, None)
    assert open_chain.id == rows["Living chain"]["application_id"]
    page = text_of(client.get("/registry"))
    assert f"Closed by the Region on {dt.date.today():%d/%m/%Y}: {REASON}" in page
    assert "2 recognised value chains" in page and "1 of the value chains was closed" in page
    export = client.get("/registry?format=csv").get_data(as_text=True)
    assert "Closed on" in export and REASON in export


def test_the_chain_page_shows_its_phase_two_and_why_close_is_or_is_not_available(
    make, world, measures, login
):
    chain = measures.value_chain()
    first = granted(make, measures, measures.measure(), chain)
    draft = make.application(world.call, world.lead, title="Still a draft")
    officer = login(world.officer)
    page = text_of(officer.get(f"/applications/{chain.id}"))
    assert "1 application, to 1 measure; 1 grant held." in page
    assert first.title in page and "EUR 300,000.00" in page
    assert "a finished project does not close it" in page
    assert "1 of its applications is still under way: closing the chain does not stop it." in page
    assert "Close the value chain" in page
    lead = login(world.lead)
    page = text_of(lead.get(f"/applications/{draft.id}"))
    assert (
        "Only a recognised value chain can be closed (“Quality label granted”, “Support active”); "
        "this one is “Draft”." in page
    )
    response = officer.post(
        f"/applications/{chain.id}/transitions",
        data={"trigger": "close", "comment": "", "confirm": "y", "version": chain.version},
    )
    assert response.status_code == 422  # the reason is required: the form says so
    measures.fire(chain, world.officer, "close", REASON)
    page = text_of(lead.get(f"/applications/{chain.id}"))
    assert f"Closed by the Region on {dt.date.today():%d/%m/%Y}: {REASON}" in page
    assert db.session.scalar(select(Application.state).where(Application.id == chain.id)) == (
        "closed"
    )


def test_a_closed_chain_in_italian(make, world, measures, login, client):
    chain = measures.value_chain(title="Filiera chiusa")
    measures.fire(chain, world.officer, "close", REASON)
    italian = {"Accept-Language": "it-IT,it;q=0.9"}
    page = text_of(client.get("/registry", headers=italian))
    assert f"Chiusa dalla Regione il {dt.date.today():%d/%m/%Y}: {REASON}" in page
    assert "1 delle filiere è stata chiusa dalla Regione." in page
    world.lead.language = "it"  # pages speak the person's own language (the API, English)
    commit()
    page = text_of(login(world.lead).get(f"/applications/{chain.id}"))
    assert "Chiusura della filiera" in page
    assert f"Chiusa dalla Regione il {dt.date.today():%d/%m/%Y}: {REASON}" in page
    assert "Chiusa" in page and "non ottiene premialità" in page


def test_the_dashboards_count_closed_and_active_chains(make, world, measures, login):
    from tracker.dashboards.counts import closed_chain_count, label_counts
    from tracker.dashboards.statistics import public_statistics
    from tracker.dashboards.tallies import differences

    active = measures.value_chain(title="Active chain")
    granted(make, measures, measures.measure(), active)
    closed = measures.value_chain(title="Closed from its label")
    measures.fire(closed, world.officer, "close", REASON)
    measures.value_chain(title="Still only recognised")
    assert differences() == []  # every tally moved with the transitions
    # closed chains stay recognised (label not revoked): counted among them, and apart
    assert label_counts() == (3, 0) and closed_chain_count() == 1
    with make.app.test_request_context():
        assert public_statistics().value_chains == 3
    page = text_of(login(world.officer).get(f"/dashboard?call_id={world.call.id}"))
    assert "Support active" in page and "Closed" in page
