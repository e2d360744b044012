"""What trying the app in a browser found (issue 14, item 7), each held by a page test."""

from __future__ import annotations

import re

from pagetools import text_of


def test_the_login_form_focuses_one_field_and_never_writes_autofocus_none(make, client):
    html = client.get("/login").get_data(as_text=True)
    assert "None" not in html
    assert re.search(r'<input[^>]*autofocus[^>]*name="email"', html)
    assert not re.search(r'<input[^>]*autofocus[^>]*name="password"', html)

    user = make.user("applicant", email="giulia@example.org")
    refused = client.post("/login", data={"email": user.email, "password": "wrong"})
    html = refused.get_data(as_text=True)
    assert "None" not in html and "Wrong email or password." in text_of(refused)
    assert re.search(r'<input[^>]*autofocus[^>]*name="password"', html)
    assert not re.search(r'<input[^>]*autofocus[^>]*name="email"', html)
