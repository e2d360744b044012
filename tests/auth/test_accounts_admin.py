"""The administration area: people listed and searched, invited by e-mail, their roles and
organisation changed, deactivated with a confirmation; every change in the account audit log."""

from __future__ import annotations

import re

from sqlalchemy import select

from tracker.auth.models import AccountEvent, User
from tracker.extensions import db

GOOD = "blue-heron-at-dawn"


def text(response) -> str:
    return response.get_data(as_text=True)


def fresh(user) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def test_the_list_searches_and_pages(app, make, login):
    admin = make.user("admin")
    for n in range(7):
        make.user("applicant", email=f"zeta{n}@example.org")
    browser = login(admin)
    page = text(browser.get("/admin/people?q=ZETA&per_page=5"))
    assert page.count("zeta") >= 5 and "Showing 1–5 of 7" in page
    assert "zeta" in text(browser.get("/admin/people?q=zeta&per_page=5&page=2"))
    assert "Nobody matches" in text(browser.get("/admin/people?q=no-such-person"))
    assert "Administration" in text(browser.get("/"))  # the navigation shows it to admins


def test_only_admins_see_the_administration_link(make, login):
    assert "/admin/people" not in text(login(make.user("officer")).get("/"))


def test_inviting_a_person(app, make, login, outbox):
    admin = make.user("admin")
    org = make.organisation("Fonderia Lombarda")
    browser = login(admin)
    form = {"name": "Giulia Neri", "email": "Giulia@Example.org", "roles": ["applicant", "reviewer"],
            "organisation": f"IT {org.vat_number}"}  # fmt: skip
    r = browser.post("/admin/people/invite", data=form)
    assert r.status_code == 302, text(r)[:3000]
    person = db.session.scalar(select(User).where(User.email == "giulia@example.org"))
    assert person.roles == ["applicant", "reviewer"] and person.organisation_id == org.id
    assert person.password_hash is None
    (email,) = outbox("invitation")
    assert email.address == "giulia@example.org" and admin.name in email.body
    link = re.search(r"http\S+/invitation/\S+", email.body).group(0)
    path = "/" + link.split("/", 3)[3]
    client = app.test_client()
    assert "Welcome: choose your password" in text(client.get(path))
    weak = client.post(path, data={"new": "giulia@example.org", "new_again": "giulia@example.org"})
    assert weak.status_code == 422 and "e-mail" in text(weak)
    assert client.post(path, data={"new": GOOD, "new_again": GOOD}).status_code == 302
    login(person, GOOD)
    assert client.get(path).status_code == 404, "an invitation works once"
    log = text(browser.get(f"/admin/people/{person.id}"))
    assert "Invited with the roles" in log and "Invitation accepted" in log and admin.name in log


def test_an_invitation_keeps_what_was_typed_on_an_error(make, login, outbox):
    admin = make.user("admin")
    taken = make.user("officer")
    browser = login(admin)
    r = browser.post("/admin/people/invite", data={
        "name": "Someone Typed", "email": taken.email, "roles": ["board"], "organisation": ""})  # fmt: skip
    assert r.status_code == 409
    page = text(r)
    assert "Someone Typed" in page and "already exists" in page
    assert re.search(r'value="board"\s+checked', page)
    r = browser.post("/admin/people/invite", data={
        "name": "No Org", "email": "noorg@example.org", "roles": ["applicant"], "organisation": "12345678903"})  # fmt: skip
    assert r.status_code == 422 and "No organisation with VAT number" in text(r)
    r = browser.post("/admin/people/invite",
                     data={"name": "No Role", "email": "norole@example.org"})  # fmt: skip
    assert r.status_code == 422 and "Roles must be among" in text(r)
    assert outbox("invitation") == []


def test_changing_roles_and_organisation_is_recorded(make, login):
    admin = make.user("admin", email="boss@example.org")
    person = make.user("applicant")
    org = make.organisation("Meccanica Bresciana")
    browser = login(admin)
    r = browser.post(f"/admin/people/{person.id}/edit",
                     data={"roles": ["officer"], "organisation": org.vat_number})  # fmt: skip
    assert r.status_code == 302
    person = fresh(person)
    assert person.roles == ["officer"] and person.organisation_id == org.id
    events = db.session.scalars(select(AccountEvent).where(AccountEvent.user_id == person.id))
    actions = {e.action: e for e in events}
    assert {"roles_changed", "organisation_changed"} <= set(actions)
    assert actions["roles_changed"].actor_id == admin.id
    assert actions["roles_changed"].details == {"before": ["applicant"], "after": ["officer"]}
    page = text(browser.get(f"/admin/people/{person.id}"))
    assert "Roles changed from Applicant to Region officer" in page
    assert "Meccanica Bresciana" in page and admin.name in page


def test_an_admin_cannot_remove_their_own_admin_role(make, login):
    admin = make.user("admin")
    browser = login(admin)
    page = text(browser.get(f"/admin/people/{admin.id}"))
    assert "You cannot remove your own administrator role" in page
    r = browser.post(f"/admin/people/{admin.id}/edit", data={"roles": ["officer"]})
    assert r.status_code == 422 and "ask another administrator" in text(r)
    assert fresh(admin).roles == ["admin"]
    ok = browser.post(f"/admin/people/{admin.id}/edit", data={"roles": ["admin", "officer"]})
    assert ok.status_code == 302 and fresh(admin).roles == ["admin", "officer"]


def test_an_admin_cannot_deactivate_themselves(make, login):
    admin = make.user("admin")
    browser = login(admin)
    assert "You cannot deactivate yourself" in text(
        browser.get(f"/admin/people/{admin.id}/deactivate")
    )
    r = browser.post(f"/admin/people/{admin.id}/deactivate", data={"confirm": "y"})
    assert r.status_code == 409 and fresh(admin).active
    assert browser.get("/admin/people").status_code == 200


def test_deactivation_asks_for_a_confirmation_and_reactivation_works(make, login):
    admin, person = make.user("admin"), make.user("applicant")
    browser = login(admin)
    page = text(browser.get(f"/admin/people/{person.id}/deactivate"))
    assert re.search(r'<label class="check"><input[^>]*name="confirm"', page)
    assert "Yes, deactivate this person" in page
    r = browser.post(f"/admin/people/{person.id}/deactivate", data={})
    assert r.status_code == 422 and fresh(person).active
    assert (
        browser.post(f"/admin/people/{person.id}/deactivate", data={"confirm": "y"}).status_code
        == 302
    )
    assert not fresh(person).active
    assert "Deactivated" in text(browser.get("/admin/people"))
    assert browser.post(f"/admin/people/{person.id}/reactivate").status_code == 302
    assert fresh(person).active
    log = text(browser.get(f"/admin/people/{person.id}"))
    assert "Deactivated: 0 sessions and 0 API tokens ended" in log and "Reactivated" in log


def test_the_administration_speaks_italian(make, login):
    admin = make.user("admin")
    browser = login(admin)
    browser.post("/language", data={"language": "it", "next": "/"})
    page = text(browser.get("/admin/people"))
    assert '<html lang="it"' in page and "Invita una persona" in page
