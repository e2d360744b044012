"""What users type reaches officers' spreadsheets as text, never as a formula: every CSV and XLSX
download neutralises a cell that starts like a formula, and a control character stored before the
text rule existed cannot break a download."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from tracker.exports import FORMULA_STARTS, csv_value, safe_text

FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+1", "-2+3", "@SUM(A1:A2)",
            "\t=1+1", "\r=1+1"]  # fmt: skip


@pytest.mark.parametrize("text", FORMULAS)
def test_a_text_that_starts_like_a_formula_is_written_as_text(text):
    assert text.startswith(FORMULA_STARTS)
    assert safe_text(text) == "'" + text
    assert csv_value(text) == "'" + text
    assert safe_text("Acciaierie di Calvisano") == "Acciaierie di Calvisano"
    assert safe_text("a=b") == "a=b"  # only the start of a cell makes a formula


def test_numbers_stay_numbers():
    from decimal import Decimal

    assert csv_value(Decimal("-12.50")) == "-12.50"
    assert csv_value(-3) == "-3"


def organisations_download(client, fmt: str):
    response = client.get(f"/organisations?format={fmt}")
    assert response.status_code == 200, response.status_code
    return response


#: what a name can start with once the operations have stripped it (a leading tab or CR goes)
TYPED = FORMULAS[:4]


def test_organisation_names_reach_csv_and_xlsx_as_text(make, world, login):
    for name in TYPED:
        make.organisation(name, province="MI")
    client = login(world.lead)

    response = organisations_download(client, "csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"  # named once
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    names = {r[0] for r in rows[1:]}
    for name in TYPED:
        assert "'" + name in names and name not in names

    sheet = load_workbook(io.BytesIO(organisations_download(client, "xlsx").get_data())).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert all(c.data_type != "f" for c in cells)  # no cell is a live formula
    values = {c.value for c in cells}
    for name in TYPED:
        assert "'" + name in values


def test_titles_partner_roles_and_proposals_are_neutralised_too(make, world, login):
    from tracker.communities.operations import create_community, create_proposal
    from tracker.database import commit

    application = make.application(world.call, world.lead, title="=cmd|' /C calc'!A0")
    coordinator = make.user("coordinator")
    community = create_community(coordinator, {"name": "@Polymers"})
    commit()
    create_proposal(coordinator, community, {"title": "-2+3 roadmap", "summary": "Priorities."})
    commit()

    lead = login(world.lead)
    text = lead.get("/applications?format=csv").get_data(as_text=True)
    assert "'=cmd|" in text and ",=cmd" not in text and "\n=cmd" not in text
    assert application.title.startswith("=")  # the record keeps what was typed

    page = login(coordinator)
    text = page.get("/proposals?format=csv").get_data(as_text=True)
    assert "'-2+3 roadmap" in text and "'@Polymers" in text
    sheet = load_workbook(io.BytesIO(page.get("/proposals?format=xlsx").get_data())).active
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_a_control_character_stored_earlier_does_not_break_the_download(make, world, login):
    """Before the text rule, an organisation named with U+0001 made the organisations' XLSX
    download answer 500 for everyone (XML cannot hold it)."""
    from tracker.extensions import db
    from tracker.organisations.models import Organisation

    org = make.organisation("Fonderia Uno")
    db.session.execute(
        update(Organisation).where(Organisation.id == org.id).values(name="Fonderia\x01 Uno")
    )
    db.session.commit()
    client = login(world.lead)
    sheet = load_workbook(io.BytesIO(organisations_download(client, "xlsx").get_data())).active
    assert "Fonderia\ufffd Uno" in {row[0].value for row in sheet.iter_rows(min_row=2)}
    assert "Fonderia\ufffd Uno" in organisations_download(client, "csv").get_data(as_text=True)
