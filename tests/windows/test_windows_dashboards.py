"""Breakdowns by thematic area count an application under each of its areas and say that their
rows overlap: on the page, in the CSV and through the API; the tallies kept by the app match a
recount from the base tables."""

from __future__ import annotations

import csv
import io

from apiclient import Api
from pagetools import text_of
from sqlalchemy import select

from tracker.dashboards import tallies
from tracker.dashboards.models import BreakdownTally
from tracker.extensions import db


def _submit(make, world, title, areas):
    app = make.application(
        world.call, world.lead, title=title, thematic_area=areas[0], thematic_areas=areas
    )
    make.fire(app, world.lead, "submit")
    return app


def test_an_application_counts_under_each_of_its_areas(make, world, login):
    _submit(make, world, "Two areas", ["sustainability", "innovation"])
    _submit(make, world, "One area", ["innovation"])
    api = Api(make.app, make.token(world.officer))
    figures = api.get(f"/dashboard?call_id={world.call.id}").get_json()
    rows = {r["key"]: r["total"] for r in figures["breakdowns"]["thematic_area"]}
    assert rows == {"innovation": 2, "sustainability": 1}  # 3 rows for 2 applications
    assert sum(rows.values()) > figures["total"] - figures["in_preparation"]
    assert figures["overlapping_breakdowns"] == ["thematic_area"]
    # the provinces do not overlap: one row per application
    assert sum(r["total"] for r in figures["breakdowns"]["province"]) == 2
    # what the app kept is what a recount finds
    assert tallies.differences() == []

    officer = login(world.officer)
    page = text_of(officer.get(f"/dashboard/calls/{world.call.id}"))
    assert "counts under each of them: the rows overlap" in page
    table = officer.get(f"/dashboard/calls/{world.call.id}?format=csv&table=thematic_area")
    header = next(csv.reader(io.StringIO(table.get_data(as_text=True).lstrip("\ufeff"))))
    assert header[1] == "Submitted (each under every area it names: the rows overlap)"
    # in Italian too
    italian = text_of(officer.get(f"/dashboard/calls/{world.call.id}",
                                  headers={"Accept-Language": "it-IT"}))  # fmt: skip
    assert "le righe si sovrappongono" in italian


def test_editing_the_areas_of_a_draft_moves_nothing_until_submitted(make, world):
    from tracker.applications.operations import update_application
    from tracker.database import commit

    app = make.application(
        world.call, world.lead, thematic_area="credit", thematic_areas=["credit"]
    )
    update_application(world.lead, app, {"thematic_areas": ["credit", "innovation"]})
    commit()
    make.fire(app, world.lead, "submit")
    assert tallies.differences() == []
    values = set(db.session.scalars(
        select(BreakdownTally.value).where(BreakdownTally.dimension == "thematic_area",
                                           BreakdownTally.n > 0)
    ))  # fmt: skip
    assert values == {"credit", "innovation"}


def test_the_list_filtered_by_an_area_finds_every_application_naming_it(make, world, login):
    make.application(
        world.call, world.lead, title="Zinc chain named second", thematic_area="credit",
        thematic_areas=["credit", "innovation"],
    )  # fmt: skip
    make.application(
        world.call, world.lead, title="Copper chain credit only", thematic_area="credit"
    )
    page = text_of(login(world.lead).get("/applications?thematic_area=innovation"))
    # named second, found all the same (as the breakdown by area counts it)
    assert "Zinc chain named second" in page and "Copper chain credit only" not in page
