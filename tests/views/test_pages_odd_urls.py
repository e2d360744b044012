"""Hand-typed and forged URLs get a clear 400/404 page, never a 500, for every kind of user."""

import pytest

BIG = "99999999999999999999"
ODD = [
    (f"/applications/{BIG}", 404),
    (f"/calls/{BIG}", 404),
    (f"/applications?call_id={BIG}", 400),
    (f"/applications/new?call_id={BIG}", 400),
    ("/applications?call_id=abc", 400),
    ("/applications?q=%00abc", 400),
    ("/applications?state=%00", 400),
    (f"/applications?q={'x' * 500}", 400),
    ("/organisations?q=%00", 400),
    (f"/organisations?page={BIG}", 400),
    (f"/registry?page={BIG}", 400),
    ("/registry?per_page=abc", 400),
    ("/applications/0", 404),
    ("/workflows/nope", 404),
]


@pytest.mark.parametrize("who", ["officer", "applicant", "reviewer"])
def test_odd_urls_are_refused_clearly(make, login, who):
    user = make.user(who, organisation=make.organisation())
    client = login(user)
    for url, status in ODD:
        response = client.get(url)
        assert response.status_code == status, url
        assert b"<html" in response.data and b"Traceback" not in response.data


def test_forged_ids_in_forms_are_validation_errors(make, world, login):
    app = make.application(world.call, world.lead, complete=False)
    client = login(world.lead)
    response = client.post(
        f"/applications/{app.id}/partners", data={"organisation_id": BIG, "role": "x"}
    )
    assert response.status_code in (200, 422)
    assert b"organisation" in response.data.lower()
    officer = login(world.officer)
    response = officer.post(f"/calls/{world.call.id}/committee", data={"user_id": BIG})
    assert response.status_code in (200, 422)


def test_head_answers_as_get_on_every_form_page(make, world, login, client):
    """HEAD is GET without a body (monitors and link checkers send it): on the pages that also
    take a POST it used to run the form's validation and answer 422."""
    application = make.application(world.call, world.lead, complete=False)
    pages = ["/login", "/organisations/new", "/calls/new", f"/applications/new?call_id={world.call.id}",
             f"/applications/{application.id}/edit", "/communities/new", "/proposals/new"]  # fmt: skip
    officer = login(world.officer)
    lead = login(world.lead)
    for path in pages:
        for who in (client, officer, lead):
            get, head = who.get(path), who.head(path)
            assert head.status_code == get.status_code, (path, head.status_code, get.status_code)
            assert head.data == b""
