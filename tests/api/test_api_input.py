"""Bad input is a 4xx with a JSON error, never a 500: bodies, content types, sizes, routes,
paging, and wrong types in every field of every body."""

from __future__ import annotations

import io
import json

import pytest
from apiclient import PREFIX, Api, error_of, new_application_body

from tracker.api.framework import ROUTES


@pytest.fixture
def lead(people) -> Api:
    return people.lead


@pytest.mark.parametrize(
    "raw",
    [b"{", b'{"title": }', b"not json", b"\xff\xfe\x00garbage", b"[1, 2",
     b'{"call_id": NaN}', b'{"a": Infinity}', b"[" * 100_000 + b"]" * 100_000,
     b'{"n": ' + b"9" * 5000 + b"}"],
)  # fmt: skip
def test_malformed_json_is_400(lead, raw):
    r = lead.post("/applications", data=raw, headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    assert error_of(r)["code"] == "malformed_json"


@pytest.mark.parametrize("body", ["[]", "[1, 2]", '"text"', "42", "null", "true"])
def test_body_that_is_not_an_object_is_400(lead, body):
    r = lead.post("/organisations", data=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and error_of(r)["code"] == "malformed_body"


def test_empty_body_is_400(lead):
    r = lead.post("/organisations", data=b"", headers={"Content-Type": "application/json"})
    assert r.status_code == 400


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x"])  # fmt: skip
def test_wrong_content_type_is_415(lead, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    r = lead.post("/organisations", data='{"name": "x"}', headers=headers)
    assert r.status_code == 415 and error_of(r)["code"] == "unsupported_media_type"


def test_json_variants_are_accepted(make, lead):
    body = json.dumps({"name": "Fonderia Srl", "vat_number": make.vat(), "kind": "firm",
                       "size": "micro", "province": "VA"})  # fmt: skip
    r = lead.post("/organisations", data=body,
                  headers={"Content-Type": "application/json; charset=utf-8"})  # fmt: skip
    assert r.status_code == 201


def test_oversized_body_is_413(app, lead):
    limit = app.config["MAX_CONTENT_LENGTH"]
    big = json.dumps({"name": "x" * (limit + 10)})
    r = lead.post("/organisations", data=big, headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and error_of(r)["code"] == "body_too_large"
    # refused before authentication and parsing: no token, not even JSON
    r = Api(app).post("/organisations", data=b"x" * (limit + 1))
    assert r.status_code == 413


def test_oversized_chunked_body_is_413(app, lead):
    """A body without a Content-Length (chunked) is read up to the limit and refused past it."""
    limit = app.config["MAX_CONTENT_LENGTH"]
    r = lead.client.post(
        PREFIX + "/organisations",
        input_stream=io.BytesIO(b'{"name": "' + b"x" * (limit + 10) + b'"}'),
        headers={"Authorization": f"Bearer {lead.token}", "Content-Type": "application/json",
                 "Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )  # fmt: skip
    assert r.status_code == 413 and r.get_json()["error"]["code"] == "body_too_large"
    # the same way, a small chunked body is read whole
    r = lead.client.post(
        PREFIX + "/organisations",
        input_stream=io.BytesIO(b'{"name": ""}'),
        headers={"Authorization": f"Bearer {lead.token}", "Content-Type": "application/json",
                 "Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )  # fmt: skip
    assert r.status_code == 422


def test_unknown_route_is_404_json(lead, anonymous):
    for api in (lead, anonymous):
        r = api.get("/no/such/thing")
        assert r.status_code == 404 and error_of(r)["code"] == "not_found"
    r = lead.get("/applications/99999999999999999999")  # beyond any id: no route
    assert r.status_code == 404
    r = lead.get("/applications/-1")
    assert r.status_code == 404


def test_wrong_method_is_405_json_with_allow(lead):
    r = lead.request("PUT", "/applications")
    assert r.status_code == 405 and error_of(r)["code"] == "method_not_allowed"
    assert set(r.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "POST"}
    r = lead.delete("/me")
    assert r.status_code == 405


def test_text_no_database_stores_is_422(lead, make):
    body = {"name": "Nul\u0000Srl", "vat_number": make.vat(), "kind": "firm", "size": "small"}
    r = lead.post("/organisations", json=body)
    assert r.status_code == 422 and set(error_of(r)["details"]["fields"]) == {"name"}
    raw = '{"name": "\\ud800", "vat_number": "x", "kind": "firm"}'
    r = lead.post("/organisations", data=raw, headers={"Content-Type": "application/json"})
    assert r.status_code == 422 and set(error_of(r)["details"]["fields"]) == {"name"}
    assert lead.get("/organisations?q=a%00b").status_code == 400


@pytest.mark.parametrize("char", ["\x01", "\x1b", "\x7f", "\x9b"])
def test_control_characters_are_422_naming_the_field_like_the_forms(lead, make, char):
    body = {"name": f"Fonderia{char}Srl", "vat_number": make.vat(), "kind": "firm",
            "size": "small", "province": "BS"}  # fmt: skip
    r = lead.post("/organisations", json=body)
    assert r.status_code == 422
    assert "control characters" in error_of(r)["details"]["fields"]["name"]
    assert lead.get(f"/organisations?q=a{char}b").status_code == 400


# --- paging -----------------------------------------------------------------------------------


def test_pagination_bounds(make, world, lead):
    for _ in range(5):
        make.organisation()
    everything = lead.get("/organisations").get_json()
    total = everything["total"]
    assert total == len(everything["items"]) >= 5
    assert (everything["page"], everything["per_page"]) == (1, 50)
    page2 = lead.get("/organisations?page=2&per_page=2").get_json()
    assert page2["page"] == 2 and page2["per_page"] == 2 and page2["total"] == total
    assert [o["id"] for o in page2["items"]] == [o["id"] for o in everything["items"][2:4]]
    beyond = lead.get(f"/organisations?page={total + 1}&per_page=1").get_json()
    assert beyond["items"] == [] and beyond["total"] == total
    assert lead.get("/organisations?per_page=5000").get_json()["per_page"] == 200
    for bad in ("page=0", "per_page=0", "page=-1", "per_page=abc", "page=1.5",
                "page=99999999999999999999999", "per_page=-3", "page=", "per_page=",
                "page=%20"):  # fmt: skip
        r = lead.get(f"/organisations?{bad}")
        assert r.status_code == 400, bad
        assert error_of(r)["code"] == "bad_paging"


def test_list_filters(make, world, people, lead):
    second_call = make.call(title="Second call")
    first = make.application(world.call, world.lead, title="Steel slag reuse")
    make.application(second_call, world.lead, title="Textile fibres")
    make.fire(first, world.lead, "submit")
    assert lead.get("/applications").get_json()["total"] == 2
    only = lead.get(f"/applications?call_id={world.call.id}").get_json()
    assert [a["id"] for a in only["items"]] == [first.id]
    assert lead.get("/applications?state=draft").get_json()["items"][0]["title"] == "Textile fibres"
    assert lead.get("/applications?q=slag").get_json()["total"] == 1
    assert lead.get("/applications?call_id=x").status_code == 400
    assert lead.get("/applications?call_id=99999999999").status_code == 400
    # officers see only what was submitted
    assert [a["id"] for a in people.officer.get("/applications").get_json()["items"]] == [first.id]
    found = lead.get("/organisations?q=duferco").get_json()
    assert [o["name"] for o in found["items"]] == ["Duferco Travi e Profilati"]
    assert lead.get("/organisations?q=100%25").get_json()["total"] == 0  # % is literal
    assert lead.get(f"/organisations?q=IT{world.lead_org.vat_number}").get_json()["total"] == 1


def test_a_list_costs_a_fixed_number_of_queries(app, make, world, lead):
    from pagetools import counting_queries

    from tracker.extensions import db

    def queries_for_list() -> int:
        db.session.expire_all()  # as cold as a request in its own session
        with counting_queries() as counter:
            r = lead.get("/applications")
        assert r.status_code == 200
        return counter["n"]

    make.application(world.call, world.lead)
    lead.get(
        "/me"
    )  # the token's first use is recorded (at most once a minute after): not a list's cost
    one = queries_for_list()
    for _ in range(6):
        make.application(world.call, world.lead)
    assert lead.get("/applications").get_json()["total"] == 7
    assert queries_for_list() == one


# --- wrong types everywhere -------------------------------------------------------------------

BAD_VALUES = [None, True, False, 0, -1, 10**30, 1.5, "", "x" * 300, "2023-13-45", [], [1], {},
              {"a": {"b": None}}]  # fmt: skip


def mutations(body: dict):
    """``body`` with each key given each bad value, and with each key left out."""
    for key in body:
        for value in BAD_VALUES:
            yield body | {key: value}
        yield {k: v for k, v in body.items() if k != key}


def test_wrong_types_in_every_body_are_4xx(make, world, people):
    """Every field of every body, given nulls, booleans, huge numbers, lists, objects, strings:
    answered with a JSON 4xx (or accepted), never a 500."""
    lead, officer, reviewer = people.lead, people.officer, people.reviewers[0]
    draft = make.application(world.call, world.lead)
    evaluated = make.application(world.call, world.lead)
    make.fire(evaluated, world.lead, "submit")
    make.fire(evaluated, world.officer, "admit")
    reviewed = make.application(world.call, world.lead)
    make.fire(reviewed, world.lead, "submit")
    make.fire(reviewed, world.officer, "admit")
    org = make.organisation()
    cases = [
        (lead, "POST", "/organisations",
         {"name": "N", "vat_number": "12345678903", "kind": "firm", "size": "small",
          "province": "MI", "city": "Milano", "lombardy_seat": True}),
        (officer, "POST", "/calls",
         {"title": "T", "workflow": "value_chain", "opens_at": "2024-01-01",
          "deadline": "2024-12-31", "min_firms": 3, "min_reviews": 1, "score_threshold": 5,
          "criteria": [{"key": "k", "label": "K", "max": 10}], "description": "d"}),
        (officer, "PATCH", f"/calls/{world.call.id}", {"deadline": "2099-12-31", "reason": "r"}),
        (officer, "POST", f"/calls/{world.call.id}/committee", {"user_id": world.lead.id}),
        (lead, "POST", "/applications",
         new_application_body(world.call.id, lead_organisation_id=world.lead_org.id,
                              requested_amount="1000.50", value_chain_id=draft.id)),
        (lead, "PATCH", f"/applications/{draft.id}",
         {"title": "T", "thematic_area": "credit", "concept_note": {"needs": "n"},
          "version": 99, "requested_amount": 5}),
        (lead, "POST", f"/applications/{draft.id}/partners",
         {"organisation_id": org.id, "role": "R", "commitments": "C"}),
        (lead, "POST", f"/applications/{draft.id}/agreement", {"signed": True}),
        (officer, "POST", f"/applications/{evaluated.id}/transitions",
         {"trigger": "request_integration", "comment": "c", "version": 99,
          "data": {"decree_number": "1", "decree_date": "2024-01-01"}}),
        (reviewer, "POST", f"/applications/{reviewed.id}/reviews",
         {"scores": {"coherence": 1, "impact": 2}, "recommendation": "favourable",
          "comment": "c"}),
    ]  # fmt: skip
    nested = {"concept_note": {"needs": "n"}, "data": {"decree_date": "2024-01-01"},
              "scores": {"coherence": 1}}  # fmt: skip
    seen_statuses = set()
    for api, method, path, body in cases:
        bodies = list(mutations(body))
        for key, inner in nested.items():
            if key in body:
                bodies += [body | {key: m} for m in mutations(inner)]
        for variant in bodies:
            r = api.request(method, path, json=variant)
            assert r.status_code < 500, (method, path, variant, r.get_json())
            seen_statuses.add(r.status_code)
    assert {409, 422} <= seen_statuses


def test_every_route_refuses_garbage_without_a_500(app, people):
    """Each declared route, hit with a body of the wrong shape and odd query strings."""
    for route in ROUTES:
        path = route.rule
        for converter in ("<int(max=2147483647):", "<string(maxlength=50):"):
            while converter in path:
                start = path.index(converter)
                path = path[:start] + "1" + path[path.index(">", start) + 1 :]
        for body in ('{"x": [', "[]", '{"a": 1}', '{"trigger": {"a": 1}, "version": "x"}'):
            r = people.lead.request(
                route.method, path + "?page=1&call_id=%00&q=%ff&state=" + "s" * 300,
                data=body, headers={"Content-Type": "application/json"},
            )  # fmt: skip
            assert r.status_code < 500, (route.method, path, body)


def test_patch_refuses_unknown_fields_naming_them(make, world, lead, people):
    app = make.application(world.call, world.lead, complete=False)
    r = lead.patch(f"/applications/{app.id}", json={"titel": "Typo", "colour": "red"})
    assert r.status_code == 422
    assert set(error_of(r)["details"]["fields"]) == {"titel", "colour"}
    assert error_of(r)["details"]["fields"]["titel"] == "Unknown field."
    # what the API itself answered may be sent back unchanged, with the change beside it
    read = lead.get(f"/applications/{app.id}").get_json()
    r = lead.patch(f"/applications/{app.id}", json=read | {"title": "Steel slag, renamed"})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["title"] == "Steel slag, renamed"
    # ...but not changed: the state is the workflow's, never a PATCH's
    r = lead.patch(f"/applications/{app.id}", json={"state": "label_granted", "title": "X"})
    assert r.status_code == 422
    assert error_of(r)["details"]["fields"] == {"state": "state cannot be changed here."}
    assert lead.get(f"/applications/{app.id}").get_json()["title"] == "Steel slag, renamed"

    r = people.officer.patch(
        f"/calls/{world.call.id}", json={"deadline": "2099-12-31", "deadlin": "2099-12-31"}
    )
    assert r.status_code == 422 and set(error_of(r)["details"]["fields"]) == {"deadlin"}
