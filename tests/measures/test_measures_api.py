"""Phase 2 through the API: a measure opened, applications refused for the rules they break,
scored with and without the label bonus, granted, waitlisted, withdrawn and granted again from
the waitlist, with the budget and the ranking read back at every step."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from apiclient import error_of, unmet_conditions
from measuretools import CRITERIA, committed_by_grants, scores_for

from tracker.extensions import db

TODAY = dt.date.today()


def measure_body(**changes) -> dict:
    return {
        "title": "Bando Filiere 2022",
        "workflow": "support_application",
        "act_reference": "DGR XI/6592 of 2022",
        "opens_at": (TODAY - dt.timedelta(days=5)).isoformat(),
        "deadline": (TODAY + dt.timedelta(days=90)).isoformat(),
        "min_firms": 3,
        "min_smes": 2,
        "min_reviews": 2,
        "score_threshold": 65,
        "budget": "1000000",
        "max_grant": 400000,
        "label_bonus": 10,
        "criteria": CRITERIA,
    } | changes


def fire(client, app_id, trigger, **body):
    return client.post(f"/applications/{app_id}/transitions", json={"trigger": trigger} | body)


def test_phase_two_through_the_api(make, world, measures, api):
    officer, lead = api(world.officer), api(world.lead)
    reviewers = [api(r) for r in measures.reviewers]
    chain = measures.value_chain()

    # --- the officer opens the measure; its money rules are checked -----------------------------
    bad = officer.post("/calls", json=measure_body(max_grant="2000000"))
    assert bad.status_code == 422
    assert error_of(bad)["details"]["fields"] == {
        "max_grant": "The maximum grant cannot be above the measure's budget."
    }
    r = officer.post("/calls", json=measure_body())
    assert r.status_code == 201, r.get_json()
    call = r.get_json()
    assert (call["budget"], call["max_grant"], call["min_smes"], call["label_bonus"]) == (
        "1000000.00", "400000.00", 2, "10.00",
    )  # fmt: skip
    assert (call["committed"], call["remaining_budget"]) == ("0.00", "1000000.00")
    for reviewer in measures.reviewers:
        assert officer.post(
            f"/calls/{call['id']}/committee", json={"user_id": reviewer.id}
        ).status_code == 201  # fmt: skip

    # --- a lead applies: the amount and the value chain are checked at once ---------------------
    body = {"call_id": call["id"], "title": "Slag-based binders", "value_chain_id": chain.id}
    too_much = lead.post("/applications", json=body | {"requested_amount": "450000"})
    assert too_much.status_code == 422
    assert error_of(too_much)["details"]["fields"] == {
        "requested_amount": "Requested EUR 450,000.00 is above the maximum grant of EUR 400,000.00."
    }
    nothing = lead.post("/applications", json=body)
    assert error_of(nothing)["details"]["fields"]["requested_amount"].startswith(
        "Requested amount is required"
    )
    stranger = make.user("applicant", organisation=make.organisation("Other Srl"))
    others_chain = measures.value_chain(stranger, label=False, title="Someone else's chain")
    not_ours = lead.post(
        "/applications",
        json=body | {"requested_amount": "400000", "value_chain_id": others_chain.id},
    )
    assert not_ours.status_code == 422
    assert error_of(not_ours)["details"]["fields"] == {
        "value_chain_id": f"Application {others_chain.id} is not a value chain whose partnership "
        "your organisation leads or belongs to."
    }
    r = lead.post("/applications", json=body | {"requested_amount": 400000})
    assert r.status_code == 201, r.get_json()
    a = r.get_json()
    assert (a["workflow"], a["state"], a["phase"]) == ("support_application", "draft", 2)
    assert (a["requested_amount"], a["value_chain_id"], a["granted_amount"]) == (
        "400000.00", chain.id, None,
    )  # fmt: skip

    # --- submission names each unmet eligibility rule ---------------------------------------------
    for org in (make.organisation(size="large"), make.organisation(size="large")):
        assert lead.post(
            f"/applications/{a['id']}/partners", json={"organisation_id": org.id, "role": "Firm"}
        ).status_code == 201  # fmt: skip
    refused = fire(lead, a["id"], "submit")
    assert refused.status_code == 422
    assert unmet_conditions(refused) == {
        "min_lombardy_smes": "1 of the 2 required SMEs with a seat in Lombardy."
    }
    outside = make.organisation(size="small", province="PC", lombardy_seat=False)
    lead.post(
        f"/applications/{a['id']}/partners", json={"organisation_id": outside.id, "role": "SME"}
    )
    assert unmet_conditions(fire(lead, a["id"], "submit")) == {
        "min_lombardy_smes": "1 of the 2 required SMEs with a seat in Lombardy."
    }  # an SME seated outside Lombardy does not count
    sme = make.organisation(size="micro", province="BS")
    lead.post(f"/applications/{a['id']}/partners", json={"organisation_id": sme.id, "role": "SME"})
    assert fire(lead, a["id"], "submit").status_code == 200

    # --- scored: 61 from the committee + 10 for the label; the threshold applies to the 61 ----
    for reviewer in reviewers:  # each member declares no conflict of interest before acting
        declared = reviewer.post(f"/applications/{a['id']}/declaration", json={"conflict": False})
        assert declared.status_code == 201
    assert fire(reviewers[0], a["id"], "admit").status_code == 200
    for reviewer in reviewers:
        review = {"scores": scores_for(61), "recommendation": "favourable"}
        assert reviewer.post(f"/applications/{a['id']}/reviews", json=review).status_code == 201
    a = fire(reviewers[1], a["id"], "close_evaluation").get_json()
    assert (a["state"], a["base_score"], a["label_bonus_applied"], a["score"]) == (
        "scored", "61.00", "10.00", "71.00",
    )  # fmt: skip
    for trigger in ("grant", "waitlist"):
        r = fire(officer, a["id"], trigger)
        assert r.status_code == 422
        assert unmet_conditions(r) == {
            "threshold_before_bonus": "Score before the bonus 61.00 is below the threshold of "
            "65.00 (the quality-label bonus does not count towards it)."
        }
    assert fire(officer, a["id"], "reject", comment="Below the threshold.").status_code == 200

    # --- grants within the budget; the value chain moves to support active ---------------------
    measure = db.session.get(type(chain.call), call["id"])
    b = measures.scored(measure, 90, amount="400000")
    c = measures.scored(measure, 85, amount="400000", value_chain_id=chain.id)
    d = measures.scored(measure, 80, amount="300000")
    assert fire(officer, b.id, "grant").get_json()["granted_amount"] == "400000.00"
    assert chain.state == "label_granted"
    granted = fire(officer, c.id, "grant", comment="Decree 9876 of today.").get_json()
    assert (granted["state"], granted["granted_amount"], granted["score"]) == (
        "granted", "400000.00", "95.00",
    )  # fmt: skip
    chain_now = officer.get(f"/applications/{chain.id}").get_json()
    assert chain_now["state"] == "support_active"
    last = officer.get(f"/applications/{chain.id}/history").get_json()[-1]
    assert (last["trigger"], last["actor"], last["to_state"]) == (
        "activate_support", world.officer.email, "support_active",
    )  # fmt: skip
    assert last["comment"] == (
        f"Support granted: Bando Filiere 2022, application #{c.id} (EUR 400,000.00)."
    )

    # --- the budget is short: refused, then waitlisted -------------------------------------------
    short = fire(officer, d.id, "grant")
    assert short.status_code == 422
    assert unmet_conditions(short) == {
        "budget_available": "Remaining budget EUR 200,000.00 is less than EUR 300,000.00."
    }
    above = fire(officer, d.id, "grant", data={"granted_amount": "300000.01"})
    assert unmet_conditions(above) == {
        "grant_within_request": "The grant of EUR 300,000.01 is above the EUR 300,000.00 "
        "requested.",
        "budget_available": "Remaining budget EUR 200,000.00 is less than EUR 300,000.01.",
    }
    assert fire(officer, d.id, "waitlist").get_json()["state"] == "waitlisted"
    ranking = officer.get(f"/calls/{call['id']}/ranking").get_json()
    assert [(i["application_id"], i["rank"], i["score"]) for i in ranking["items"]] == [
        (c.id, 1, "95.00"), (b.id, 2, "90.00"), (d.id, 3, "80.00"), (a["id"], None, "71.00"),
    ]  # fmt: skip
    assert ranking["waitlist"] == [d.id]
    assert [(i["base_score"], i["label_bonus_applied"]) for i in ranking["items"][:2]] == [
        ("85.00", "10.00"), ("90.00", "0.00"),
    ]  # fmt: skip
    assert (ranking["committed"], ranking["remaining_budget"]) == ("800000.00", "200000.00")

    # --- a withdrawn grant frees its budget; the waitlist is granted ------------------------------
    assert fire(lead, b.id, "withdraw").get_json()["state"] == "withdrawn"
    assert officer.get(f"/calls/{call['id']}").get_json()["remaining_budget"] == "600000.00"
    assert fire(officer, d.id, "grant").get_json()["state"] == "granted"

    # --- a lower grant leaves the rest of the budget ----------------------------------------------
    e = measures.scored(measure, 70, amount="350000")
    lower = fire(officer, e.id, "grant", data={"granted_amount": "250000.50"}).get_json()
    assert (lower["granted_amount"], lower["requested_amount"]) == ("250000.50", "350000.00")
    ranking = officer.get(f"/calls/{call['id']}/ranking").get_json()
    assert (ranking["committed"], ranking["remaining_budget"]) == ("950000.50", "49999.50")
    assert ranking["waitlist"] == []
    db.session.expire_all()
    assert committed_by_grants(call["id"]) == Decimal("950000.50")

    # --- implementation and completion -------------------------------------------------------------
    refused = fire(lead, c.id, "start_implementation")  # a project starts with its CUP code
    assert refused.status_code == 422
    assert [u["condition"] for u in refused.get_json()["error"]["details"]["unmet"]] == [
        "cup_recorded"
    ]
    started = fire(lead, c.id, "start_implementation", data={"cup": "e17h 22001230009"})
    assert (started.get_json()["state"], started.get_json()["cup"]) == (
        "in_implementation",
        "E17H22001230009",
    )
    assert fire(lead, c.id, "complete").status_code == 403
    # issue 13: the Region completes a project on its accepted final report
    assert list(unmet_conditions(fire(officer, c.id, "complete"))) == ["final_report_accepted"]
    final = lead.post(f"/applications/{c.id}/reports", json={"kind": "final", "spend": "400000"})
    assert final.status_code == 201, final.get_json()
    report = final.get_json()["id"]
    assert (
        lead.post(f"/reports/{report}/transitions", json={"trigger": "submit"}).status_code == 200
    )
    assert (
        officer.post(f"/reports/{report}/transitions", json={"trigger": "accept"}).status_code
        == 200
    )
    assert fire(officer, c.id, "complete").get_json()["state"] == "completed"
    assert officer.get(f"/calls/{call['id']}").get_json()["committed"] == "950000.50"

    # --- no bonus for a revoked label -------------------------------------------------------------
    revoked = measures.value_chain(title="Revoked chain")
    assert (
        fire(
            officer, revoked.id, "revoke_label", comment="Partnership below ten firms."
        ).status_code
        == 200
    )
    f = measures.scored(measure, 75, amount="100000", value_chain_id=revoked.id)
    f_json = lead.get(f"/applications/{f.id}").get_json()
    assert (f_json["base_score"], f_json["label_bonus_applied"], f_json["score"]) == (
        "75.00", "0.00", "75.00",
    )  # fmt: skip

    # --- the value chain's phase 2, and the public registry ---------------------------------------
    support = lead.get(f"/applications/{chain.id}/support").get_json()
    assert support["support_granted"] == "400000.00"
    assert [(i["application_id"], i["state"], i["granted_amount"]) for i in support["items"]] == [
        (c.id, "completed", "400000.00"), (a["id"], "rejected", None),
    ]  # fmt: skip
    assert lead.get(f"/applications/{c.id}/support").status_code == 404
    registry = {e["application_id"]: e for e in api().get("/registry").get_json()["items"]}
    assert registry[chain.id]["support_granted"] == "400000.00"
    assert registry[chain.id]["revoked"] is False
    assert registry[revoked.id]["revoked"] is True
    assert registry[revoked.id]["revocation_reason"] == "Partnership below ten firms."
    assert registry[revoked.id]["support_granted"] == "0.00"


def test_a_ranking_only_for_measures_and_for_people_with_a_token(world, measures, api):
    measure = measures.measure()
    assert api(world.lead).get(f"/calls/{measure.id}/ranking").status_code == 200
    assert api().get(f"/calls/{measure.id}/ranking").status_code == 401
    missing = api(world.lead).get(f"/calls/{world.call.id}/ranking")
    assert missing.status_code == 404
    assert "is not a support measure" in error_of(missing)["message"]


def test_editing_a_draft_checks_the_amount_and_the_value_chain(world, measures, api):
    measure = measures.measure()
    draft = measures.application(measure)
    lead = api(world.lead)
    r = lead.patch(f"/applications/{draft.id}", json={"requested_amount": "400000.01"})
    assert error_of(r)["details"]["fields"] == {
        "requested_amount": "Requested EUR 400,000.01 is above the maximum grant of EUR 400,000.00."
    }
    r = lead.patch(f"/applications/{draft.id}", json={"requested_amount": "0"})
    assert r.status_code == 422
    r = lead.patch(f"/applications/{draft.id}", json={"requested_amount": "120000.5"})
    assert r.get_json()["requested_amount"] == "120000.50"
    chain = measures.value_chain()
    r = lead.patch(f"/applications/{draft.id}", json={"value_chain_id": chain.id})
    assert r.get_json()["value_chain_id"] == chain.id
    r = lead.patch(f"/applications/{draft.id}", json={"value_chain_id": draft.id})
    assert "is not a value chain" in error_of(r)["details"]["fields"]["value_chain_id"]
    r = lead.patch(f"/applications/{draft.id}", json={"value_chain_id": None})
    assert r.get_json()["value_chain_id"] is None
