"""An application names its S3 ecosystem (API and pages); the breakdown follows edits."""

from __future__ import annotations

import pytest

from tracker.dashboards import figures as fig


def api_headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _s3(dw) -> dict[str, int]:
    figures = fig.officer_figures(fig.scope_for(dw.officer, dw.call.id))
    return {r.key: r.total for r in figures.breakdowns["s3_ecosystem"]}


def test_the_api_sets_and_edits_the_s3_ecosystem(dw, make, app):
    client = app.test_client()
    headers = api_headers(make.token(dw.lead))
    note = {k: f"Our {k}." for k in ("challenges", "needs", "objectives", "actions", "investments")}
    body = {"call_id": dw.call.id, "title": "Agri-food chain", "s3_ecosystem": "nutrition",
            "thematic_area": "innovation", "concept_note": note}  # fmt: skip
    created = client.post("/api/v1/applications", json=body, headers=headers)
    assert created.status_code == 201 and created.get_json()["s3_ecosystem"] == "nutrition"
    app_id = created.get_json()["id"]
    bad = client.patch(f"/api/v1/applications/{app_id}", json={"s3_ecosystem": "mining"},
                       headers=headers)  # fmt: skip
    assert bad.status_code == 422
    edited = client.patch(f"/api/v1/applications/{app_id}",
                          json={"s3_ecosystem": "health_life_science"}, headers=headers)  # fmt: skip
    assert edited.get_json()["s3_ecosystem"] == "health_life_science"
    from tracker.applications.models import Application
    from tracker.applications.operations import add_partner
    from tracker.database import commit
    from tracker.documents.operations import upload_agreement
    from tracker.documents.samples import MINIMAL_PDF
    from tracker.extensions import db

    application = db.session.get(Application, app_id)
    for _ in range(dw.call.min_firms - 1):
        add_partner(dw.lead, application, make.organisation().id, "Partner firm", "Data")
    upload_agreement(dw.lead, application, "agreement.pdf", MINIMAL_PDF)
    commit()
    dw.walk(application, [("submit", 0)])
    with app.test_request_context():
        assert _s3(dw) == {"health_life_science": 1}


@pytest.fixture
def login(app):
    def _login(user):
        client = app.test_client()
        assert (
            client.post("/login", data={"email": user.email, "password": "secret-pass"}).status_code
            == 302
        )
        return client

    return _login


def test_the_edit_page_offers_and_saves_the_s3_ecosystem(dw, login):
    application = dw.draft()
    client = login(dw.lead)
    form = client.get(f"/applications/{application.id}/edit").get_data(as_text=True)
    assert 'name="s3_ecosystem"' in form and "Advanced Manufacturing" in form
    data = {"title": "Steel value chain", "thematic_area": "sustainability",
            "s3_ecosystem": "advanced_manufacturing", "version": application.version}  # fmt: skip
    data |= {
        k: f"Our {k}." for k in ("challenges", "needs", "objectives", "actions", "investments")
    }
    saved = client.post(f"/applications/{application.id}/edit", data=data)
    assert saved.status_code == 302
    page = client.get(f"/applications/{application.id}").get_data(as_text=True)
    assert "S3 ecosystem" in page and "Advanced Manufacturing" in page
