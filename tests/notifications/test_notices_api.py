"""The notices through the API: the list (all or unread, paged, the contract's list shape), the
count, marking one or all read; one's own only (404 for anyone else's). Every answer is checked
against the OpenAPI document's shapes (``apiclient.check_shape``)."""

from __future__ import annotations

import pytest
from apiclient import Api, error_of
from flask_babel import force_locale, gettext
from noticetools import add_notices, notices_of

from tracker.extensions import db


@pytest.fixture
def api(app, make, world):
    return Api(app, make.token(world.lead))


def test_list_newest_first_with_the_contracts_shape(api, world, make, chain):
    make.fire(chain.app, world.lead, "submit")
    add_notices(world.lead, 3, read=True)
    body = api.get("/notifications").get_json()
    assert set(body) == {"items", "page", "per_page", "total"}
    assert (body["page"], body["per_page"], body["total"]) == (1, 50, 4)
    newest = body["items"][0]
    assert newest["kind"] == "submission_received" and newest["unread"] is True
    assert newest["subject"] == f"Received: {chain.app.title}"
    assert newest["link"] == f"http://localhost/applications/{chain.app.id}"
    assert (newest["object_type"], newest["object_id"]) == ("application", chain.app.id)
    assert newest["read_at"] is None and newest["text"]
    assert [i["subject"] for i in body["items"][1:]] == ["Notice 3", "Notice 2", "Notice 1"]

    unread = api.get("/notifications?unread=true").get_json()
    assert [i["kind"] for i in unread["items"]] == ["submission_received"]
    assert unread["total"] == 1
    paged = api.get("/notifications?per_page=2&page=2").get_json()
    assert [i["subject"] for i in paged["items"]] == ["Notice 2", "Notice 1"]
    for bad in ("unread=maybe", "page=0", "per_page=x"):
        response = api.get(f"/notifications?{bad}")
        assert response.status_code == 400, bad


def test_count_and_marking(api, world):
    notices = add_notices(world.lead, 3)
    assert api.get("/notifications/count").get_json() == {"unread": 3}

    first = api.post(f"/notifications/{notices[0].id}/read")
    assert first.status_code == 200
    assert first.get_json()["unread"] is False and first.get_json()["read_at"]
    again = api.post(f"/notifications/{notices[0].id}/read").get_json()
    assert again["read_at"] == first.get_json()["read_at"]  # the first reading is kept
    assert api.get("/notifications/count").get_json() == {"unread": 2}

    (late,) = add_notices(world.lead, 1, subject="Late %d")
    marked = api.post("/notifications/read", json={"up_to": notices[-1].id}).get_json()
    assert marked == {"marked": 2, "unread": 1}  # the late one stays unread
    assert api.post("/notifications/read", json={}).get_json() == {"marked": 1, "unread": 0}
    db.session.expire_all()
    assert not late.unread

    bad = api.post("/notifications/read", json={"up_to": "all"})
    assert bad.status_code == 422 and "up_to" in error_of(bad)["details"]["fields"]
    assert api.post("/notifications/read", json={"up_to": 0}).status_code == 422


def test_only_ones_own(api, app, make, world):
    (theirs,) = add_notices(world.officer, 1)
    response = api.post(f"/notifications/{theirs.id}/read")
    assert response.status_code == 404 and error_of(response)["code"] == "not_found"
    assert api.post("/notifications/987654/read").status_code == 404
    assert api.get("/notifications").get_json()["total"] == 0
    api.post("/notifications/read", json={})
    db.session.refresh(theirs)
    assert theirs.unread
    officer = Api(app, make.token(world.officer))
    assert officer.get("/notifications/count").get_json() == {"unread": 1}
    assert Api(app).get("/notifications").status_code == 401


def test_the_count_is_exact_through_the_api(api, world):
    add_notices(world.lead, 120)
    assert api.get("/notifications/count").get_json() == {"unread": 120}


def test_the_openapi_document_describes_them(api):
    paths = api.get("/openapi.json").get_json()["paths"]
    assert {"/notifications", "/notifications/count", "/notifications/read"} <= set(paths)
    assert "/notifications/{notice_id}/read" in paths
    listed = paths["/notifications"]["get"]
    assert "unread" in {p["name"] for p in listed["parameters"]}


def test_an_italian_reader_reads_italian_notices(api, world, make, chain):
    world.lead.language = "it"
    db.session.commit()
    make.fire(chain.app, world.lead, "submit")
    (notice,) = notices_of(world.lead)
    item = api.get("/notifications").get_json()["items"][0]
    assert item["language"] == "it" and item["subject"] == notice.subject
    with force_locale("it"):
        subject = gettext("Received: %(title)s") % {"title": chain.app.title}
    assert item["subject"] == subject != f"Received: {chain.app.title}"
