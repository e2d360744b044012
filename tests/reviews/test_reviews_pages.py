"""Independent reviews and declarations on the application's page, in English and Italian
(issue 14, item 2)."""

from __future__ import annotations

import re

from pagetools import text_of

from tracker.extensions import db

ITALIAN = {"Accept-Language": "it-IT,it;q=0.9,en;q=0.5"}


def page_of(client, app, **kw):
    return client.get(f"/applications/{app.id}", **kw)


def test_first_opening_asks_the_declaration_and_the_buttons_say_why(panel, login):
    member = login(panel.first)
    response = page_of(member, panel.app)
    html, text = response.get_data(as_text=True), text_of(response)
    assert "Before you act: conflict of interest" in text
    assert "I have no conflict of interest on this application" in text
    assert 'name="score_coherence"' not in html  # no review before the declaration
    close = html.split('id="t-close_evaluation"', 1)[1].split("</form>", 1)[0]
    assert "disabled" in close
    assert "Declare first whether you have a conflict of interest" in text_of_html(close)
    assert "declare about a conflict of interest" in text  # the next step says so

    # a conflict without its reason: refused by name, the choice kept
    refused = member.post(f"/applications/{panel.app.id}/declaration", data={"conflict": "yes"})
    assert refused.status_code == 422
    assert "Reason is required." in text_of(refused)
    assert re.search(r'value="yes"[^>]*checked|checked[^>]*value="yes"', refused.get_data(True))
    neither = member.post(f"/applications/{panel.app.id}/declaration", data={})
    assert neither.status_code == 422 and "Say whether you have a conflict" in text_of(neither)
    db.session.expire_all()
    assert panel.app.declarations == []

    done = member.post(f"/applications/{panel.app.id}/declaration", data={"conflict": "no"})
    assert done.status_code == 302
    response = page_of(member, panel.app)
    text = text_of(response)
    assert "Before you act" not in text and "No conflict of interest" in text
    assert 'name="score_coherence"' in response.get_data(as_text=True)


def test_a_declared_conflict_closes_the_application_to_the_member(panel, login):
    member = login(panel.second)
    done = member.post(
        f"/applications/{panel.app.id}/declaration",
        data={"conflict": "yes", "reason": "I advised the lead partner last year."},
    )
    assert done.status_code == 302
    response = page_of(member, panel.app)
    html, text = response.get_data(as_text=True), text_of(response)
    assert "Conflict of interest declared" in text and "I advised the lead partner" in text
    assert "You declared a conflict of interest on this application." in text
    assert 'name="score_coherence"' not in html and 'value="close_evaluation"' not in html


def test_the_review_form_names_every_field_in_error_and_shows_labels(panel, make, login):
    make.declare(panel.app, panel.first)
    member = login(panel.first)
    form = page_of(member, panel.app).get_data(as_text=True)
    # the recommendation offered by its label, its code only as the value sent
    assert re.search(r'value="favourable"[^>]*>\s*<span>Favourable</span>', form)
    refused = member.post(
        f"/applications/{panel.app.id}/reviews",
        data={"score_coherence": "", "score_impact": "61", "comment": "Draft."},
    )
    assert refused.status_code == 422
    summary = refused.get_data(as_text=True).split('id="review-errors"', 1)[1].split("</div>")[0]
    assert "3 fields need attention:" in text_of_html(summary)
    for target, name in (("score_coherence", "Coherence"), ("score_impact", "Impact"),
                         ("recommendation-0", "Recommendation")):  # fmt: skip
        assert f'href="#{target}">{name}</a>' in summary
    assert "Impact must be between 0 and 60." in text_of(refused)
    assert 'value="61"' in refused.get_data(as_text=True)  # what was typed is kept


def test_reviews_stay_hidden_until_ones_own_is_in_and_officers_wait_for_the_close(
    panel, make, login
):
    make.review(panel.app, panel.first, {"coherence": 33, "impact": 44})
    make.declare(panel.app, panel.second)
    second, officer = login(panel.second), login(panel.officer)
    response = page_of(second, panel.app)
    text = text_of(response)
    assert "Solid partnership." not in text and 'class="reviews"' not in response.get_data(True)
    assert "you see the other members’ reviews once yours is in" in text
    text = text_of(page_of(officer, panel.app))
    assert "Solid partnership." not in text and "Average score" not in text
    assert "Officers see the committee’s reviews once the evaluation is closed" in text
    assert "1 of the 2 required reviews submitted" in text

    make.review(panel.app, panel.second, {"coherence": 20, "impact": 30})
    response = page_of(second, panel.app)
    text = text_of(response)
    assert "Solid partnership." in text and "Average score: 63.50" in text
    assert '<td class="num">77</td>' in response.get_data(as_text=True)
    make.fire(panel.app, panel.officer, "close_evaluation", comment="Closed.")
    text = text_of(page_of(officer, panel.app))
    assert "Average score: 63.50" in text and "Officers see" not in text


def test_its_author_changes_a_review_on_its_page_and_its_versions_are_kept(panel, make, login):
    review = make.review(panel.app, panel.first)  # 40 + 60
    make.review(panel.app, panel.second)
    member = login(panel.first)
    url = f"/applications/{panel.app.id}/reviews/{review.id}/edit"
    assert f'href="{url}"' in page_of(member, panel.app).get_data(as_text=True)
    form = member.get(url).get_data(as_text=True)
    assert 'value="40"' in form and 'value="60"' in form and "Solid partnership." in form
    bad = member.post(url, data={"score_coherence": "50", "score_impact": "60",
                                 "recommendation": "favourable"})  # fmt: skip
    assert bad.status_code == 422 and "Coherence must be between 0 and 40." in text_of(bad)
    done = member.post(url, data={"score_coherence": "20", "score_impact": "60",
                                  "recommendation": "unfavourable", "comment": "On reflection."})  # fmt: skip
    assert done.status_code == 302
    text = text_of(page_of(member, panel.app))
    assert f"{panel.first.name} changed their review once" in text
    versions = text_of(member.get(url))
    assert "Submitted on" in versions and "Changed on" in versions
    assert "Changed from the version before: Coherence, Recommendation, Comment." in versions
    # another member may not open it; once closed, nobody changes it
    assert login(panel.second).get(url).status_code == 403
    make.fire(panel.app, panel.officer, "close_evaluation", comment="Closed.")
    closed = member.get(url)
    assert closed.status_code == 409
    assert "The evaluation is closed" in text_of(closed)
    assert str(panel.app.score) == "90.00"  # (80 + 100) / 2: the latest version counts


def test_the_declaration_and_the_review_speak_italian(panel, make, app):
    client = app.test_client()
    client.post("/login", data={"email": panel.first.email, "password": "secret-pass"},
                headers=ITALIAN)  # fmt: skip
    text = text_of(client.get(f"/applications/{panel.app.id}", headers=ITALIAN))
    assert "Prima di procedere: conflitto di interessi" in text
    assert "Non ho alcun conflitto di interessi su questa domanda" in text
    assert "Dichiara prima se hai un conflitto di interessi" in text
    client.post(f"/applications/{panel.app.id}/declaration", data={"conflict": "no"},
                headers=ITALIAN)  # fmt: skip
    text = text_of(client.get(f"/applications/{panel.app.id}", headers=ITALIAN))
    assert "Nessun conflitto di interessi" in text and "Favorevole" in text
    refused = client.post(f"/applications/{panel.app.id}/reviews", data={}, headers=ITALIAN)
    assert "campi da correggere" in text_of(refused)


def text_of_html(html: str) -> str:
    from pagetools import text_of_html as plain

    return plain(html)


def test_the_history_and_the_reviews_are_read_without_the_roles_of_the_people_named(panel, make):
    """The page shows the history's actors and the reviewers by name: their roles, which a
    person's every load used to read (one statement more each), are left unread."""
    from pagetools import counting_queries

    from tracker.applications.queries import history_of, reviews_of

    for member in (panel.first, panel.second):
        make.declare(panel.app, member)
        make.review(panel.app, member)
    db.session.expire_all()
    assert panel.app.id  # the application itself read again before counting
    with counting_queries() as history_reads:
        history = history_of(panel.app)
    with counting_queries() as review_reads:
        reviews = reviews_of(panel.app)
    assert {h.actor.name for h in history} >= {panel.lead.name, panel.officer.name}
    assert {r.reviewer.name for r in reviews} == {panel.first.name, panel.second.name}
    assert history_reads["n"] == 1  # the rows with their actors
    assert review_reads["n"] == 2  # the reviews with their authors, and their revisions
