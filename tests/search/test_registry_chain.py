"""A recognised chain's public page and API answer: label, partners as they stand, provinces,
support granted, changes in force; 404 outside the registry."""

from __future__ import annotations

from pagetools import text_of
from sqlalchemy import event

from tracker.extensions import db


def test_public_page_and_api_show_the_chain_as_it_stands(app, cw):
    cw.ask(cw.joiner, "join", cw.joiner_org)  # asked, not in force: not shown
    code = cw.chain.label.code
    client = app.test_client()  # nobody logged in
    listing = client.get("/registry")
    assert f'/registry/{code}"' in listing.get_data(as_text=True)
    page = client.get(f"/registry/{code}")
    assert page.status_code == 200
    text = text_of(page)
    assert cw.chain.title in text and "D-1" in text and cw.w.lead_org.name in text
    assert "no change has come into force" in text
    answer = client.get(f"/api/v1/registry/{code}").get_json()
    assert answer["label_code"] == code and answer["decree_number"] == "D-1"
    assert [p["lead"] for p in answer["partners"]][0] is True
    assert answer["partners_count"] == len(answer["partners"]) == 3
    assert answer["changes_in_force"] == [] and answer["support"] == []
    assert answer["support_granted"] == "0.00"
    assert "Joining firm" not in text


def test_a_join_in_force_shows_on_the_public_page(app, cw):
    change = cw.ask(cw.joiner, "join", cw.joiner_org)
    cw.fire(change, cw.lead, "accept")
    cw.fire(change, cw.officer, "acknowledge")
    code = cw.chain.label.code
    client = app.test_client()
    answer = client.get(f"/api/v1/registry/{code}").get_json()
    assert answer["partners_count"] == 4 and "BG" in answer["provinces"]
    [in_force] = answer["changes_in_force"]
    assert in_force["kind"] == "join" and in_force["organisation_name"] == "Joining firm"
    text = text_of(client.get(f"/registry/{code}"))
    assert "Joining firm" in text and "4 partners" in text


def test_a_chain_not_in_the_registry_is_404(app, world, make):
    draft = make.application(world.call, world.lead)
    client = app.test_client()
    for path in (
        "/registry/FIL-2024-9999",
        f"/registry/FIL-2024-{draft.id:04d}",
        "/registry/x'%22",
    ):
        assert client.get(path).status_code == 404
        assert client.get("/api/v1" + path).status_code == 404
    assert client.get("/api/v1/registry/" + "X" * 31).status_code == 404


def test_the_page_reads_a_fixed_number_of_queries(app, cw, make):
    code = cw.chain.label.code
    client = app.test_client()
    statements = []

    def count(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT"):  # not the tests' savepoints
            statements.append(statement)

    def queries() -> int:
        statements.clear()
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert client.get(f"/api/v1/registry/{code}").status_code == 200
            assert client.get(f"/registry/{code}").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(statements)

    few = queries()
    for _ in range(3):
        change = cw.ask(cw.lead, "join", make.organisation())
        cw.fire(change, cw.officer, "acknowledge")
    assert queries() == few == 8
