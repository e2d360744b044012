"""The report pages: filing from the application's page, the report's form (what was typed kept
on a refusal), the disabled button and why, the Region's answer, the home queues and the
dashboard; in English and Italian."""

from __future__ import annotations

from pagetools import text_of
from reportworld import INDICATORS
from sqlalchemy import select

from tracker.extensions import db
from tracker.reports.models import Report


def _csrf_free(app):
    app.config["WTF_CSRF_ENABLED"] = False


def test_a_periodic_report_on_pages(app, rw, login):
    _csrf_free(app)
    lead = login(rw.lead)
    chain = text_of(lead.get(f"/applications/{rw.chain.id}"))
    assert "Monitoring reports" in chain and "File the next periodic report" in chain
    assert "Overdue" in chain  # yearly since the decree of 10 Nov 2022
    home = text_of(lead.get("/"))
    assert "Overdue reports" in home and "Periodic report no. 1" in home
    r = lead.post(f"/applications/{rw.chain.id}/reports", data={"kind": "periodic"})
    assert r.status_code == 302, text_of(r)
    report = db.session.scalar(select(Report))
    page = text_of(lead.get(f"/reports/{report.id}"))
    assert "Periodic report no. 1" in page and "Draft" in page
    # the submit button is disabled, and the page says why
    assert "The report lacks its indicators" in page
    bad = lead.post(f"/reports/{report.id}", data={"partners": "many", "firms": "3",
                                                    "summary": "A good year."})  # fmt: skip
    assert bad.status_code == 422
    assert "A good year." in bad.get_data(as_text=True) and "whole number" in text_of(bad)
    ok = lead.post(f"/reports/{report.id}", data={k: str(v) for k, v in INDICATORS.items()})
    assert ok.status_code == 302
    r = lead.post(f"/reports/{report.id}/transitions", data={"trigger": "submit"})
    assert r.status_code == 302, text_of(r)
    officer = login(rw.officer)
    home = text_of(officer.get("/"))  # in the officer's work queue
    assert "Monitoring report" in home and "Periodic report no. 1" in home
    refused = officer.post(f"/reports/{report.id}/transitions",
                           data={"trigger": "return_for_changes"})  # fmt: skip
    assert refused.status_code == 422
    r = officer.post(f"/reports/{report.id}/transitions",
                     data={"trigger": "accept", "confirm": "y"})  # fmt: skip
    assert r.status_code == 302, text_of(r)
    page = text_of(lead.get(f"/reports/{report.id}"))
    assert "Accepted" in page and "250,000.50" in page
    dashboard = text_of(officer.get("/dashboard"))
    assert "Monitoring reports" in dashboard and "reports overdue" in dashboard
    listed = text_of(officer.get("/reports?kind=periodic&state=accepted"))
    assert "Periodic report no. 1" in listed
    assert officer.get("/reports?kind=yearly").status_code == 400
    italian = text_of(lead.get(f"/reports/{report.id}", headers={"Accept-Language": "it"}))
    assert "Relazione periodica n. 1" in italian and "Accettata" in italian
    it_chain = text_of(lead.get(f"/applications/{rw.chain.id}", headers={"Accept-Language": "it"}))
    assert "Relazioni di monitoraggio" in it_chain


def test_a_project_shows_its_spend_against_the_grant(app, rw, login, make):
    _csrf_free(app)
    lead = login(rw.lead)
    project = text_of(lead.get(f"/applications/{rw.project.id}"))
    assert "File the final report" in project and "File the next progress report" in project
    lead.post(f"/applications/{rw.project.id}/reports", data={"kind": "final"})
    report = db.session.scalar(select(Report))
    lead.post(f"/reports/{report.id}", data={"spend": "120000"})
    page = text_of(lead.get(f"/reports/{report.id}"))
    assert "Spend against the grant" in page and "300,000.00" in page and "120,000.00" in page
    # a second final report is not offered, and refused when forced
    assert "File the final report" not in text_of(lead.get(f"/applications/{rw.project.id}"))
    again = lead.post(f"/applications/{rw.project.id}/reports", data={"kind": "final"})
    assert again.status_code == 302
    assert "already filed" in text_of(lead.get(again.headers["Location"]))
    # a partner reads it, but neither changes nor files
    partner = login(make.user("applicant", organisation=rw.project.partners[1].organisation))
    assert partner.get(f"/reports/{report.id}").status_code == 200
    assert partner.post(f"/reports/{report.id}", data={"spend": "1"}).status_code == 403


def test_a_chain_never_labelled_is_not_looked_for_reports(app, make, world, rw, login):
    """A value chain reports while it holds its label: its page does not look for reports
    before one was granted; a labelled chain's does."""
    from pagetools import recording_statements

    draft = make.application(world.call, world.lead)
    lead = login(rw.lead)

    def reads_reports(app_id: int) -> bool:
        with recording_statements() as seen:
            assert lead.get(f"/applications/{app_id}").status_code == 200
        return any("FROM reports" in s for s in seen)

    assert not reads_reports(draft.id)
    assert reads_reports(rw.chain.id)  # labelled
