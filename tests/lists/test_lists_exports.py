"""Downloads of the applications list: CSV parsed back, XLSX opened with openpyxl, the filters and
the order of the page applied, translated headers, money and dates in each format's terms."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

from listtools import counted_queries
from openpyxl import load_workbook

from tracker.extensions import db

HEADER = [
    "Id", "Title", "Call", "Lead partner", "Lead partner's province", "Thematic area", "State",
    "State code", "Phase", "Score", "Requested amount", "Granted amount", "Submitted",
    "Last change", "Eligible spend", "CUP code", "Thematic areas", "Sector (ATECO 2025 section)",
    "Call window", "Act of the window",
]  # fmt: skip


def read_csv(response) -> list[list[str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_csv_has_the_filtered_rows_in_the_pages_order(spread, world, login):
    officer = login(world.officer)
    response = officer.get("/applications?thematic_area=innovation&sort=title&format=csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="applications-') and ".csv" in disposition
    header, *rows = read_csv(response)
    assert header == HEADER
    assert [r[1] for r in rows] == ["Foundry value chain", "Late chain", "Silk value chain"]
    foundry = dict(zip(header, rows[0], strict=True))
    assert foundry["Lead partner"] == "Duferco Travi e Profilati"
    assert foundry["Lead partner's province"] == "BS"
    assert foundry["State"] == "Under evaluation" and foundry["State code"] == "under_evaluation"
    assert foundry["Phase"] == "1" and foundry["Score"] == ""
    assert foundry["Thematic areas"] == "innovation" and foundry["Call window"] == "1"
    # dates and times in ISO 8601
    assert dt.datetime.fromisoformat(foundry["Submitted"]).tzinfo is not None
    granted = read_csv(officer.get("/applications?state=label_granted&format=csv"))[1:]
    assert {r[9] for r in granted} == {"100.00"}  # scores as decimal strings


def test_xlsx_has_the_same_rows_with_numbers_as_numbers(spread, world, login):
    officer = login(world.officer)
    response = officer.get("/applications?province=CO&sort=oldest&format=xlsx")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert header == HEADER
    assert [r[1] for r in rows] == ["Silk value chain", "Natural dyes chain", "Late chain"]
    dyes = dict(zip(header, rows[1], strict=True))
    assert isinstance(dyes["Id"], int)
    assert isinstance(dyes["Score"], (int, float, Decimal)) and dyes["Score"] == 100
    assert isinstance(dyes["Submitted"], dt.datetime)
    assert dyes["State"] == "Quality label granted"


def test_an_export_shows_only_what_the_person_may_see(spread, world, login):
    lead_rows = read_csv(login(world.lead).get("/applications?format=csv"))[1:]
    assert {r[1] for r in lead_rows} == {
        "Steel slag value chain", "Brescia draft chain", "Foundry value chain",
    }  # fmt: skip
    officer_rows = read_csv(login(world.officer).get("/applications?format=csv"))[1:]
    assert "Brescia draft chain" not in {r[1] for r in officer_rows}
    assert len(officer_rows) == 5


def test_headers_follow_the_language(spread, world, login, app):
    client = login(world.officer)
    response = client.get("/applications?format=csv", headers={"Accept-Language": "it"})
    header = read_csv(response)[0]
    # translated where the catalogue has it; the columns stay the same
    assert len(header) == len(HEADER)


def test_an_export_costs_the_same_queries_whatever_its_length(make, world, login):
    client = login(world.lead)
    for i in range(3):
        make.application(world.call, world.lead, complete=False, title=f"Draft {i}")
    db.session.expire_all()
    with counted_queries() as few:
        rows = read_csv(client.get("/applications?format=csv"))
    assert len(rows) == 4
    for i in range(30):
        make.application(world.call, world.lead, complete=False, title=f"More {i}")
    db.session.expire_all()
    with counted_queries() as many:
        rows = read_csv(client.get("/applications?format=csv"))
    assert len(rows) == 34
    assert few["n"] == many["n"]


def test_the_download_links_are_on_the_list_only_when_there_are_rows(world, login):
    client = login(world.officer)
    assert "format=csv" not in client.get("/applications").get_data(as_text=True)
