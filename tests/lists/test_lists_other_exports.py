"""Downloads of the other lists: the public registry, organisations (with the search), calls,
community proposals (with their filters) and a measure's ranking; the list pages link them."""

from __future__ import annotations

import csv
import io

from listtools import links
from openpyxl import load_workbook


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_registry_downloads_every_label_for_anyone(spread, client):
    header, *rows = read_csv(client.get("/registry?format=csv&page=3"))  # paging ignored
    assert header[:3] == ["Label", "Value chain", "Lead partner"]
    assert sorted(r[1] for r in rows) == ["Natural dyes chain", "Steel slag value chain"]
    steel = dict(
        zip(header, next(r for r in rows if r[1] == "Steel slag value chain"), strict=True)
    )
    assert steel["Decree number"] == "18573" and steel["Decree date"] == "2023-03-15"
    assert steel["Label status"] == "Valid" and steel["Support received, EUR"] == "0.00"
    assert int(steel["Partners"]) >= 3
    sheet = load_workbook(io.BytesIO(client.get("/registry?format=xlsx").get_data())).active
    assert sheet.max_row == 3
    page = client.get("/registry")
    assert "/registry?format=csv" in links(page) and "/registry?format=xlsx" in links(page)


def test_organisations_download_with_the_search(make, world, login):
    make.organisation("Acciaieria Uno", province="BS")
    make.organisation("Acciaieria Due", province="BG")
    client = login(world.lead)
    header, *rows = read_csv(client.get("/organisations?q=acciai&format=csv"))
    assert header[:2] == ["Name", "VAT number"]
    assert [r[0] for r in rows] == ["Acciaieria Due", "Acciaieria Uno"]
    assert rows[0][4] == "BG" and rows[0][2] == "Firm"
    assert "/organisations?q=acciai&format=csv" in links(client.get("/organisations?q=acciai"))


def test_calls_download(world, client):
    header, *rows = read_csv(client.get("/calls?format=csv"))
    assert "Deadline" in header
    assert [r[1] for r in rows] == ["Value-chain EOI"]
    assert rows[0][header.index("Status")] == "Open"
    assert rows[0][header.index("Deadline")] == world.call.deadline.isoformat()


def test_proposal_download_keeps_the_filters_and_the_visibility(make, login, client):
    from tracker.communities.operations import create_community, create_proposal
    from tracker.database import commit

    coordinator = make.user("coordinator")
    community = create_community(coordinator, {"name": "Advanced Polymers"})
    other = create_community(make.user("coordinator"), {"name": "Hidden community"})
    commit()
    for title in ("Recycled polymers roadmap", "Bio-based plastics pilot"):
        create_proposal(coordinator, community, {"title": title, "summary": "Priorities."})
    create_proposal(other.members[0].user, other, {"title": "Not for you", "summary": "No."})
    commit()
    page = login(coordinator)
    header, *rows = read_csv(page.get("/proposals?format=csv&q=roadmap"))
    assert header[:3] == ["Id", "Proposal", "Community"]
    assert [r[1] for r in rows] == ["Recycled polymers roadmap"]
    assert rows[0][2] == "Advanced Polymers"
    everything = read_csv(page.get("/proposals?format=csv"))[1:]
    assert sorted(r[1] for r in everything) == [
        "Bio-based plastics pilot", "Recycled polymers roadmap",
    ]  # fmt: skip
    assert client.get("/proposals?format=csv").status_code == 302  # log in first


def test_bad_formats_are_refused_on_every_list(world, login, client):
    assert client.get("/registry?format=pdf").status_code == 400
    assert client.get("/calls?format=doc").status_code == 400
    officer = login(world.officer)
    assert officer.get("/organisations?format=json").status_code == 400
    assert officer.get(f"/calls/{world.call.id}?format=csv").status_code == 404  # no ranking


def test_registry_figures_follow_each_grant_and_revocation(spread, world, make, client):
    import re

    from listtools import visible_text

    def figures() -> tuple[int, int]:
        text = visible_text(client.get("/registry"))
        found = re.search(r"(\d+) recognised value chains?, with (\d+) organisations?", text)
        return int(found.group(1)), int(found.group(2))

    chains, organisations = figures()
    assert chains == 2
    late = spread.apps["late"]
    for r in world.reviewers:
        make.review(late, r)
    make.fire(late, world.officer, "close_evaluation")
    make.fire(late, world.officer, "grant_label", decree_number="9", decree_date="2024-01-10")
    partners = len(late.partners)  # the Como lead is counted already, its partners are new
    assert figures() == (3, organisations + partners - 1)
    make.fire(spread.apps["late"], world.officer, "revoke_label", comment="Firms left.")
    assert figures() == (2, organisations)


def test_organisations_filter_by_province_and_kind(make, world, login):
    make.organisation("Acciaieria Uno", province="BS")
    make.organisation("Politecnico di Milano", kind="university", province="MI")
    make.organisation("Acciaieria Due", province="BG")
    client = login(world.lead)
    from listtools import visible_text

    by_province = visible_text(client.get("/organisations?province=bg"))
    assert "Acciaieria Due" in by_province and "Acciaieria Uno" not in by_province
    universities = client.get("/organisations?kind=university&q=milano")
    assert "Politecnico di Milano" in visible_text(universities)
    assert "Acciaieria" not in visible_text(universities)
    rows = read_csv(client.get("/organisations?province=BS&kind=firm&format=csv"))[1:]
    assert [r[0] for r in rows] == ["Acciaieria Uno", "Duferco Travi e Profilati"]
    assert "No organisation matches these filters." in visible_text(
        client.get("/organisations?province=SO")
    )
    assert client.get("/organisations?kind=dragon").status_code == 400
    assert client.get("/organisations?province=Milano").status_code == 400


def test_organisations_download_says_whose_declared_data_were_verified(make, world, login):
    make.organisation("Verificata Srl")
    make.organisation("Dichiarata Srl", verified=False)
    client = login(world.lead)
    header, *rows = read_csv(client.get("/organisations?format=csv"))
    by_name = {r[0]: dict(zip(header, r, strict=True)) for r in rows}
    assert by_name["Dichiarata Srl"]["Declared data"] == "Awaiting verification"
    assert by_name["Dichiarata Srl"]["Verified on"] == ""
    assert by_name["Verificata Srl"]["Declared data"] == "Verified"
    assert by_name["Verificata Srl"]["Verified on"][:4].isdigit()  # an ISO 8601 time
