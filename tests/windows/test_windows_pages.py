"""Windows on the pages: the call's page lists its windows with their acts, criteria, threshold
and areas, and the acts of its extensions; an officer opens a new window (errors keep what was
typed); the application form offers the window's areas as checkboxes and the ATECO 2025 sections;
the application's page says which window it is evaluated under; the applications download says
it too."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

from pagetools import text_of

from tracker.applications.models import Application
from tracker.extensions import db

TODAY = dt.date.today()


def days(n: int) -> str:
    return (TODAY + dt.timedelta(days=n)).isoformat()


def test_an_officer_records_an_extension_with_its_act_and_a_new_window(world, login):
    officer = login(world.officer)
    r = officer.post(f"/calls/{world.call.id}/deadline",
                     data={"deadline": days(400), "reason": "More time",
                           "act_number": "DGR 1586/2023", "act_date": "2023-12-18"})  # fmt: skip
    assert r.status_code == 302
    page = text_of(officer.get(f"/calls/{world.call.id}"))
    assert "DGR 1586/2023 of 18/12/2023" in page
    assert "Window 1:" in page and "Current" in page

    form = officer.get(f"/calls/{world.call.id}/windows/new")
    assert form.status_code == 200
    # DGR 5899/2022's areas come checked, as the last window has them
    assert re.search(
        r'<input checked[^>]*name="thematic_areas"[^>]*value="credit"', form.get_data(as_text=True)
    )
    data = {
        "act_number": "DGR 5377/2025", "act_date": "2025-11-24", "opens_at": days(10),
        "deadline": days(800), "score_threshold": "50", "thematic_areas": ["reshoring", "green_digital"],
        "criteria-0-key": "transition", "criteria-0-label": "Green and digital transition",
        "criteria-0-max": "100", "criteria_illustrative": "y",
    }  # fmt: skip
    bad = officer.post(f"/calls/{world.call.id}/windows/new", data=data)
    assert bad.status_code == 422  # it opens before the first window closes
    html = bad.get_data(as_text=True)
    assert "A new window opens after the last one closes" in text_of(bad)
    assert 'value="DGR 5377/2025"' in html and 'value="Green and digital transition"' in html
    assert re.search(r'<input checked[^>]*name="thematic_areas"[^>]*value="reshoring"', html)
    ok = officer.post(f"/calls/{world.call.id}/windows/new", data=data | {"opens_at": days(401)})
    assert ok.status_code == 302
    page = text_of(officer.get(f"/calls/{world.call.id}"))
    assert "Window 2:" in page and "Upcoming" in page and "DGR 5377/2025 of 24/11/2025" in page
    assert "Reshoring" in page and "Green and digital transition" in page
    # in Italian, in the acts' words
    italian = text_of(officer.get(f"/calls/{world.call.id}", headers={"Accept-Language": "it-IT"}))
    assert "Finestra 2:" in italian and "Transizione green e digitale" in italian
    # only officers
    assert login(world.lead).get(f"/calls/{world.call.id}/windows/new").status_code == 403


def test_the_application_form_offers_the_windows_areas_and_the_sectors(world, login):
    lead = login(world.lead)
    html = lead.get(f"/applications/new?call_id={world.call.id}").get_data(as_text=True)
    offered = re.findall(r'name="thematic_areas"[^>]*value="([a-z_]+)"', html)
    assert offered == [
        "sustainability",
        "innovation",
        "human_capital",
        "internationalisation",
        "credit",
    ]
    assert '<option value="K">K · Telecommunication, computer programming' in html
    r = lead.post(f"/applications/new?call_id={world.call.id}", data={
        "title": "Two areas", "thematic_areas": ["innovation", "credit"], "ateco_section": "C",
    })  # fmt: skip
    assert r.status_code == 302
    app = db.session.scalars(db.select(Application)).one()
    assert (app.thematic_areas, app.thematic_area, app.ateco_section) == (
        ["innovation", "credit"], "innovation", "C",
    )  # fmt: skip
    page = text_of(lead.get(f"/applications/{app.id}"))
    assert "Innovation, technology transfer, digitalisation, research and IP (main)" in page
    assert "C · Manufacturing" in page
    assert "Call window Window 1" in page and "a draft is under it until submitted" in page
    # the edit form shows them checked
    edit = lead.get(f"/applications/{app.id}/edit").get_data(as_text=True)
    assert re.search(r'<input checked[^>]*name="thematic_areas"[^>]*value="credit"', edit)
    assert '<option selected value="C">' in edit


def test_the_applications_download_says_the_window_and_the_areas(make, world, login):
    app = make.application(world.call, world.lead, thematic_area="credit",
                           thematic_areas=["credit", "innovation"], ateco_section="F")  # fmt: skip
    make.fire(app, world.lead, "submit")
    rows = list(csv.DictReader(io.StringIO(
        login(world.officer).get("/applications?format=csv").get_data(as_text=True).lstrip("\ufeff")
    )))  # fmt: skip
    (row,) = rows
    assert row["Thematic areas"] == "credit ; innovation"
    assert row["Sector (ATECO 2025 section)"] == "F"
    assert row["Call window"] == "1"


def test_a_new_call_names_the_areas_of_its_first_window(world, login):
    from tracker.calls.models import Call

    officer = login(world.officer)
    form = officer.get("/calls/new").get_data(as_text=True)
    checked = re.findall(r'<input checked[^>]*name="thematic_areas"[^>]*value="([a-z_]+)"', form)
    assert checked == [
        "sustainability",
        "innovation",
        "human_capital",
        "internationalisation",
        "credit",
    ]
    r = officer.post("/calls/new", data={
        "title": "New chains", "workflow": "value_chain", "opens_at": days(-1), "deadline": days(300),
        "min_firms": "10", "min_reviews": "1", "score_threshold": "60", "integration_reply_days": "30",
        "thematic_areas": ["reshoring", "green_digital"],
        "criteria-0-key": "impact", "criteria-0-label": "Impact", "criteria-0-max": "100",
    })  # fmt: skip
    assert r.status_code == 302, text_of(r)
    call = db.session.scalars(db.select(Call).where(Call.title == "New chains")).one()
    assert call.current_window.thematic_areas == ["reshoring", "green_digital"]
