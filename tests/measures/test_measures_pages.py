"""Phase 2 through the pages, as an officer and a lead partner do it: a measure opened with its
money rules, an application with its amount and value chain, refusals that say why, grants in
full and for less, the measure's budget, ranking and waitlist, the value chain's phase 2 and the
public registry; and what these pages cost in queries."""

from __future__ import annotations

import datetime as dt
import re

from measuretools import CRITERIA
from pagetools import counting_queries, text_of
from sqlalchemy import select

from tracker.applications.models import Application
from tracker.calls.models import Call
from tracker.extensions import db

TODAY = dt.date.today()


def call_form(**changes) -> dict:
    form = {
        "title": "Bando Filiere 2022",
        "workflow": "support_application",
        "opens_at": (TODAY - dt.timedelta(days=3)).isoformat(),
        "deadline": (TODAY + dt.timedelta(days=60)).isoformat(),
        "min_firms": "3",
        "min_reviews": "2",
        "score_threshold": "65",
        "act_reference": "DGR XI/6592/2022",
        "budget": "4000000",
        "max_grant": "400000",
        "min_smes": "2",
        "label_bonus": "10",
    }
    for i, c in enumerate(CRITERIA):
        form |= {
            f"criteria-{i}-key": c["key"],
            f"criteria-{i}-label": c["label"],
            f"criteria-{i}-max": str(c["max"]),
        }
    return form | changes


def grant_form(app, **data) -> dict:
    return {
        "trigger": "grant",
        "version": str(app.version),
        "confirm": "y",
        **{f"data-{k}": v for k, v in data.items()},
    }


def test_an_officer_opens_a_measure_with_its_money_rules(world, login):
    officer = login(world.officer)
    form = officer.get("/calls/new")
    assert "Budget (EUR)" in text_of(form) and "Bonus points for a quality label" in text_of(form)
    refused = officer.post("/calls/new", data=call_form(max_grant="5000000", budget="0"))
    assert refused.status_code == 422
    text = text_of(refused)
    assert "Budget must be a number of at least 0.01." in text
    # what they typed is kept, written as the page writes numbers (issue 14)
    assert 'value="5,000,000"' in refused.get_data(as_text=True)
    created = officer.post("/calls/new", data=call_form())
    assert created.status_code == 302
    call = db.session.scalar(select(Call).where(Call.title == "Bando Filiere 2022"))
    page = text_of(officer.get(f"/calls/{call.id}"))
    assert "Budget EUR 4,000,000.00" in page
    assert "Maximum grant EUR 400,000.00 per project" in page
    assert "at least 2 SMEs with a seat in Lombardy among the partners" in page
    assert "+10.00 points, added after the threshold" in page
    assert "10.00 points for a value chain holding a valid label when the evaluation closes" in page
    assert "Committed EUR 0.00 Left EUR 4,000,000.00" in page
    assert "No evaluation closed yet." in page and "Nobody is waitlisted." in page


def test_a_lead_applies_for_its_recognised_value_chain(world, measures, login):
    call = measures.measure()
    chain = measures.value_chain()
    draft_chain = measures.value_chain(label=False, title="Our draft chain")
    lead = login(world.lead)
    form = lead.get(f"/applications/new?call_id={call.id}")
    html = form.get_data(as_text=True)
    assert f'<option value="{chain.id}">Steel white-slag value chain ({chain.label.code})' in html
    assert f'value="{draft_chain.id}"' not in html  # only recognised value chains are offered
    assert "At most EUR 400,000.00 for this measure." in text_of(form)

    body = {"title": "Slag binders", "requested_amount": "450000", "value_chain_id": chain.id}
    refused = lead.post(f"/applications/new?call_id={call.id}", data=body)
    assert refused.status_code == 422
    assert "Requested EUR 450,000.00 is above the maximum grant of EUR 400,000.00." in text_of(
        refused
    )
    assert 'value="450,000"' in refused.get_data(as_text=True)  # as the page writes it

    created = lead.post(
        f"/applications/new?call_id={call.id}", data=body | {"requested_amount": "380000"}
    )
    assert created.status_code == 302
    app = db.session.scalar(select(Application).where(Application.title == "Slag binders"))
    page = text_of(lead.get(created.headers["Location"]))
    assert "Requested EUR 380,000.00 (at most EUR 400,000.00 for this measure)" in page
    assert "Value chain Steel white-slag value chain Quality label granted" in page
    assert "1 (2 required)" in page  # SMEs with a seat in Lombardy: the lead alone

    # the draft's amount is edited like the rest of it
    edit = lead.get(f"/applications/{app.id}/edit")
    assert 'value="380,000"' in edit.get_data(as_text=True)  # as the page writes it
    saved = lead.post(
        f"/applications/{app.id}/edit",
        data={"title": "Slag binders", "requested_amount": "360000", "value_chain_id": "",
              "version": str(app.version)},
    )  # fmt: skip
    assert saved.status_code == 302
    db.session.expire_all()
    assert (str(app.requested_amount), app.value_chain_id) == ("360000.00", None)

    # submitting names the unmet rule
    refused = lead.post(
        f"/applications/{app.id}/transitions",
        data={"trigger": "submit", "version": str(app.version), "confirm": "y"},
    )
    assert refused.status_code == 422
    assert "1 of the 3 required firms with a seat in Lombardy." in text_of(refused)
    assert "1 of the 2 required SMEs with a seat in Lombardy." in text_of(refused)


def test_the_officer_decides_within_the_budget(world, measures, login):
    call = measures.measure(budget="700000")
    chain = measures.value_chain()
    below = measures.scored(call, 61, value_chain_id=chain.id)
    first = measures.scored(call, 90, amount="400000", value_chain_id=chain.id)
    second = measures.scored(call, 80, amount="400000")
    officer = login(world.officer)

    # below the threshold before the bonus: the grant is not offered, and the page says why
    page = text_of(officer.get(f"/applications/{below.id}"))
    assert "61.00 + 10.00 bonus = 71.00" in page
    assert "Below the threshold of 65.00: the bonus does not count towards it" in page
    assert "Not yet: Score before the bonus 61.00 is below the threshold of 65.00" in page

    # a full grant; the value chain's page records the support it moved it to
    done = officer.post(f"/applications/{first.id}/transitions", data=grant_form(first))
    assert done.status_code == 302
    assert "The application is now “Granted”" in text_of(officer.get(done.headers["Location"]))
    chain_page = text_of(officer.get(f"/applications/{chain.id}"))
    assert "Phase 2: support measures EUR 400,000.00 granted" in chain_page
    assert "Support granted: Bando Filiere (test)" in chain_page

    # the budget is short: the page says so, a full grant is refused, a lower one goes through
    page = text_of(officer.get(f"/applications/{second.id}"))
    assert "EUR 300,000.00 left of EUR 700,000.00." in page
    assert "Not enough for the EUR 400,000.00 requested" in page
    refused = officer.post(f"/applications/{second.id}/transitions", data=grant_form(second))
    assert refused.status_code == 422
    assert "Remaining budget EUR 300,000.00 is less than EUR 400,000.00." in text_of(refused)
    db.session.expire_all()
    lower = officer.post(
        f"/applications/{second.id}/transitions",
        data=grant_form(second, granted_amount="300000"),
    )
    assert lower.status_code == 302
    page = text_of(officer.get(f"/applications/{second.id}"))
    assert "Granted EUR 300,000.00 (less than requested)" in page

    # the measure's page: a full bar, the ranking with its breakdown
    measure = officer.get(f"/calls/{call.id}")
    html, text = measure.get_data(as_text=True), text_of(measure)
    assert "Committed EUR 700,000.00 Left EUR 0.00 Budget EUR 700,000.00" in text
    assert "100% committed by 2 grants." in text
    assert 'style="width: 100%"' in html
    table = re.search(r'<table class="ranking">.*?</table>', html, re.S).group(0)
    ranks = re.findall(r'<tr(?: class="below-threshold")?>\s*<td class="num">([^<]*)</td>', table)
    assert ranks == ["1", "2", "—"]
    assert "below the threshold before the bonus" in text


def test_the_waitlist_is_granted_when_a_grant_is_withdrawn(world, measures, login):
    call = measures.measure(budget="400000")
    held = measures.scored(call, 90, amount="400000")
    waiting = measures.scored(call, 80, amount="250000")
    measures.fire(held, world.officer, "grant")
    measures.fire(waiting, world.officer, "waitlist")
    officer = login(world.officer)
    text = text_of(officer.get(f"/calls/{call.id}"))
    assert "Waitlist Above the threshold" in text
    assert "requested EUR 250,000.00 EUR 250,000.00 short" in text
    lead = login(world.lead)
    withdrawn = lead.post(
        f"/applications/{held.id}/transitions",
        data={"trigger": "withdraw", "version": str(held.version), "confirm": "y"},
    )
    assert withdrawn.status_code == 302
    text = text_of(officer.get(f"/calls/{call.id}"))
    assert "fits the budget left" in text and "Left EUR 400,000.00" in text
    db.session.expire_all()
    assert officer.post(
        f"/applications/{waiting.id}/transitions", data=grant_form(waiting)
    ).status_code == 302  # fmt: skip
    text = text_of(officer.get(f"/calls/{call.id}"))
    assert "Nobody is waitlisted." in text and "Committed EUR 250,000.00" in text


def test_the_public_sees_the_budget_and_the_registry_not_the_ranking(world, measures, client):
    call = measures.measure()
    chain = measures.value_chain()
    revoked = measures.value_chain(title="Lapsed chain")
    app = measures.scored(call, 80, value_chain_id=chain.id)
    measures.fire(app, world.officer, "grant", granted_amount="275000.50")
    measures.fire(revoked, world.officer, "revoke_label", "Six firms left after withdrawals.")
    page = text_of(client.get(f"/calls/{call.id}"))
    assert "Committed EUR 275,000.50" in page
    assert "Ranking" not in page and "Waitlist" not in page
    registry = client.get("/registry")
    text = text_of(registry)
    assert "Steel white-slag value chain" in text and "EUR 275,000.50" in text
    assert re.search(
        r"Revoked .*Lapsed chain.*Label revoked on \d\d/\d\d/\d{4}: Six firms left", text
    )
    assert "1 recognised value chain," in text  # the revoked one is listed, not counted


def _queries(client, url) -> int:
    db.session.expire_all()
    with counting_queries() as counter:
        assert client.get(url).status_code == 200
    return counter["n"]


def test_phase_two_pages_cost_a_fixed_number_of_queries(world, measures, login):
    call = measures.measure(budget="4000000")
    chain = measures.value_chain()
    apps = [measures.scored(call, 70 + i, value_chain_id=chain.id) for i in range(2)]
    officer = login(world.officer)
    officer.get("/")  # the first page of a process asks once whether the demo is loaded
    officer.get("/registry")  # its organisation figures are counted once per set of labels
    urls = [f"/calls/{call.id}", f"/applications/{apps[0].id}", f"/applications/{chain.id}",
            "/registry"]  # fmt: skip
    few = {url: _queries(officer, url) for url in urls}
    for i in range(4):
        more = measures.scored(call, 80 + i, value_chain_id=chain.id)
        measures.fire(more, world.officer, "grant")
    assert {url: _queries(officer, url) for url in urls} == few


def test_a_withdrawn_grant_is_shown_as_back_in_the_budget(world, measures, login):
    measure = measures.measure()
    kept = measures.scored(measure, title="Kept project")
    dropped = measures.scored(measure, title="Dropped project")
    for app in (kept, dropped):
        measures.fire(app, measures.officer, "grant")
    measures.fire(dropped, world.lead, "withdraw")
    page = text_of(login(world.officer).get(f"/calls/{measure.id}"))
    assert page.count("withdrawn: back in the budget") == 1
    kept_row = page.split("Kept project")[1].split("Dropped project")[0]
    assert "back in the budget" not in kept_row
