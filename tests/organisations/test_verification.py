"""Trust in declared facts (issue 11, problem 6): who declared an organisation's data, who verified
them, and the committee's admission waiting for the partners counted toward the call's minimums."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from tracker.applications.operations import add_partner, fire_transition
from tracker.database import commit
from tracker.documents.operations import upload_agreement
from tracker.documents.samples import MINIMAL_PDF
from tracker.errors import Conflict, Forbidden, ValidationFailed
from tracker.extensions import db
from tracker.organisations.models import Organisation
from tracker.organisations.operations import create_organisation, verify_organisation
from tracker.reference import ITALIAN_PROVINCES, LOMBARDY_PROVINCES

PASSWORD = "secret-pass"


def headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def login(app, user):
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def text_of(response) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.get_data(as_text=True), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def csrf(client, url: str) -> str:
    html = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)


@pytest.fixture
def submitted(make, world):
    """A submitted application counting on a Lombard firm its lead registered (unverified)."""
    declared = make.organisation("Acme Srl", province="VA", verified=False, declared_by=world.lead)
    app = make.application(world.call, world.lead, firms=2)
    add_partner(world.lead, app, declared.id, "Supplier", "Parts")
    upload_agreement(world.lead, app, "agreement.pdf", MINIMAL_PDF)  # adding a partner cleared it
    commit()
    make.fire(app, world.lead, "submit")
    return app, declared


# --- who declared, who verified ---------------------------------------------------------------


def test_an_applicants_registration_awaits_verification_an_officers_does_not(make, world):
    mine = create_organisation(world.lead, name="Beta Spa", vat_number=make.vat(), kind="firm",
                               size="small", province="BG")  # fmt: skip
    commit()
    assert (mine.declared_by_id, mine.declared_at) == (world.lead.id, mine.created_at)
    assert not mine.verified and mine.verified_by is None
    theirs = create_organisation(world.officer, name="Gamma Srl", vat_number=make.vat(),
                                 kind="firm", size="small", province="BG")  # fmt: skip
    commit()
    assert theirs.verified and theirs.verified_by_id == world.officer.id
    assert theirs.verified_at is not None and theirs.declared_by_id == world.officer.id


def test_who_may_verify(make, world):
    org = make.organisation("Delta Srl", verified=False, declared_by=world.lead)
    outside_reviewer = make.user("reviewer")  # on no committee
    own_member = make.user("reviewer", organisation=org)
    make.appoint(world.call, own_member)
    for person in (world.lead, outside_reviewer, own_member, make.user("admin")):
        with pytest.raises(Forbidden):
            verify_organisation(person, org)
        db.session.rollback()
    with pytest.raises(ValidationFailed):
        verify_organisation(world.reviewers[0], org, "x" * 501)
    db.session.rollback()
    verify_organisation(world.reviewers[0], org, "Checked on the Registro delle imprese.")
    commit()
    db.session.expire_all()
    assert org.verified and org.verified_by_id == world.reviewers[0].id
    assert org.verification_note == "Checked on the Registro delle imprese."
    with pytest.raises(Conflict):
        verify_organisation(world.officer, org)
    db.session.rollback()
    assert db.session.get(Organisation, org.id).verified_by_id == world.reviewers[0].id


# --- the condition on admit -------------------------------------------------------------------


def test_admission_waits_for_the_counted_partners_to_be_verified(make, world, submitted):
    app, declared = submitted
    make.declare(app, world.reviewers[0])  # no conflict of interest (issue 14)
    with pytest.raises(ValidationFailed) as err:
        fire_transition(world.reviewers[0], app, "admit")
    db.session.rollback()
    assert err.value.details["unmet"] == [
        {
            "condition": "partners_verified",
            "message": "Acme Srl awaits verification of its declared data.",
        }
    ]
    assert app.state == "submitted"
    verify_organisation(world.reviewers[1], declared)
    commit()
    make.fire(app, world.reviewers[0], "admit")
    assert app.state == "under_evaluation"


def test_a_support_application_waits_too(make, world):
    officer = world.officer
    measure = make.call(officer, title="Bando Filiere", workflow="support_application",
                        budget="4000000", max_grant="400000", min_smes=1, label_bonus="10",
                        min_firms=2)  # fmt: skip
    for r in world.reviewers:
        make.appoint(measure, r)
    firms = [make.organisation(f"Firm {n} Srl", verified=False, declared_by=world.lead)
             for n in (1, 2)]  # fmt: skip
    app = make.application(measure, world.lead, firms=0, requested_amount="300000")
    for org in firms:
        add_partner(world.lead, app, org.id, "Partner", "Work")
    commit()
    make.fire(app, world.lead, "submit")
    make.declare(app, world.reviewers[0])  # no conflict of interest (issue 14)
    client = make.app.test_client()
    answer = client.post(
        f"/api/v1/applications/{app.id}/transitions",
        json={"trigger": "admit"},
        headers=headers(make.token(world.reviewers[0])),
    )
    assert answer.status_code == 422
    assert answer.json["error"]["details"]["unmet"] == [
        {
            "condition": "partners_verified",
            "message": "2 partners await verification of their declared data: Firm 1 Srl, "
            "Firm 2 Srl.",
        }
    ]


# --- pages ------------------------------------------------------------------------------------


def test_the_application_page_flags_unverified_partners_and_a_member_verifies_there(
    app, make, world, submitted
):
    application, declared = submitted
    page = f"/applications/{application.id}"
    lead = login(app, world.lead)
    seen = text_of(lead.get(page))
    assert "Acme Srl Awaiting verification" in seen
    assert "Verify" not in seen.replace("verification", "")  # the partnership cannot verify
    member = login(app, world.reviewers[0])
    assert "Verify the declared data of Acme Srl" in member.get(page).get_data(as_text=True)
    answer = member.post(
        f"/organisations/{declared.id}/verification",
        data={"csrf_token": csrf(member, page), "next": f"{page}#partners"},
    )
    assert answer.status_code == 302 and answer.headers["Location"].endswith(f"{page}#partners")
    assert "Awaiting verification" not in text_of(member.get(page))
    db.session.expire_all()
    assert declared.verified_by_id == world.reviewers[0].id


def test_the_organisation_page_shows_the_declaration_and_keeps_a_refused_note(
    app, make, world, submitted
):
    _application, declared = submitted
    url = f"/organisations/{declared.id}"
    officer = login(app, world.officer)
    seen = text_of(officer.get(url))
    assert "Awaiting verification" in seen and world.lead.name in seen
    assert "Varese (VA)" in seen
    typed = "Visura camerale " + "x" * 500
    answer = officer.post(
        f"{url}/verification", data={"csrf_token": csrf(officer, url), "note": typed}
    )
    assert answer.status_code == 422
    assert typed in answer.get_data(as_text=True)  # what was typed comes back
    assert "Note must be at most 500 characters." in text_of(answer)
    answer = officer.post(
        f"{url}/verification",
        data={"csrf_token": csrf(officer, url), "note": "Visura camerale checked."},
    )
    assert answer.status_code == 302
    seen = text_of(officer.get(url))
    assert f"by {world.officer.name} on" in seen and "Visura camerale checked." in seen
    applicant = login(app, world.lead)
    answer = applicant.post(f"{url}/verification", data={"csrf_token": csrf(applicant, url)})
    assert answer.status_code == 403  # never by the applicant
    answer = officer.post(f"{url}/verification", data={"csrf_token": csrf(officer, url)})
    assert answer.status_code == 409 and "Acme Srl is already verified." in text_of(answer)


def test_the_form_offers_italian_provinces_and_refuses_others(app, make, world):
    client = login(app, world.lead)
    html = client.get("/organisations/new").get_data(as_text=True)
    assert '<select id="province" name="province"' in html
    assert all(f'value="{code}"' in html for code in ITALIAN_PROVINCES)
    token = csrf(client, "/organisations/new")
    form = {"csrf_token": token, "name": "Zeta Srl", "vat_number": make.vat(), "kind": "firm",
            "size": "small", "province": "ZZ", "lombardy_seat": "auto"}  # fmt: skip
    answer = client.post("/organisations/new", data=form)
    assert answer.status_code == 422
    assert "two-letter code of an Italian province" in text_of(answer)
    assert 'value="Zeta Srl"' in answer.get_data(as_text=True)
    answer = client.post("/organisations/new", data=form | {"province": "SU"})
    assert answer.status_code == 302
    org = db.session.scalar(select(Organisation).where(Organisation.name == "Zeta Srl"))
    assert org.province == "SU" and not org.lombardy_seat
    assert org.declared_by_id == world.lead.id and not org.verified


# --- API ---------------------------------------------------------------------------------------


def test_the_api_answers_who_declared_and_verifies(app, make, world):
    client = app.test_client()
    lead, officer = headers(make.token(world.lead)), headers(make.token(world.officer))
    body = {"name": "Eta Srl", "vat_number": make.vat(), "kind": "firm", "size": "micro",
            "province": "bs"}  # fmt: skip
    created = client.post("/api/v1/organisations", json=body, headers=lead)
    assert created.status_code == 201
    org = created.json
    assert (org["province"], org["lombardy_seat"]) == ("BS", True)
    assert (org["verified"], org["declared_by"], org["verified_at"], org["verified_by"]) == (
        False, world.lead.id, None, None,
    )  # fmt: skip
    assert org["declared_at"]
    bad = client.post("/api/v1/organisations", json=body | {"vat_number": make.vat(),
                      "province": "XY"}, headers=lead)  # fmt: skip
    assert bad.status_code == 422 and "province" in bad.json["error"]["details"]["fields"]
    url = f"/api/v1/organisations/{org['id']}/verification"
    assert client.post(url, json={}, headers=lead).status_code == 403
    done = client.post(url, json={"note": "Checked."}, headers=officer)
    assert done.status_code == 200
    assert (done.json["verified"], done.json["verified_by"]) == (True, world.officer.id)
    assert done.json["verification_note"] == "Checked."
    assert client.post(url, json={}, headers=officer).status_code == 409
    got = client.get(f"/api/v1/organisations/{org['id']}", headers=lead).json
    assert got == done.json
    listed = client.get("/api/v1/organisations?q=Eta Srl", headers=lead).json["items"]
    assert listed == [done.json]
    officers_own = client.post(
        "/api/v1/organisations", json=body | {"name": "Theta Srl", "vat_number": make.vat()},
        headers=officer,
    ).json  # fmt: skip
    assert officers_own["verified"] and officers_own["verified_by"] == world.officer.id


def test_the_openapi_document_describes_the_verification(app, make, world):
    doc = app.test_client().get("/api/v1/openapi.json").json
    operation = doc["paths"]["/organisations/{organisation_id}/verification"]["post"]
    assert {"200", "403", "409"} <= set(operation["responses"])
    schema = doc["components"]["schemas"]["OrganisationOut"]["properties"]
    assert {"verified", "declared_by", "declared_at", "verified_at", "verified_by"} <= set(schema)


# --- where the condition shows ----------------------------------------------------------------


@pytest.mark.parametrize("workflow", ["value_chain", "support_application"])
def test_the_condition_shows_like_every_condition(app, workflow):
    from workflows import WORKFLOWS
    from workflows.diagram import mermaid

    admit = WORKFLOWS[workflow].transition("admit")
    # after the member's declaration about a conflict of interest (issue 14); value_chain also
    # checks, at admission, a firm as lead where the call requires it (issue 15)
    before = ["conflict_not_declared"] + (["lead_is_firm"] if workflow == "value_chain" else [])
    assert [c.name for c in admit.conditions] == [*before, "partners_verified"]
    shown = CliRunner().invoke(app.cli, ["workflows", "show", workflow]).output
    assert "if partners_verified: Every partner counted toward the call's minimums" in shown
    named = " & ".join([*before, "partners_verified"])
    assert f"submitted --> under_evaluation: admit [{named}]" in mermaid(WORKFLOWS[workflow])
    page = text_of(app.test_client().get(f"/workflows/{workflow}"))
    assert "has had its declared data verified by a Region officer or a committee member" in page


def test_the_reference_list_holds_the_107_provinces():
    assert len(ITALIAN_PROVINCES) == 107
    assert set(LOMBARDY_PROVINCES) <= set(ITALIAN_PROVINCES)
    assert all(re.fullmatch("[A-Z]{2}", code) for code in ITALIAN_PROVINCES)


# --- migration 0010 -----------------------------------------------------------------------------


@pytest.mark.fresh_database
def test_organisations_entered_before_the_rule_migrate_as_verified(empty_database):
    """Every row is kept, verified at its registration time by nobody in particular, a province
    outside the list included; and down and up again."""
    import importlib.util
    from pathlib import Path

    from flask_migrate import downgrade, upgrade
    from sqlalchemy import inspect, text

    path = Path(__file__).parents[2] / "migrations" / "versions" / "0010_verification.py"
    spec = importlib.util.spec_from_file_location("migration_0010", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    before = migration.down_revision
    upgrade(revision=before)
    insert = text(
        "INSERT INTO organisations (id, name, vat_number, kind, size, province, city, "
        "lombardy_seat, created_at) VALUES (:id, :name, :vat, 'firm', 'small', :province, "
        "'Brescia', :seat, :at)"
    )
    with db.engine.begin() as conn:
        conn.execute(
            insert,
            {
                "id": 1,
                "name": "Old Srl",
                "vat": "12345678903",
                "province": "BS",
                "seat": True,
                "at": "2023-01-02 03:04:05",
            },
        )
        conn.execute(
            insert,
            {
                "id": 2,
                "name": "Odd Srl",
                "vat": "00000010150",
                "province": "ZZ",
                "seat": False,
                "at": "2024-05-06 07:08:09",
            },
        )
    upgrade()
    with db.engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT id, province, declared_by_id, verified_by_id, verification_note, "
            "verified_at = created_at FROM organisations ORDER BY id"
        )).all()  # fmt: skip
    assert [tuple(r) for r in rows] == [(1, "BS", None, None, None, True),
                                        (2, "ZZ", None, None, None, True)]  # fmt: skip
    assert all(o.verified for o in db.session.scalars(select(Organisation)))
    db.session.remove()  # its transaction would hold the table that downgrade alters
    downgrade(revision=before)
    columns = {c["name"] for c in inspect(db.engine).get_columns("organisations")}
    assert "verified_at" not in columns and "declared_by_id" not in columns
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM organisations")).scalar() == 2
    upgrade()
