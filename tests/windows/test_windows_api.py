"""Windows of a call through the API: GET /calls/<id> keeps deadline, criteria and
score_threshold (the current window's) and adds windows; PATCH records the act of an extension;
POST /calls/<id>/windows opens the next window; an application is scored under its own window's
criteria; thematic_areas, thematic_area and ateco_section on applications."""

from __future__ import annotations

import datetime as dt

from apiclient import error_of
from windowtools import NEW_RULES

from tracker.database import commit
from tracker.extensions import db

TODAY = dt.date.today()


def days(n: int) -> str:
    return (TODAY + dt.timedelta(days=n)).isoformat()


def time_passes(call, *, into_window: int) -> None:
    """The days pass until window ``into_window`` is open (the earlier ones closed): what a
    test cannot wait for."""
    db.session.refresh(call)
    for w in call.windows:
        if w.number < into_window:
            w.opens_at, w.deadline = (
                min(w.opens_at, TODAY - dt.timedelta(days=10)),
                TODAY - dt.timedelta(days=1),
            )
        elif w.number == into_window:
            w.opens_at = TODAY
    commit()


def test_a_call_answers_with_its_first_window(world, api):
    call = api(world.officer).get(f"/calls/{world.call.id}").get_json()
    (window,) = call["windows"]
    assert window["number"] == 1 and window["current"] is True
    assert (window["deadline"], window["score_threshold"]) == (
        call["deadline"],
        call["score_threshold"],
    )
    assert (
        window["criteria"]
        == call["criteria"]
        == [
            {"key": "coherence", "label": "Coherence", "max": 40},
            {"key": "impact", "label": "Impact", "max": 60},
        ]
    )
    # DGR 5899/2022's five areas by default
    assert window["thematic_areas"] == call["thematic_areas"] == [
        "sustainability", "innovation", "human_capital", "internationalisation", "credit",
    ]  # fmt: skip


def test_an_extension_records_its_act(world, api):
    officer = api(world.officer)
    old = world.call.deadline.isoformat()
    r = officer.patch(
        f"/calls/{world.call.id}",
        json={"deadline": days(400), "reason": "Extended", "act_number": "DGR 1586/2023",
              "act_date": "2023-12-18"},
    )  # fmt: skip
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["deadline"] == body["windows"][0]["deadline"] == days(400)
    (ext,) = body["deadline_extensions"]
    assert (ext["previous_deadline"], ext["new_deadline"], ext["act_number"], ext["act_date"]) == (
        old, days(400), "DGR 1586/2023", "2023-12-18",
    )  # fmt: skip
    # the old client's body still works, with no act
    r = officer.patch(f"/calls/{world.call.id}", json={"deadline": days(401), "reason": ""})
    assert r.status_code == 200
    assert r.get_json()["deadline_extensions"][1]["act_number"] == ""


def test_a_bad_extension_is_a_422_with_details(world, api):
    officer = api(world.officer)
    r = officer.patch(
        f"/calls/{world.call.id}", json={"deadline": days(500), "act_date": "2023-12-18"}
    )
    assert r.status_code == 422
    assert "act_number" in error_of(r)["details"]["fields"]
    r = officer.patch(f"/calls/{world.call.id}", json={"deadline": days(500), "act_date": "18/12"})
    assert r.status_code == 422
    assert set(error_of(r)["details"]["fields"]) == {"act_date"}
    assert (
        api(world.lead).patch(f"/calls/{world.call.id}", json={"deadline": days(500)}).status_code
        == 403
    )


def test_opening_a_window_checks_its_rules(world, api):
    officer = api(world.officer)
    path = f"/calls/{world.call.id}/windows"
    body = NEW_RULES | {"opens_at": days(366), "deadline": days(800)}
    assert api(world.lead).post(path, json=body).status_code == 403
    # it opens after the last window closes, with known areas and a reachable threshold
    r = officer.post(path, json=body | {"opens_at": days(10), "thematic_areas": ["moon"],
                                        "score_threshold": 101})  # fmt: skip
    assert r.status_code == 422
    assert set(error_of(r)["details"]["fields"]) == {
        "opens_at",
        "thematic_areas",
        "score_threshold",
    }
    r = officer.post(path, json=body)
    assert r.status_code == 201, r.get_json()
    window = r.get_json()
    assert (window["number"], window["act_number"], window["current"]) == (
        2,
        "DGR 5377/2025",
        False,
    )
    call = officer.get(f"/calls/{world.call.id}").get_json()
    # upcoming: the first window is still the current one
    assert [w["number"] for w in call["windows"]] == [1, 2]
    assert call["criteria"][0]["key"] == "coherence"
    time_passes(world.call, into_window=2)
    call = officer.get(f"/calls/{world.call.id}").get_json()
    assert (call["deadline"], call["score_threshold"]) == (days(800), "50.00")
    assert [c["key"] for c in call["criteria"]] == ["transition", "reshoring"]
    assert call["thematic_areas"] == ["green_digital", "reshoring"]
    assert [w["current"] for w in call["windows"]] == [False, True]


def test_applications_keep_the_window_they_were_submitted_in(make, world, api):
    officer, lead = api(world.officer), api(world.lead)
    first = make.application(world.call, world.lead, title="Submitted in window 1")
    make.fire(first, world.lead, "submit")
    draft = make.application(world.call, world.lead, title="Still a draft")
    assert (
        officer.post(
            f"/calls/{world.call.id}/windows",
            json=NEW_RULES | {"opens_at": days(366), "deadline": days(800)},
        ).status_code
        == 201
    )
    time_passes(world.call, into_window=2)

    answer = officer.get(f"/applications/{first.id}").get_json()
    assert answer["window"]["number"] == 1
    # scored under window 1's criteria: window 2's keys are not its criteria
    member = api(world.reviewers[0])
    make.fire(first, world.officer, "admit")
    make.declare(first, world.reviewers[0])
    bad = member.post(f"/applications/{first.id}/reviews",
                      json={"scores": {"transition": 50, "reshoring": 50}, "recommendation": "favourable"})  # fmt: skip
    assert bad.status_code == 422
    assert "scores.coherence" in error_of(bad)["details"]["fields"]
    good = member.post(f"/applications/{first.id}/reviews",
                       json={"scores": {"coherence": 40, "impact": 60}, "recommendation": "favourable"})  # fmt: skip
    assert good.status_code == 201, good.get_json()

    # a draft is under the current window: its old area must change before it can be sent
    answer = lead.get(f"/applications/{draft.id}").get_json()
    assert answer["window"] == {
        "id": answer["window"]["id"], "number": 2, "act_number": "DGR 5377/2025",
        "act_date": "2025-11-24", "criteria_illustrative": True,
    }  # fmt: skip
    submit = next(t for t in answer["available_transitions"] if t["trigger"] == "submit")
    assert not submit["allowed"]
    assert "Thematic areas not among those of the call's window: sustainability." in str(
        submit["unmet"]
    )
    r = lead.patch(f"/applications/{draft.id}", json={"thematic_areas": ["reshoring"]})
    assert r.status_code == 200, r.get_json()
    r = lead.post(f"/applications/{draft.id}/transitions", json={"trigger": "submit"})
    assert r.status_code == 200, r.get_json()
    assert lead.get(f"/applications/{draft.id}").get_json()["window"]["number"] == 2


def test_several_thematic_areas_and_a_sector(world, api):
    lead = api(world.lead)
    r = lead.post("/applications", json={
        "call_id": world.call.id, "title": "Two areas", "ateco_section": "C",
        "thematic_areas": ["innovation", "sustainability"],
    })  # fmt: skip
    assert r.status_code == 201, r.get_json()
    app = r.get_json()
    assert (app["thematic_areas"], app["thematic_area"], app["ateco_section"]) == (
        ["innovation", "sustainability"], "innovation", "C",
    )  # fmt: skip
    # an old client sends thematic_area alone: it becomes the main area, the others stay
    r = lead.patch(f"/applications/{app['id']}", json={"thematic_area": "credit"})
    assert r.get_json()["thematic_areas"] == ["credit", "innovation", "sustainability"]
    # the answer sent back unchanged is accepted
    r = lead.patch(f"/applications/{app['id']}", json={
        "thematic_area": "credit", "thematic_areas": ["credit", "innovation", "sustainability"],
    })  # fmt: skip
    assert r.status_code == 200
    # and a client sending only thematic_area on create still works
    r = lead.post("/applications", json={"call_id": world.call.id, "title": "Old client",
                                         "thematic_area": "human_capital"})  # fmt: skip
    assert (r.get_json()["thematic_areas"], r.get_json()["thematic_area"]) == (
        ["human_capital"], "human_capital",
    )  # fmt: skip


def test_areas_outside_the_window_and_unknown_sectors_are_422(world, api):
    lead = api(world.lead)
    base = {"call_id": world.call.id, "title": "Bad"}
    r = lead.post("/applications", json=base | {"thematic_areas": ["reshoring"]})
    assert r.status_code == 422
    assert error_of(r)["details"]["fields"]["thematic_areas"] == (
        "Not among the thematic areas of the call's window 1: reshoring."
    )
    r = lead.post("/applications", json=base | {"thematic_areas": ["nowhere"]})
    assert r.status_code == 422
    r = lead.post("/applications", json=base | {"ateco_section": "Z"})
    assert r.status_code == 422 and "ateco_section" in error_of(r)["details"]["fields"]
    r = lead.post("/applications", json=base | {
        "thematic_area": "credit", "thematic_areas": ["innovation"]})  # fmt: skip
    assert r.status_code == 422 and "thematic_area" in error_of(r)["details"]["fields"]
