"""The dashboard pages and the API: who sees which, what they show, their downloads, and a
number of queries that does not grow with the applications."""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook
from pagetools import counting_queries

from tracker.extensions import db
from tracker.reports.queries import KEPT


def api_headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def text_of(response) -> str:
    from html import unescape

    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


@pytest.fixture
def login(app):
    def _login(user):
        client = app.test_client()
        response = client.post("/login", data={"email": user.email, "password": "secret-pass"})
        assert response.status_code == 302
        return client

    return _login


def _queries_for(client, url) -> int:
    db.session.expire_all()
    with counting_queries() as counter:
        response = client.get(url)
        assert response.status_code == 200, url
    return counter["n"]


def submitted(dw, n, **fields):
    for _ in range(n):
        app = dw.draft(**fields)
        dw.walk(app, [("submit", 0)])


# --- who sees what ---------------------------------------------------------------------------


def test_who_reaches_which_dashboard(dw, make, login, client):
    other = make.call(dw.officer, title="Another call")
    assert client.get("/dashboard").status_code == 302  # to the login page
    assert "/login" in client.get("/dashboard").headers["Location"]
    officer, reviewer = login(dw.officer), login(dw.reviewers[0])
    assert officer.get("/dashboard").status_code == 200
    assert officer.get(f"/dashboard/calls/{other.id}").status_code == 200
    assert reviewer.get(f"/dashboard/calls/{dw.call.id}").status_code == 200
    assert reviewer.get(f"/dashboard/calls/{other.id}").status_code == 403
    assert officer.get("/dashboard/calls/999999").status_code == 404
    assert reviewer.get("/dashboard/committee").status_code == 200
    assert officer.get("/dashboard/committee").status_code == 403
    lead = login(dw.lead)
    assert lead.get("/dashboard").headers["Location"].endswith("/dashboard/applicant")
    assert lead.get(f"/dashboard/calls/{dw.call.id}").status_code == 403
    assert lead.get("/dashboard/applicant").status_code == 200
    assert reviewer.get("/dashboard/applicant").status_code == 403
    board = login(make.user("board"))
    # the AFIL board's dashboard is the proposals' one, with what waits for the board (issue 14)
    assert board.get("/dashboard").headers["Location"].endswith("/dashboard/communities")
    assert board.get("/dashboard/communities").status_code == 200  # "you belong to none"


def test_the_api_answers_the_pages_figures_to_whom_the_page_would(dw, make, app):
    other = make.call(dw.officer, title="Another call")
    submitted(dw, 2)
    api = app.test_client()

    def get(user, url):
        return api.get(f"/api/v1{url}", headers=api_headers(make.token(user)))

    body = get(dw.officer, f"/dashboard?call_id={dw.call.id}").get_json()
    assert body["by_state"]["submitted"] == 2 and body["total"] == 2
    assert body["call_id"] == dw.call.id and body["in_preparation"] == 0
    [flow] = body["workflows"]
    submitted_state = next(s for s in flow["states"] if s["state"] == "submitted")
    assert submitted_state["service_days"] == 30 and submitted_state["overdue"] == 0
    draft_state = next(s for s in flow["states"] if s["state"] == "draft")
    assert draft_state["stays"] == 2
    assert body["breakdowns"]["province"] == [
        {"key": "BS", "label": "Brescia", "total": 2, "in_progress": 2, "positive": 0}
    ]
    assert get(dw.reviewers[0], f"/dashboard?call_id={other.id}").status_code == 403
    assert get(dw.reviewers[0], "/dashboard").get_json()["total"] == 2
    assert get(dw.lead, "/dashboard").status_code == 403


# --- what the pages say ----------------------------------------------------------------------


def test_the_officer_page_shows_funnel_durations_overdue_and_breakdowns(dw, login, days_ago):
    app = dw.draft(at=days_ago(25))
    dw.walk(app, [("submit", 24)])
    from tracker.dashboards.service_times import set_service_times
    from tracker.database import commit

    set_service_times(dw.officer, dw.call, {"submitted": "20"})
    commit()
    page = login(dw.officer).get(f"/dashboard/calls/{dw.call.id}")
    html, text = page.get_data(as_text=True), text_of(page)
    assert "Applications submitted 1" in text
    assert "Overdue 1" in text
    assert "Steel value chain" in text and "Duferco Travi e Profilati" in text
    assert f'href="/applications/{app.id}"' in html
    assert html.count('role="img"') >= 3 and "<title" in html
    assert "<script" not in html.split("<main", 1)[1]
    assert "Brescia" in text and "Sustainability and circularity" in text
    assert 'name="submitted" type="number"' in html and 'value="20"' in html


def test_a_committee_member_sees_what_waits_and_what_they_reviewed(dw, login):
    waiting = dw.draft(title="To admit, please")
    dw.walk(waiting, [("submit", 0)])
    to_review = dw.draft(title="Under evaluation")
    dw.walk(to_review, [("submit", 0), ("admit", 0)])
    done = dw.draft(title="Already closed")
    dw.walk(done, [("submit", 0), ("admit", 0), ("close_evaluation", 0)])
    text = text_of(login(dw.reviewers[0]).get("/dashboard/committee"))
    admit = text.split("To admit", 1)[1].split("To review", 1)[0]
    review = text.split("To review", 1)[1].split("To close", 1)[0]
    assert "To admit, please" in admit and "Under evaluation" not in admit
    assert "Under evaluation" in review
    reviewed = text.split("What you reviewed", 1)[1]
    assert "Already closed" in reviewed and "100" in reviewed


def test_an_applicant_sees_their_partnerships_with_the_next_step(dw, login):
    dw.draft(title="Ready to go")
    text = text_of(login(dw.lead).get("/dashboard/applicant"))
    assert "Ready to go" in text and "Your move" in text and "you lead" in text


def test_community_members_see_their_proposals_by_state(cw, login):
    cw.drive(cw.proposal("Roadmap"), "board_review")
    cw.proposal("An idea")
    cw.proposal("Elsewhere", community=cw.other)
    text = text_of(login(cw.member).get("/dashboard/communities"))
    assert "De- and Remanufacturing" in text and "Advanced Polymers" not in text
    assert "2 proposals" in text
    assert re.search(r"Idea 1 .*Board review 1", text)


def test_public_statistics(dw, client, make):
    app = dw.draft()
    dw.walk(app, [("submit", 0), ("admit", 0), ("close_evaluation", 0), ("grant_label", 0)])
    dw.draft()  # a draft: neither a value chain nor its organisations count
    text = text_of(client.get("/statistics"))
    # the lead (Brescia) and its two partners (Milano) of the one recognised value chain
    assert "1 recognised value chains, 3 organisations, 2 of the 12 Lombard provinces" in text
    rows = list(csv.reader(io.StringIO(client.get("/statistics?format=csv&table=provinces")
                                       .get_data(as_text=True).lstrip("\ufeff"))))  # fmt: skip
    assert rows[0] == ["Province", "Organisations in recognised value chains"]
    assert ["Brescia", "1"] in rows and ["Milano", "2"] in rows and len(rows) == 13


# --- downloads -------------------------------------------------------------------------------


def test_every_officer_table_downloads_as_csv_and_xlsx(dw, login):
    submitted(dw, 2)
    officer = login(dw.officer)
    url = f"/dashboard/calls/{dw.call.id}"
    for table in ("states", "overdue", "measures", "province", "thematic_area", "s3_ecosystem"):
        response = officer.get(f"{url}?format=csv&table={table}")
        assert response.status_code == 200 and response.mimetype == "text/csv"
        assert response.get_data(as_text=True).count("\n") >= 1  # the header at least
    rows = list(csv.reader(io.StringIO(
        officer.get(f"{url}?format=csv&table=states").get_data(as_text=True).lstrip("\ufeff")
    )))  # fmt: skip
    assert rows[0][:4] == ["Workflow", "State", "Phase", "Applications"]
    assert any(r[1] == "Submitted" and r[3] == "2" for r in rows)
    response = officer.get(f"{url}?format=xlsx&table=province")
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert [c.value for c in sheet[2]][:2] == ["Brescia", 2]
    assert officer.get(f"{url}?format=csv&table=nope").status_code == 400
    assert officer.get(f"{url}?format=pdf&table=states").status_code == 400


def test_committee_and_applicant_tables_download(dw, login):
    submitted(dw, 1)
    rows = login(dw.reviewers[0]).get("/dashboard/committee?format=csv&table=waiting")
    assert "Steel value chain" in rows.get_data(as_text=True)
    mine = login(dw.lead).get("/dashboard/applicant?format=xlsx&table=applications")
    sheet = load_workbook(io.BytesIO(mine.data)).active
    assert sheet["A2"].value == "Steel value chain"


# --- queries ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/dashboard", "/dashboard/calls/{call}", "/api/v1/dashboard?call_id={call}"]
)
def test_the_officer_dashboard_costs_the_same_queries_at_5_and_50_applications(
    dw, login, app, make, url
):
    url = url.format(call=dw.call.id)
    submitted(dw, 5)
    if url.startswith("/api"):
        client, headers = app.test_client(), api_headers(make.token(dw.officer))
    else:
        client, headers = login(dw.officer), {}
    client.get(url, headers=headers)  # the first request of a process asks once for the demo

    def count() -> int:
        db.session.expire_all()
        app.extensions.pop(KEPT, None)  # the overdue reports counted afresh
        with counting_queries() as counter:
            assert client.get(url, headers=headers).status_code == 200
        return counter["n"]

    few = count()
    submitted(dw, 45, thematic_area="innovation")
    assert count() == few
    # session, user, roles, calls, service times, 3 tallies, overdue, replies overdue (issue 14),
    # breakdowns, oldest waiting, partnership changes and chains below the minimum (issue 13),
    # the header's count of unread notices (issue 14), monitoring reports by kind and state, the
    # chains and projects reporting, the reports filed (issue 13: three queries, whatever the
    # number of reports), what identifies their inputs (issue 16: kept until it changes)
    assert few <= 18


def test_the_other_dashboards_cost_a_fixed_number_of_queries(dw, login, cw):
    reviewer, lead = login(dw.reviewers[0]), login(dw.lead)
    submitted(dw, 2)
    reviewer.get("/dashboard/committee")
    few = (
        _queries_for(reviewer, "/dashboard/committee"),
        _queries_for(lead, "/dashboard/applicant"),
    )
    submitted(dw, 6)
    assert (
        _queries_for(reviewer, "/dashboard/committee"), _queries_for(lead, "/dashboard/applicant")
    ) == few  # fmt: skip


# --- service times ---------------------------------------------------------------------------


def test_an_officer_sets_service_times_on_the_call_dashboard(dw, login):
    officer = login(dw.officer)
    url = f"/dashboard/calls/{dw.call.id}/service-times"
    saved = officer.post(url, data={"submitted": "12", "under_evaluation": ""})
    assert saved.status_code == 302 and saved.headers["Location"].endswith("#service-times")
    page = officer.get(f"/dashboard/calls/{dw.call.id}").get_data(as_text=True)
    assert (
        'name="submitted" type="number" min="1" max="3650" inputmode="numeric" value="12"' in page
    )
    assert (
        'name="under_evaluation" type="number" min="1" max="3650" inputmode="numeric" value="60"'
        in page
    )

    refused = officer.post(url, data={"submitted": "twelve", "evaluated": "0"})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert 'value="twelve"' in html and 'aria-invalid="true"' in html
    assert "whole number of days from 1 to 3650" in text_of(refused)
    assert (
        officer.get(f"/dashboard/calls/{dw.call.id}").get_data(as_text=True).count('value="12"')
        == 1
    )

    reviewer = login(dw.reviewers[0])
    assert reviewer.post(url, data={"submitted": "5"}).status_code == 403
    assert 'name="submitted"' not in reviewer.get(f"/dashboard/calls/{dw.call.id}").get_data(
        as_text=True
    )
