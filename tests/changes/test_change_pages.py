"""The partnership change pages: asking, answering, acknowledging, the application's timeline,
the shortfall page, the home queue and the dashboard; in English and Italian."""

from __future__ import annotations

import datetime as dt

from pagetools import text_of
from sqlalchemy import select

from tracker.changes.models import PartnershipChange
from tracker.extensions import db


def _csrf_free(app):
    app.config["WTF_CSRF_ENABLED"] = False


def test_a_firm_asks_to_join_and_the_officer_acknowledges(app, cw, login):
    _csrf_free(app)
    joiner = login(cw.joiner)
    page = joiner.get(f"/applications/{cw.chain.id}/changes/new?kind=join")
    assert page.status_code == 200 and "Joining firm" in text_of(page)
    r = joiner.post(
        f"/applications/{cw.chain.id}/changes/new?kind=join",
        data={"organisation_id": str(cw.joiner_org.id), "role": "Supplier", "reason": "Slag."},
    )
    assert r.status_code == 302, text_of(r)
    change = db.session.scalar(select(PartnershipChange))
    assert joiner.get(f"/changes/{change.id}").status_code == 200
    assert joiner.get(f"/applications/{cw.chain.id}").status_code == 403
    lead = login(cw.lead)
    home = text_of(lead.get("/"))
    # the change waits in the lead's work queue (issue 14: one queue across the workflows)
    waiting = home.split("What waits for you")[1].split("Your applications")[0]
    assert "Partnership change Join: Joining firm" in waiting and "Your move" in waiting
    r = lead.post(f"/changes/{change.id}/transitions", data={"trigger": "accept",
                                                           "version": str(change.version)})  # fmt: skip
    assert r.status_code == 302
    officer = login(cw.officer)
    assert "Joining firm" in text_of(officer.get("/"))
    r = officer.post(f"/changes/{change.id}/transitions",
                     data={"trigger": "acknowledge", "confirm": "y"})  # fmt: skip
    assert r.status_code == 302, text_of(r)
    detail = text_of(lead.get(f"/applications/{cw.chain.id}"))
    assert "Partnership changes" in detail and "Acknowledge the change" in detail
    italian = text_of(lead.get(f"/applications/{cw.chain.id}", headers={"Accept-Language": "it"}))
    assert "Modifiche del partenariato" in italian
    assert "Joining firm" in text_of(lead.get(f"/applications/{cw.chain.id}#partners"))


def test_a_refused_form_keeps_what_was_typed(app, cw, login, make):
    _csrf_free(app)
    lead = login(cw.lead)
    r = lead.post(
        f"/applications/{cw.chain.id}/changes/new?kind=leave",
        data={"organisation_id": str(cw.w.lead_org.id), "reason": "Handing over soon."},
    )
    assert r.status_code == 422
    assert "Handing over soon." in r.get_data(as_text=True)
    assert "change the lead partner first" in text_of(r)
    assert lead.get(f"/applications/{cw.chain.id}/changes/new?kind=merge").status_code == 400
    # any firm may ask to join a chain of the registry; a committee member may not
    assert login(cw.stranger).get(f"/applications/{cw.chain.id}/changes/new").status_code == 200
    reviewer = login(cw.w.reviewers[0])
    assert reviewer.get(f"/applications/{cw.chain.id}/changes/new").status_code == 403


def test_below_the_minimum_the_officer_gives_time(app, cw, login):
    _csrf_free(app)
    change = cw.ask(cw.lead, "leave", cw.partner_org)
    officer = login(cw.officer)
    page = text_of(officer.get(f"/changes/{change.id}"))
    assert "leaves the chain with 2 of the 3 required firms" in page
    cw.fire(change, cw.officer, "acknowledge")
    assert "Below the minimum since" in text_of(officer.get(f"/applications/{cw.chain.id}"))
    board = text_of(officer.get("/dashboard"))
    assert "1 value chain below its call's minimum of firms" in board
    r = officer.post(f"/applications/{cw.chain.id}/shortfall",
                     data={"deadline": "2020-01-01", "reason": "Typed reason."})  # fmt: skip
    assert r.status_code == 422 and "Typed reason." in r.get_data(as_text=True)
    later = (dt.date.today() + dt.timedelta(days=60)).isoformat()
    r = officer.post(f"/applications/{cw.chain.id}/shortfall",
                     data={"deadline": later, "reason": "Two firms join."})  # fmt: skip
    assert r.status_code == 302
    assert "Value chains below their minimum of firms" in text_of(login(cw.lead).get("/"))
    assert login(cw.lead).post(f"/applications/{cw.chain.id}/shortfall",
                               data={"deadline": later, "reason": "x"}).status_code == 403  # fmt: skip


def test_a_drafts_page_reads_no_changes_until_it_is_submitted(app, make, world, login):
    """Changes are asked once a chain is submitted: a draft's page does not look for them."""
    from pagetools import recording_statements

    draft = make.application(world.call, world.lead)
    lead = login(world.lead)

    def tables_read() -> str:
        with recording_statements() as seen:
            assert lead.get(f"/applications/{draft.id}").status_code == 200
        return " ".join(seen)

    read = tables_read()
    assert "FROM partnership_changes" not in read and "FROM chain_shortfalls" not in read
    make.fire(draft, world.lead, "submit")
    read = tables_read()
    assert "FROM partnership_changes" in read and "FROM chain_shortfalls" in read
