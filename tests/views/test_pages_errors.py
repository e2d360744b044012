"""Error pages: whole pages with the site's navigation, never a stack trace."""

from __future__ import annotations

import pytest
from pagetools import text_of


def test_an_unknown_page_is_a_proper_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    page = text_of(response)
    assert "Not found" in page and "Registry" in page and "Go to the home page" in page
    assert '<html lang="en">' in response.get_data(as_text=True)


@pytest.mark.own_app
def test_an_unexpected_error_says_nothing_was_saved(app, client, monkeypatch):
    def boom():
        raise RuntimeError("secret internals")

    app.add_url_rule("/boom", "boom", boom)
    response = client.get("/boom")
    assert response.status_code == 500
    page = text_of(response)
    assert "Something went wrong on our side; nothing was saved." in page
    assert "secret internals" not in page and "Traceback" not in page

    # even when the error page itself cannot be drawn, the answer is a short plain page
    import tracker.web.errors as errors

    def broken(*args, **kwargs):
        raise RuntimeError("template broken")

    monkeypatch.setattr(errors, "render_template", broken)
    response = client.get("/boom")
    assert response.status_code == 500
    assert "Error 500" in text_of(response) and "template broken" not in text_of(response)
