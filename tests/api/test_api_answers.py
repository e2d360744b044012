"""The wire format of the answers, pinned where a serialiser could drift unnoticed: times as
Python writes them (``+00:00``, never ``Z``), amounts as exact decimal strings, the fields only
support measures carry, bare JSON arrays, and null until a value exists."""

from __future__ import annotations

from apiclient import Api


def test_times_amounts_and_nulls_are_written_as_before(make, world, people):
    app = make.application(world.call, world.lead)
    answer = people.lead.get(f"/applications/{app.id}").get_json()
    assert answer["created_at"] == app.created_at.isoformat()
    assert answer["created_at"].endswith("+00:00")
    assert answer["updated_at"] == app.updated_at.isoformat()
    assert answer["agreement_signed_at"] == app.agreement_signed_at.isoformat()
    assert answer["score"] is None and answer["requested_amount"] is None
    assert answer["label"] is None and answer["submitted_at"] is None

    make.fire(app, world.lead, "submit")
    history = people.lead.get(f"/applications/{app.id}/history").get_json()
    assert isinstance(history, list) and [h["trigger"] for h in history] == ["submit"]
    assert history[0]["at"].endswith("+00:00") and history[0]["data"] == {}
    partners = people.lead.get(f"/applications/{app.id}").get_json()["partners"]
    assert isinstance(partners, list) and sum(p["lead"] for p in partners) == 1


def test_a_measure_carries_its_money_as_decimal_strings_and_a_call_does_not(make, world):
    officer = Api(make.app, make.token(world.officer))
    call = officer.get(f"/calls/{world.call.id}").get_json()
    assert call["score_threshold"] == "60.00"
    assert not {"budget", "max_grant", "min_smes", "label_bonus", "committed"} & set(call)
    assert call["committee"] == sorted(r.id for r in world.reviewers)
    assert call["criteria"][0] == {"key": "coherence", "label": "Coherence", "max": 40}

    measure = make.call(
        world.officer, title="Rafforzamento filiere", workflow="support_application",
        budget="1000000", max_grant=400000, min_smes=1, label_bonus="5.5",
    )  # fmt: skip
    answer = officer.get(f"/calls/{measure.id}").get_json()
    assert answer["budget"] == "1000000.00" and answer["max_grant"] == "400000.00"
    assert answer["label_bonus"] == "5.50" and answer["min_smes"] == 1
    assert answer["committed"] == "0.00" and answer["remaining_budget"] == "1000000.00"
    ranking = officer.get(f"/calls/{measure.id}/ranking").get_json()
    assert ranking["budget"] == "1000000.00" and ranking["label_bonus"] == "5.50"
    assert ranking["items"] == [] and ranking["waitlist"] == []
