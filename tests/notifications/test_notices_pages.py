"""The notices page and the header's count: newest first, unread marked, filtered, paged; opening
a notice marks it read; one's own only; and the count costs one small query per page."""

from __future__ import annotations

import re

import pytest
from noticetools import add_notices, forget_all, notices_of
from pagetools import counting_queries, text_of

from tracker.database import commit
from tracker.extensions import db


def _header_count(response) -> str | None:
    """The count beside "Notices" in the header, as shown (None when there is none)."""
    html = response.get_data(as_text=True)
    assert 'class="notices-link"' in html
    found = re.search(r'class="notices-count" aria-hidden="true">([^<]+)<', html)
    return found.group(1) if found else None


def _subjects(response) -> list[str]:
    return re.findall(
        r'class="notice-subject" href="[^"]+">([^<]+)<', response.get_data(as_text=True)
    )


def test_the_header_counts_the_unread_notices(world, make, chain, login):
    lead = login(world.lead)
    assert _header_count(lead.get("/")) is None  # nothing yet: no count at all
    make.fire(chain.app, world.lead, "submit")
    add_notices(world.lead, 2)
    add_notices(world.lead, 3, read=True)
    page = lead.get("/registry")
    assert _header_count(page) == "3"
    assert "(3 unread)" in text_of(page)  # said to screen readers too
    (receipt,) = notices_of(world.lead, "submission_received")
    lead.post(f"/notifications/{receipt.id}/read")
    assert _header_count(lead.get("/")) == "2"
    assert 'class="notices-link"' not in lead.application.test_client().get("/").get_data(
        as_text=True
    )  # nobody logged in: no notices


def test_the_header_caps_its_count(world, login):
    add_notices(world.lead, 101)
    assert _header_count(login(world.lead).get("/")) == "99+"


def test_the_list_newest_first_unread_marked_filtered_and_paged(world, login):
    add_notices(world.lead, 5)
    older_read = add_notices(world.lead, 1, subject="Read one %d", read=True)[0]
    older_read.created_at = older_read.created_at.replace(year=2020)
    commit()
    client = login(world.lead)
    page = client.get("/notifications")
    assert page.status_code == 200
    assert _subjects(page) == [f"Notice {i}" for i in range(5, 0, -1)] + ["Read one 1"]
    html = page.get_data(as_text=True)
    assert html.count('class="notice notice-unread"') == 5
    assert html.count(">Mark as read</button>") == 5
    assert "Read on " in text_of(page)

    unread = client.get("/notifications?show=unread")
    assert "Read one 1" not in _subjects(unread) and len(_subjects(unread)) == 5

    first = client.get("/notifications?per_page=2")
    second = client.get("/notifications?per_page=2&page=2")
    assert _subjects(first) == ["Notice 5", "Notice 4"]
    assert _subjects(second) == ["Notice 3", "Notice 2"]
    assert "Showing 3–4 of 6" in text_of(second)
    assert client.get("/notifications?show=some").status_code == 400
    assert client.get("/notifications?page=0").status_code == 400


def test_opening_a_notice_marks_it_read_and_goes_to_what_it_is_about(world, make, chain, login):
    make.fire(chain.app, world.lead, "submit")
    (notice,) = notices_of(world.lead)
    client = login(world.lead)
    response = client.get(f"/notifications/{notice.id}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/applications/{chain.app.id}"
    db.session.refresh(notice)
    first_read = notice.read_at
    assert first_read is not None
    client.get(f"/notifications/{notice.id}")
    db.session.refresh(notice)
    assert notice.read_at == first_read  # the first reading is the one kept


def test_mark_one_and_mark_all(world, login):
    notices = add_notices(world.lead, 4)
    client = login(world.lead)
    response = client.post(
        f"/notifications/{notices[0].id}/read", data={"next": "/notifications?show=unread"}
    )
    assert response.headers["Location"] == "/notifications?show=unread"
    db.session.expire_all()
    assert [n.unread for n in notices] == [False, True, True, True]

    # "mark all" marks what the page showed: a notice arriving since stays unread
    page = client.get("/notifications")
    up_to = re.search(r'name="up_to" value="(\d+)"', page.get_data(as_text=True)).group(1)
    (late,) = add_notices(world.lead, 1, subject="Late %d")
    response = client.post("/notifications/read", data={"up_to": up_to}, follow_redirects=True)
    assert "3 notices marked as read." in text_of(response)
    db.session.expire_all()
    assert [n.unread for n in notices] == [False] * 4 and late.unread
    assert _header_count(response) == "1"
    assert client.post("/notifications/read", data={"up_to": "x"}).status_code == 400
    again = client.post("/notifications/read", data={}, follow_redirects=True)
    assert "1 notice marked as read." in text_of(again)
    nothing = client.post("/notifications/read", data={}, follow_redirects=True)
    assert "No unread notice to mark." in text_of(nothing)


def test_only_ones_own_notices(world, make, login):
    (theirs,) = add_notices(world.officer, 1)
    client = login(world.lead)
    assert client.get(f"/notifications/{theirs.id}").status_code == 404
    assert client.post(f"/notifications/{theirs.id}/read").status_code == 404
    client.post("/notifications/read", data={})
    db.session.refresh(theirs)
    assert theirs.unread
    assert "Notice 1" not in text_of(client.get("/notifications"))
    assert login(world.lead).get("/notifications/987654").status_code == 404


def test_the_page_in_italian(world, make, chain, login):
    world.lead.language = "it"
    commit()
    make.fire(chain.app, world.lead, "submit")
    page = login(world.lead).get("/notifications")
    text = text_of(page)
    assert "Avvisi" in text and "Segna tutti come letti" in text and "Da leggere" in text
    (notice,) = notices_of(world.lead)
    assert notice.language == "it" and notice.subject in text


def test_nothing_yet_and_nothing_unread(world, login):
    client = login(world.lead)
    assert "No notice yet." in text_of(client.get("/notifications"))
    assert "No unread notice" in text_of(client.get("/notifications?show=unread"))


def test_a_stranger_is_sent_to_log_in(client):
    assert "/login" in client.get("/notifications").headers["Location"]


# --- what the count costs ----------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/", "/applications", "/notifications", "/registry"])
def test_the_header_count_costs_one_query_whatever_the_notices(world, login, url):
    """One statement reads notices for the header (the list page adds its own), and no page
    costs more with 120 unread notices than with none."""
    client = login(world.lead)
    seen: list[str] = []
    from sqlalchemy import event

    def keep(conn, cursor, statement, *args, **kwargs):
        seen.append(statement)

    client.get(url)
    forget_all()  # commits, as adding notices does: both requests start alike
    with counting_queries() as none:
        client.get(url)
    add_notices(world.lead, 120)
    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        with counting_queries() as many:
            client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
    assert many["n"] == none["n"], "\n".join(s[:150].replace("\n", " ") for s in seen)
    header = [s for s in seen if "notices" in s and "count(" in s.lower() and "LIMIT" in s.upper()]
    assert len(header) == 1, seen


def test_an_anonymous_page_asks_nothing_of_notices(client):
    from sqlalchemy import event

    seen: list[str] = []

    def keep(conn, cursor, statement, *args, **kwargs):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        client.get("/registry")
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
    assert not [s for s in seen if "notices" in s]
