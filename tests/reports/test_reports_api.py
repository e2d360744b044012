"""The reports API: file, change, move, read, the schedule and the figures; the final report
that lets the Region complete a project; the refusals with their error shapes."""

from __future__ import annotations

import pytest
from apiclient import error_of, unmet_conditions
from reportworld import INDICATORS


def fire(client, rid, trigger, **body):
    return client.post(f"/reports/{rid}/transitions", json={"trigger": trigger, **body})


@pytest.fixture
def people(rw, api):
    return {who: api(getattr(rw, who)) for who in ("lead", "partner", "officer", "stranger")}


def test_a_periodic_report_through_the_api(rw, people):
    lead, officer = people["lead"], people["officer"]
    chain = rw.chain.id
    schedule = lead.get(f"/applications/{chain}/reports/schedule").get_json()
    assert schedule["kinds"] == ["periodic"] and schedule["report_interval_months"] == 12
    first = schedule["reports"][0]
    assert (first["period"], first["due_on"], first["overdue"], first["report_id"]) == (
        1, "2023-11-10", True, None,
    )  # fmt: skip
    assert people["partner"].post(f"/applications/{chain}/reports",
                                  json={"kind": "periodic"}).status_code == 403  # fmt: skip
    r = lead.post(f"/applications/{chain}/reports", json={"kind": "periodic", "partners": 3})
    assert r.status_code == 201, r.get_json()
    report = r.get_json()
    assert (report["state"], report["period"], report["due_on"], report["partners"]) == (
        "draft", 1, "2023-11-10", 3,
    )  # fmt: skip
    rid = report["id"]
    # officers see a report once submitted; strangers never
    assert officer.get(f"/reports/{rid}").status_code == 403
    assert people["stranger"].get(f"/reports/{rid}").status_code == 403
    assert people["partner"].get(f"/reports/{rid}").status_code == 200
    refused = fire(lead, rid, "submit")
    assert refused.status_code == 422
    assert "indicators_given" in unmet_conditions(refused)
    assert "SMEs" in unmet_conditions(refused)["indicators_given"]
    for field, value in (("firms", -1), ("investments", "1.234"), ("employment", 10**8)):
        bad = lead.patch(f"/reports/{rid}", json={field: value})
        assert bad.status_code == 422 and field in error_of(bad)["details"]["fields"]
    wrong = lead.patch(f"/reports/{rid}", json={"spend": "10"})
    assert wrong.status_code == 422 and "spend" in error_of(wrong)["details"]["fields"]
    assert people["partner"].patch(f"/reports/{rid}", json={"firms": 3}).status_code == 403
    ok = lead.patch(f"/reports/{rid}", json=INDICATORS | {"version": report["version"]})
    assert ok.status_code == 200 and ok.get_json()["investments"] == "250000.50"
    stale = lead.patch(f"/reports/{rid}", json={"firms": 4, "version": report["version"]})
    assert stale.status_code == 409
    assert fire(lead, rid, "submit").get_json()["state"] == "submitted"
    assert lead.patch(f"/reports/{rid}", json={"firms": 4}).status_code == 409
    assert officer.get(f"/reports/{rid}").status_code == 200
    no_comment = fire(officer, rid, "return_for_changes")
    assert no_comment.status_code == 422
    returned = fire(officer, rid, "return_for_changes", comment="Employment looks wrong.")
    assert returned.get_json()["state"] == "returned"
    assert lead.patch(f"/reports/{rid}", json={"employment": 118}).status_code == 200
    assert fire(lead, rid, "resubmit").get_json()["state"] == "submitted"
    assert fire(lead, rid, "accept").status_code == 403
    accepted = fire(officer, rid, "accept").get_json()
    assert accepted["state"] == "accepted" and accepted["accepted_at"] is not None
    history = lead.get(f"/reports/{rid}/history").get_json()
    assert [h["trigger"] for h in history] == ["submit", "return_for_changes", "resubmit", "accept"]
    listed = officer.get("/reports", query_string={"kind": "periodic"}).get_json()
    assert [i["id"] for i in listed["items"]] == [rid]
    assert officer.get("/reports", query_string={"state": "nope"}).status_code == 400
    figures = officer.get("/reports/figures").get_json()
    counts = {(c["kind"], c["state"]): c["count"] for c in figures["reports"]}
    assert counts[("periodic", "accepted")] == 1
    assert figures["overdue"] >= 1  # the chain's later periods are past their day
    assert lead.get("/reports/figures").status_code == 403
    schedule = lead.get(f"/applications/{chain}/reports/schedule").get_json()
    assert (schedule["reports"][0]["state"], schedule["reports"][0]["overdue"]) == (
        "accepted", False,
    )  # fmt: skip
    # a value chain files no final report
    none = lead.post(f"/applications/{chain}/reports", json={"kind": "final"})
    assert none.status_code == 409 and error_of(none)["code"] == "not_reporting"


def test_the_final_report_lets_the_region_complete_the_project(rw, people):
    lead, officer = people["lead"], people["officer"]
    project = rw.project.id
    fire_app = lambda c, t: c.post(f"/applications/{project}/transitions",  # noqa: E731
                                   json={"trigger": t})  # fmt: skip
    refused = fire_app(officer, "complete")
    assert refused.status_code == 422
    assert "No final report yet" in unmet_conditions(refused)["final_report_accepted"]
    assert lead.get(f"/applications/{project}/reports/schedule").get_json()["kinds"] == [
        "progress", "final",
    ]  # fmt: skip
    progress = lead.post(f"/applications/{project}/reports",
                         json={"kind": "progress", "spend": "100000"}).get_json()  # fmt: skip
    assert (progress["granted_amount"], progress["spend_accepted"]) == ("300000.00", "0.00")
    assert fire(lead, progress["id"], "submit").status_code == 200
    assert fire(officer, progress["id"], "accept").get_json()["spend_accepted"] == "100000.00"
    final = lead.post(f"/applications/{project}/reports", json={"kind": "final"}).get_json()
    assert final["due_on"] is None and final["period"] == 1
    lacks = fire(lead, final["id"], "submit")
    assert "spend_given" in unmet_conditions(lacks)
    again = lead.post(f"/applications/{project}/reports", json={"kind": "final"})
    assert again.status_code == 409 and error_of(again)["code"] == "duplicate"
    assert lead.patch(f"/reports/{final['id']}", json={"spend": "200000"}).status_code == 200
    assert fire(lead, final["id"], "submit").status_code == 200
    waiting = fire_app(officer, "complete")
    assert "not accepted yet" in unmet_conditions(waiting)["final_report_accepted"]
    accepted = fire(officer, final["id"], "accept").get_json()
    assert accepted["spend_accepted"] == "300000.00"
    assert fire_app(officer, "complete").get_json()["state"] == "completed"
    # a completed project no longer reports
    over = lead.post(f"/applications/{project}/reports", json={"kind": "progress"})
    assert over.status_code == 409


def test_bad_requests(rw, people):
    lead = people["lead"]
    assert (
        lead.post(f"/applications/{rw.chain.id}/reports", json={"kind": "yearly"}).status_code
        == 422
    )
    assert lead.post("/applications/999999/reports", json={"kind": "periodic"}).status_code == 404
    assert lead.get("/reports/999999").status_code == 404
    assert lead.post("/reports/999999/transitions", json={"trigger": "submit"}).status_code == 404
    rid = lead.post(f"/applications/{rw.chain.id}/reports", json={"kind": "periodic"}).get_json()[
        "id"
    ]
    assert lead.patch(f"/reports/{rid}", json={}).status_code == 422
    assert lead.patch(f"/reports/{rid}", json={"colour": "red"}).status_code == 422
    assert fire(lead, rid, "fly").status_code == 422


def _queued_reports(client) -> list[tuple[int, str, str | None]]:
    items = client.get("/me/queue?per_page=200").get_json()["items"]
    return [(i["id"], i["state"], i["next_trigger"]) for i in items if i["kind"] == "report"]


def test_reports_wait_in_the_work_queue_of_whoever_moves_them(rw, people):
    """A draft waits for the lead partner's staff, a submitted report for the officers; the
    partners who only read it and strangers never see it in their queue."""
    report = rw.file(rw.chain, "periodic", **INDICATORS)
    assert _queued_reports(people["lead"]) == [(report.id, "draft", "submit")]
    assert _queued_reports(people["officer"]) == []  # a draft is the partnership's
    rw.fire(report, rw.lead, "submit")
    assert _queued_reports(people["lead"]) == []
    officer = people["officer"].get("/me/queue").get_json()["items"]
    (item,) = [i for i in officer if i["kind"] == "report"]
    assert (item["id"], item["next_trigger"]) == (report.id, "accept")
    assert item["resource"].endswith(f"/reports/{report.id}")
    assert item["title"] == "Periodic report no. 1"
    assert _queued_reports(people["partner"]) == _queued_reports(people["stranger"]) == []
