"""The pages: select on the filtered list, confirm with the decree typed once, the result page."""

from __future__ import annotations

import re

from bulkworld import DECREE
from pagetools import text_of
from sqlalchemy import select

from tracker.applications.models import Application, BulkDecision
from tracker.extensions import db

ITALIAN = {"Accept-Language": "it"}


def _form(ids, versions=None, **extra):
    body = {
        "trigger": "grant_label",
        "ids": [str(i) for i in ids],
        "confirm": "y",
        "data-decree_number": DECREE["decree_number"],
        "data-decree_date": DECREE["decree_date"],
        "back": "/applications?state=evaluated",
    }
    for i, v in (versions or {}).items():
        body[f"version-{i}"] = str(v)
    return body | extra  # fmt: skip


def test_the_filtered_list_offers_checkboxes_and_the_officers_decisions(desk, login):
    apps = desk.evaluated(2)
    officer = login(desk.officer)
    page = officer.get("/applications?state=evaluated").get_data(as_text=True)
    assert 'form="bulk-form"' in page and f'value="{apps[0].id}"' in page
    assert "data-select-all" in page and "All on this page" in text_of_html(page)
    assert re.search(r'<option value="grant_label">Grant the quality label</option>', page)
    assert '<option value="reject">' in page
    # a committee member is offered their own triggers only; no state chosen: no checkboxes
    reviewer = login(desk.reviewer).get("/applications?state=evaluated").get_data(as_text=True)
    assert 'value="grant_label"' not in reviewer and "bulk-form" not in reviewer
    assert "bulk-form" not in officer.get("/applications").get_data(as_text=True)


def text_of_html(html: str) -> str:
    from pagetools import text_of_html as read

    return read(html)


def test_select_confirm_decide_and_see_the_result(desk, login):
    good = desk.evaluated(2)
    low = desk.evaluated(1, scores={"coherence": 10, "impact": 10}, title="Low")[0]
    officer = login(desk.officer)
    ids = [good[0].id, low.id, good[1].id]
    confirm = officer.get("/applications/bulk", query_string={"trigger": "grant_label", "ids": ids})
    text = text_of(confirm)
    assert confirm.status_code == 200
    assert "Grant the quality label: 3 applications selected" in text
    assert "2 of them allow it now" in text
    assert "Will be refused Average score 20.00 is below the threshold of 60.00." in text
    assert "Grant the quality label: 2 applications" in text  # the button
    assert 'data-working="Working…"' in confirm.get_data(as_text=True)
    sent = officer.post("/applications/bulk", data=_form(ids))
    assert sent.status_code == 303
    result_url = sent.headers["Location"]
    assert re.fullmatch(r"/applications/bulk/\d+", result_url)
    result = text_of(officer.get(result_url))
    assert "2 applications done. 1 refused" in result
    assert "Average score 20.00 is below the threshold of 60.00." in result
    assert "Decree number: 15907" in result
    # reloading the result decides nothing again: it is a page of its own
    assert text_of(officer.get(result_url)) == result
    db.session.expire_all()
    states = [db.session.get(Application, i).state for i in ids]
    assert states == ["label_granted", "evaluated", "label_granted"]
    italian = text_of(officer.get(result_url, headers=ITALIAN))
    assert "2 domande fatte." in italian and "Rifiutata" in italian
    # only its author reads it
    assert login(desk.reviewer).get(result_url).status_code == 404


def test_all_on_this_page_takes_every_row(desk, login):
    apps = desk.evaluated(2)
    officer = login(desk.officer)
    page = officer.get(
        "/applications/bulk",
        query_string={"trigger": "grant_label", "all": "page",
                      "page_ids": [a.id for a in apps]},
    )  # fmt: skip
    assert "2 applications selected" in text_of(page)


def test_a_form_typed_wrong_comes_back_with_what_was_typed(desk, login):
    apps = desk.evaluated(1)
    officer = login(desk.officer)
    no_date = officer.post(
        "/applications/bulk", data=_form([a.id for a in apps], **{"data-decree_date": "",
                                                                   "comment": "Decree of today"})
    )  # fmt: skip
    assert no_date.status_code == 422
    html = no_date.get_data(as_text=True)
    assert "Decree date is required." in text_of(no_date)
    assert 'value="15907"' in html and "Decree of today</textarea>" in html
    unconfirmed = officer.post("/applications/bulk", data=_form([a.id for a in apps], confirm=""))
    assert unconfirmed.status_code == 422 and "Tick this box to confirm." in text_of(unconfirmed)
    assert db.session.scalar(select(BulkDecision.id)) is None
    db.session.expire_all()
    assert db.session.get(Application, apps[0].id).state == "evaluated"


def test_a_stale_item_is_refused_and_said_so(desk, login):
    apps = desk.evaluated(2)
    officer = login(desk.officer)
    ids = [a.id for a in apps]
    versions = {apps[0].id: apps[0].version - 1, apps[1].id: apps[1].version}
    sent = officer.post("/applications/bulk", data=_form(ids, versions))
    result = text_of(officer.get(sent.headers["Location"]))
    assert "1 application done. 1 refused" in result
    assert "Someone else changed this application meanwhile" in result


def test_nothing_selected_goes_back_to_the_list_saying_so(desk, login):
    desk.evaluated(1)
    officer = login(desk.officer)
    back = officer.get("/applications/bulk?trigger=grant_label&back=/applications?state=evaluated")
    assert back.status_code == 303 and back.headers["Location"] == "/applications?state=evaluated"
    assert "Select at least one application." in text_of(officer.get(back.headers["Location"]))
    elsewhere = officer.get("/applications/bulk?trigger=grant_label&back=//evil.example.org/")
    assert elsewhere.headers["Location"] == "/applications"
