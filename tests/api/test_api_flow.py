"""Phase 1 of a value chain through the API alone, each step by the role that takes it."""

from __future__ import annotations

import io

from apiclient import CONCEPT_NOTE, error_of, new_application_body, unmet_conditions


def options_of(application: dict) -> dict[str, dict]:
    return {o["trigger"]: o for o in application["available_transitions"]}


def test_phase_one_from_concept_note_to_registry(make, world, people, anonymous):
    lead, officer = people.lead, people.officer
    first, second = people.reviewers

    me = lead.get("/me").get_json()
    assert me["email"] == world.lead.email
    assert me["roles"] == ["applicant"]
    assert me["organisation_id"] == world.lead_org.id

    # The lead registers two partner firms, one in Bergamo and one in Brescia.
    partner_ids = []
    for name, province in (("Acciaierie Bergamasche Srl", "BG"), ("Cementi Bresciani SpA", "BS")):
        r = lead.post(
            "/organisations",
            json={"name": name, "vat_number": make.vat(), "kind": "firm", "size": "medium",
                  "province": province},
        )  # fmt: skip
        assert r.status_code == 201, r.get_json()
        created = r.get_json()
        assert created["name"] == name and created["lombardy_seat"] is True
        assert lead.get(f"/organisations/{created['id']}").get_json() == created
        partner_ids.append(created["id"])

    # A draft: only the lead is a partner, so it cannot be submitted yet.
    r = lead.post("/applications", json=new_application_body(world.call.id))
    assert r.status_code == 201, r.get_json()
    draft = r.get_json()
    app_id = draft["id"]
    assert draft["state"] == "draft" and draft["phase"] == 1 and draft["version"] == 1
    assert draft["workflow"] == "value_chain" and draft["state_title"] == "Draft"
    assert draft["lead_organisation"] == "Duferco Travi e Profilati"
    assert draft["concept_note"] == CONCEPT_NOTE
    assert draft["score"] is None and draft["label"] is None and draft["submitted_at"] is None
    assert [p["organisation_id"] for p in draft["partners"]] == [world.lead_org.id]
    submit = options_of(draft)["submit"]
    assert submit["allowed"] is False
    assert {u["condition"] for u in submit["unmet"]} == {"min_lombardy_firms", "agreement_signed"}
    assert [o["trigger"] for o in draft["available_transitions"]] == ["submit", "withdraw"]

    # Nobody outside the partnership sees the draft, not even the officer.
    assert officer.get(f"/applications/{app_id}").status_code == 403

    r = lead.post(
        f"/applications/{app_id}/partners",
        json={"organisation_id": partner_ids[0], "role": "Slag supplier",
              "commitments": "Provides 2,000 t of slag a year"},
    )  # fmt: skip
    assert r.status_code == 201
    assert [(p["name"], p["lead"]) for p in r.get_json()] == [
        ("Duferco Travi e Profilati", True),
        ("Acciaierie Bergamasche Srl", False),
    ]
    # issue 14: the agreement counts as signed only with its PDF; marking it signed is refused
    r = lead.post(f"/applications/{app_id}/agreement", json={"signed": True})
    assert r.status_code == 422 and error_of(r)["code"] == "agreement_pdf_missing"
    assert sign_with_pdf(lead, app_id).status_code == 201
    r = lead.get(f"/applications/{app_id}")
    assert r.get_json()["agreement_signed"] is True

    # Two Lombard firms of three: refused, naming the condition and the count.
    r = lead.post(f"/applications/{app_id}/transitions", json={"trigger": "submit"})
    assert r.status_code == 422
    assert error_of(r)["code"] == "conditions_unmet"
    assert unmet_conditions(r) == {
        "min_lombardy_firms": "2 of the 3 required firms with a seat in Lombardy."
    }

    # The third firm; adding it voids the signed agreement, which is recorded again.
    r = lead.post(
        f"/applications/{app_id}/partners",
        json={"organisation_id": partner_ids[1], "role": "Precast concrete maker"},
    )
    assert r.status_code == 201 and len(r.get_json()) == 3
    r = lead.post(f"/applications/{app_id}/transitions", json={"trigger": "submit"})
    assert r.status_code == 422 and set(unmet_conditions(r)) == {"agreement_signed"}
    assert sign_with_pdf(lead, app_id).status_code == 201
    # once signed by its PDF, saying so again changes nothing
    assert lead.post(f"/applications/{app_id}/agreement", json={"signed": True}).status_code == 200

    r = lead.post(f"/applications/{app_id}/transitions", json={"trigger": "submit"})
    assert r.status_code == 200, r.get_json()
    submitted = r.get_json()
    assert submitted["state"] == "submitted" and submitted["submitted_at"] is not None
    allowed = [o["trigger"] for o in submitted["available_transitions"] if o["allowed"]]
    assert allowed == ["withdraw"]
    assert options_of(submitted)["admit"]["unmet"][0]["condition"] == "role"

    # A member declares about a conflict of interest before acting on it.
    r = first.post(f"/applications/{app_id}/transitions", json={"trigger": "request_integration"})
    assert r.status_code == 422 and "conflict_not_declared" in unmet_conditions(r)
    r = first.post(f"/applications/{app_id}/declaration", json={"conflict": False})
    assert r.status_code == 201

    # The committee asks for an integration: a comment is required.
    seen = first.get(f"/applications/{app_id}").get_json()
    assert options_of(seen)["request_integration"]["comment_required"] is True
    r = first.post(f"/applications/{app_id}/transitions", json={"trigger": "request_integration"})
    assert r.status_code == 422 and set(unmet_conditions(r)) == {"comment"}
    r = first.post(
        f"/applications/{app_id}/transitions",
        json={"trigger": "request_integration", "comment": "Quantify the slag volumes.",
              "version": seen["version"]},
    )  # fmt: skip
    assert r.status_code == 200 and r.get_json()["state"] == "integration_requested"

    # The lead edits the concept note and resubmits.
    current = lead.get(f"/applications/{app_id}").get_json()
    r = lead.patch(
        f"/applications/{app_id}",
        json={"concept_note": {"investments": "EUR 2.4M; 12,000 t of slag a year."},
              "version": current["version"]},
    )  # fmt: skip
    assert r.status_code == 200, r.get_json()
    edited = r.get_json()
    assert edited["concept_note"]["investments"] == "EUR 2.4M; 12,000 t of slag a year."
    assert edited["concept_note"]["challenges"] == CONCEPT_NOTE["challenges"]
    assert edited["version"] == current["version"] + 1
    # issue 14: a resubmission answers the question; without a reply it is refused by name
    r = lead.post(f"/applications/{app_id}/transitions", json={"trigger": "resubmit"})
    assert r.status_code == 422 and set(unmet_conditions(r)) == {"integration_answered"}
    r = lead.put(f"/applications/{app_id}/integration/reply",
                 json={"reply": "12,000 t a year, quantified in the investments."})  # fmt: skip
    assert r.status_code == 200 and r.get_json()["pending"] is True
    r = lead.post(f"/applications/{app_id}/transitions", json={"trigger": "resubmit"})
    assert r.status_code == 200 and r.get_json()["state"] == "submitted"
    assert r.get_json()["integration"] is None

    # The firms the lead registered await verification of what it declared: the committee
    # checks them before admitting.
    r = first.post(f"/applications/{app_id}/transitions", json={"trigger": "admit"})
    assert r.status_code == 422 and set(unmet_conditions(r)) == {"partners_verified"}
    for organisation_id in partner_ids:
        r = first.post(f"/organisations/{organisation_id}/verification", json={})
        assert r.status_code == 200 and r.get_json()["verified"] is True
    r = first.post(f"/applications/{app_id}/transitions", json={"trigger": "admit"})
    assert r.status_code == 200 and r.get_json()["state"] == "under_evaluation"

    # Closing needs two reviews.
    assert (
        second.post(f"/applications/{app_id}/declaration", json={"conflict": False}).status_code
        == 201
    )
    r = second.post(f"/applications/{app_id}/transitions", json={"trigger": "close_evaluation"})
    assert r.status_code == 422
    assert unmet_conditions(r) == {"min_reviews": "0 of the 2 required reviews submitted."}
    for reviewer, scores in ((first, {"coherence": 35, "impact": 50}),
                             (second, {"coherence": 30, "impact": 45})):  # fmt: skip
        r = reviewer.post(
            f"/applications/{app_id}/reviews",
            json={"scores": scores, "recommendation": "favourable", "comment": "Sound."},
        )
        assert r.status_code == 201, r.get_json()
        assert r.get_json()["total"] == sum(scores.values())
    # members who reviewed see each other's reviews; officers once the evaluation is closed
    reviews = second.get(f"/applications/{app_id}/reviews").get_json()
    assert sorted(r["total"] for r in reviews) == [75, 85]
    assert officer.get(f"/applications/{app_id}/reviews").get_json() == []
    assert lead.get(f"/applications/{app_id}/reviews").status_code == 403

    r = second.post(f"/applications/{app_id}/transitions", json={"trigger": "close_evaluation"})
    assert r.status_code == 200
    evaluated = r.get_json()
    assert evaluated["state"] == "evaluated" and evaluated["score"] == "80.00"
    reviews = officer.get(f"/applications/{app_id}/reviews").get_json()
    assert sorted(r["total"] for r in reviews) == [75, 85]

    # Only the officer grants the label, by decree.
    r = first.post(f"/applications/{app_id}/transitions", json={"trigger": "grant_label"})
    assert r.status_code == 403 and error_of(r)["code"] == "role_not_allowed"
    r = officer.post(f"/applications/{app_id}/transitions", json={"trigger": "grant_label"})
    assert r.status_code == 422
    assert set(unmet_conditions(r)) == {"decree_number", "decree_date"}
    r = officer.post(
        f"/applications/{app_id}/transitions",
        json={"trigger": "grant_label",
              "data": {"decree_number": "18123", "decree_date": "2023-11-30"}},
    )  # fmt: skip
    assert r.status_code == 200, r.get_json()
    granted = r.get_json()
    assert granted["state"] == "label_granted"
    assert granted["label"] == {
        "code": f"FIL-2023-{app_id:04d}",
        "decree_number": "18123",
        "decree_date": "2023-11-30",
        "decree_illustrative": False,
        "revoked": False,
    }

    registry = anonymous.get("/registry").get_json()
    assert registry["total"] == 1
    (entry,) = registry["items"]
    assert entry["label_code"] == f"FIL-2023-{app_id:04d}"
    assert entry["lead"] == "Duferco Travi e Profilati"
    assert entry["decree_number"] == "18123" and entry["decree_date"] == "2023-11-30"
    assert entry["partners_count"] == 3 and entry["provinces"] == ["BG", "BS"]

    history = lead.get(f"/applications/{app_id}/history").get_json()
    assert [(h["trigger"], h["from_state"], h["to_state"]) for h in history] == [
        ("submit", "draft", "submitted"),
        ("request_integration", "submitted", "integration_requested"),
        ("resubmit", "integration_requested", "submitted"),
        ("admit", "submitted", "under_evaluation"),
        ("close_evaluation", "under_evaluation", "evaluated"),
        ("grant_label", "evaluated", "label_granted"),
    ]
    assert history[1]["comment"] == "Quantify the slag volumes."
    # the applicant reads who acted by name only; officers also read their e-mail addresses
    assert history[1]["actor"] is None and history[1]["actor_name"] == world.reviewers[0].name
    assert history[-1]["actor"] is None and history[-1]["actor_name"] == world.officer.name
    seen_by_officer = officer.get(f"/applications/{app_id}/history").get_json()
    assert seen_by_officer[1]["actor"] == world.reviewers[0].email
    assert seen_by_officer[-1]["actor"] == world.officer.email
    assert seen_by_officer[-1]["actor_name"] == world.officer.name
    assert [h["at"] for h in history] == sorted(h["at"] for h in history)

    board = officer.get(f"/dashboard?call_id={world.call.id}").get_json()
    assert board["call_id"] == world.call.id and board["total"] == 1
    assert board["by_state"]["label_granted"] == 1 and board["by_state"]["draft"] == 0


def sign_with_pdf(api, app_id: int):
    """The lead uploads the agreement signed by every partner."""
    from tracker.documents.samples import MINIMAL_PDF

    return api.post(
        f"/applications/{app_id}/agreement/documents",
        data={"file": (io.BytesIO(MINIMAL_PDF), "accordo.pdf", "application/pdf")},
        content_type="multipart/form-data",
    )
