"""Fixtures of the list tests: a small world of applications spread over calls, states, the
leads' provinces and thematic areas."""

from __future__ import annotations

import pytest


@pytest.fixture
def login(app):
    def _login(user, password: str = "secret-pass"):
        client = app.test_client()
        response = client.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302
        return client

    return _login


@pytest.fixture
def spread(make, world):
    """Six applications: in two calls, submitted or not, granted or under evaluation, by leads in
    Brescia and Como, on two thematic areas."""
    other_call = make.call(world.officer, title="Second window")
    for r in world.reviewers:
        make.appoint(other_call, r)
    como_org = make.organisation("Setificio Lariano", province="CO")
    como = make.user("applicant", organisation=como_org)
    made = {}

    def app(key, call, lead, title, area, moves=()):
        a = make.application(call, lead, title=title, thematic_area=area)
        for trigger in moves:
            if trigger == "reviews":
                for r in world.reviewers:
                    make.review(a, r)
                continue
            who = lead if trigger == "submit" else world.officer
            data = {"decree_number": "18573", "decree_date": "2023-03-15"}
            make.fire(a, who, trigger, **(data if trigger == "grant_label" else {}))
        made[key] = a

    graded = ("submit", "admit", "reviews", "close_evaluation")
    app("steel", world.call, world.lead, "Steel slag value chain", "sustainability",
        (*graded, "grant_label"))  # fmt: skip
    app("draft", world.call, world.lead, "Brescia draft chain", "sustainability")
    app("review", world.call, world.lead, "Foundry value chain", "innovation",
        ("submit", "admit"))  # fmt: skip
    app("silk", other_call, como, "Silk value chain", "innovation", ("submit",))
    app("dyes", other_call, como, "Natural dyes chain", "sustainability", (*graded, "grant_label"))
    app("late", other_call, como, "Late chain", "innovation", ("submit", "admit"))
    return type("Spread", (), {"apps": made, "other_call": other_call, "como": como})
