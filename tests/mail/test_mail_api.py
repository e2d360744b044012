"""The email choices through the API: the same offer and rules as the account page."""

from __future__ import annotations

from apiclient import Api, error_of
from sqlalchemy import select

from tracker.extensions import db
from tracker.mail.kinds import KIND_GROUP
from tracker.mail.models import MailOptOut

APPLICANT_KINDS = [k for k, g in KIND_GROUP.items() if g in ("applicant", "community")]


def api_for(make, user) -> Api:
    return Api(make.app, make.token(user))


def test_get_lists_the_kinds_offered_all_received(make, world):
    answer = api_for(make, world.lead).get("/me/email-preferences")
    assert answer.status_code == 200
    kinds = answer.get_json()["kinds"]
    assert [k["kind"] for k in kinds] == APPLICANT_KINDS
    assert all(k["receive"] for k in kinds)
    assert {k["group"] for k in kinds} == {"applicant", "community"}


def test_put_keeps_what_is_listed_and_turns_off_the_rest(make, world):
    api = api_for(make, world.lead)
    answer = api.request("PUT", "/me/email-preferences", {"receive": ["label_granted"]})
    assert answer.status_code == 200
    received = {k["kind"] for k in answer.get_json()["kinds"] if k["receive"]}
    assert received == {"label_granted"}
    off = set(
        db.session.scalars(select(MailOptOut.kind).where(MailOptOut.user_id == world.lead.id))
    )
    assert off == set(APPLICANT_KINDS) - {"label_granted"}
    again = api.request("PUT", "/me/email-preferences", {"receive": APPLICANT_KINDS})
    assert all(k["receive"] for k in again.get_json()["kinds"])


def test_put_refuses_what_is_not_offered_or_malformed(make, world):
    api = api_for(make, world.lead)
    refused = api.request("PUT", "/me/email-preferences", {"receive": ["decision_due"]})
    assert refused.status_code == 422
    assert (
        error_of(refused)["details"]["fields"]["receive"] == "Unknown kinds of email: decision_due."
    )
    for body in ({}, {"receive": "label_granted"}, {"receive": [1, 2]}, {"receive": ["x"] * 100}):
        answer = api.request("PUT", "/me/email-preferences", body)
        assert answer.status_code in (400, 422), (body, answer.status_code)
    assert db.session.scalar(select(MailOptOut.id)) is None
    assert Api(make.app).get("/me/email-preferences").status_code == 401
