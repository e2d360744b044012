"""The main journey, clicked through in headless Chromium, in English and in Italian: a lead
writes a concept note, adds the partners and records the signed agreement, submits; a committee
member admits it, scores it (a mistyped score is refused and everything typed is kept) and closes
the evaluation; the officer grants the quality label by decree (forgetting the date first: the
decree number and comment are kept); the public registry lists the value chain. A new
application refused for want of a title keeps its concept note.

Every person has a browser context of their own. Fields and buttons are found by their names and
the forms' ids, never by their words, so the same steps run in both languages; what the pages say
is checked in the page's language, through the compiled catalogues.
"""

from __future__ import annotations

import re

import pytest
from i18ncheck import translator

# one Chromium and one live site per worker: the browser tests share a worker (--dist loadgroup)
pytestmark = pytest.mark.xdist_group("browser")

NOTE = ("challenges", "needs", "objectives", "actions", "investments")
#: who plays each part, and the partners they bring, per language
CAST = {
    "en": {
        "lead": "lead", "reviewer": "reviewer", "title": "Brescia green steel value chain",
        "partners": ["Acciaierie Valsabbia", "Feralpi Siderurgica"], "decree": "18574",
    },
    "it": {
        "lead": "lead_it", "reviewer": "reviewer_it", "title": "Filiera della seta di Como",
        "partners": ["Setificio Lariano", "Tintoria di Como"], "decree": "18575",
    },
}  # fmt: skip


def badge(page) -> str:
    return page.locator(".page-head .badge").first.inner_text().strip()


def send_without_browser_checks(page, form: str) -> None:
    """Let the server judge the form (as an old browser would): no HTML5 validation."""
    page.eval_on_selector(form, "f => { f.noValidate = true; }")


def add_partner(page, organisation_id: int, role: str, name: str) -> None:
    # the form offers the organisations a search finds (there are tens of thousands)
    page.fill("#partner-q", name)
    with page.expect_navigation():
        page.locator("#partner-q").press("Enter")
    form = page.locator("#add-partner")
    form.locator("select[name=organisation_id]").select_option(str(organisation_id))
    form.locator("input[name=role]").fill(role)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def fire(page, trigger: str, comment: str = "") -> None:
    form = page.locator(f"#t-{trigger}")
    if comment:
        form.locator("textarea[name=comment]").fill(comment)
    confirm = form.locator("input[name=confirm]")
    if confirm.count():
        confirm.check()
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


@pytest.mark.parametrize("lang", ["en", "it"])
def test_from_concept_note_to_the_registry(as_user, site, lang):
    cast, _ = CAST[lang], translator(lang)
    options = {"locale": "it-IT"} if lang == "it" else {}

    # the lead writes the concept note
    lead = as_user(getattr(site, cast["lead"]), **options)
    assert lead.locator("html").get_attribute("lang") == lang
    lead.goto(f"{site.base}/applications/new?call_id={site.call}")
    assert lead.locator("label[for=title]").inner_text().startswith(_("Title"))
    lead.fill("#title", cast["title"])
    lead.check("input[name=thematic_areas][value=sustainability]")
    for key in NOTE:
        lead.fill(f"#{key}", f"Our {key}, in a few words.")
    with lead.expect_navigation():
        lead.click("main form[method=post] button[type=submit]")
    match = re.search(r"/applications/(\d+)$", lead.url)
    assert match, lead.url
    url = lead.url
    assert badge(lead) == _("Draft")
    assert lead.locator("h1").inner_text() == cast["title"]

    # the partners and the signed agreement, then the submission
    for n, name in enumerate(cast["partners"]):
        add_partner(lead, site.partners[name], f"Partner {n + 1}", name)
        assert lead.locator("#partners tbody tr", has_text=name).count() == 1
    # issue 14: the agreement is signed by uploading its PDF, the only way
    from tracker.documents.samples import MINIMAL_PDF

    signed = {"name": "accordo.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}
    lead.set_input_files("#agreement-upload input[type=file]", files=signed)
    with lead.expect_navigation():
        lead.click("#agreement-upload button[type=submit]")
    assert lead.locator("#agreement > p .badge.tone-success").count() == 1  # signed
    assert lead.locator("#agreement table", has_text="accordo.pdf").count() == 1
    fire(lead, "submit")
    assert badge(lead) == _("Submitted")

    # a committee member admits it and scores it; a score over the maximum is refused
    reviewer = as_user(getattr(site, cast["reviewer"]), **options)
    reviewer.goto(url)
    # first, the declaration about a conflict of interest the page asks for (issue 14)
    declaration = reviewer.locator("#declaration")
    declaration.locator("input[name=conflict][value=no]").check()
    with reviewer.expect_navigation():
        declaration.locator("button[type=submit]").click()
    assert reviewer.locator("#declaration").count() == 0
    fire(reviewer, "admit")
    assert badge(reviewer) == _("Under evaluation")
    review = reviewer.locator("#review-form")
    assert review.locator("legend").first.inner_text().startswith(_("Recommendation"))
    review.locator("#score_coherence").fill("45")  # of 40
    review.locator("#score_impact").fill("50")
    review.locator("input[name=recommendation][value=favourable]").check()
    review.locator("textarea[name=comment]").fill("A strong partnership on slag.")
    send_without_browser_checks(reviewer, "#review-form")
    with reviewer.expect_navigation():
        review.locator("button[type=submit]").click()
    review = reviewer.locator("#review-form")
    assert review.locator(".field-error, .alert-error").count() >= 1
    assert review.locator("#score_coherence").get_attribute("aria-invalid") == "true"
    assert review.locator("#score_coherence").input_value() == "45"
    assert review.locator("#score_impact").input_value() == "50"
    assert review.locator("input[value=favourable]").is_checked()
    assert review.locator("textarea[name=comment]").input_value() == "A strong partnership on slag."
    review.locator("#score_coherence").fill("35")
    with reviewer.expect_navigation():
        review.locator("button[type=submit]").click()
    assert reviewer.locator("#reviews table.reviews").count() == 1
    fire(reviewer, "close_evaluation")
    assert badge(reviewer) == _("Evaluated")

    # the officer grants the label; without the decree date nothing happens, nothing is lost
    officer = as_user(site.officer, **options)
    officer.goto(url)
    grant = officer.locator("#t-grant_label")
    assert (
        grant.locator("label[for=t-grant_label-decree_number]")
        .inner_text()
        .startswith(_("Decree number"))
    )
    grant.locator("input[name=data-decree_number]").fill(cast["decree"])
    grant.locator("textarea[name=comment]").fill("Recognised by the committee's score.")
    grant.locator("input[name=confirm]").check()
    send_without_browser_checks(officer, "#t-grant_label")
    with officer.expect_navigation():
        grant.locator("button[type=submit]").click()
    assert badge(officer) == _("Evaluated")
    grant = officer.locator("#t-grant_label")
    assert grant.locator(".alert-error, .field-error").count() >= 1
    assert grant.locator("input[name=data-decree_number]").input_value() == cast["decree"]
    assert grant.locator("textarea[name=comment]").input_value() == (
        "Recognised by the committee's score."
    )
    assert grant.locator("input[name=confirm]").is_checked()
    grant.locator("input[name=data-decree_date]").fill("2026-11-20")
    with officer.expect_navigation():
        grant.locator("button[type=submit]").click()
    assert badge(officer) == _("Quality label granted")
    label = officer.locator(".label-box")
    assert cast["decree"] in label.inner_text()

    # anyone reads it in the public registry
    visitor = as_user(None, **options)
    visitor.goto(f"{site.base}/registry")
    assert visitor.locator("html").get_attribute("lang") == lang
    row = visitor.locator("tr", has_text=cast["title"])
    assert row.count() == 1, visitor.locator("main").inner_text()[:2000]
    assert cast["decree"] in row.inner_text()
    nav = visitor.locator("nav.main-nav").inner_text()
    assert _("Registry") in nav and _("Workflows") in nav


def test_a_refused_new_application_keeps_what_was_typed(as_user, site):
    lead = as_user(site.lead)
    lead.goto(f"{site.base}/applications/new?call_id={site.call}")
    lead.check("input[name=thematic_areas][value=innovation]")
    lead.select_option("#ateco_section", "C")
    lead.fill("#challenges", "Slag that ends in landfill.")
    lead.fill("#investments", "EUR 2 million in a sorting plant.")
    send_without_browser_checks(lead, "main form[method=post]")
    with lead.expect_navigation():
        lead.click("main form[method=post] button[type=submit]")  # no title
    assert "/applications/new" in lead.url
    assert lead.locator(".alert-error, .field-error").count() >= 1
    assert lead.locator("#title").get_attribute("aria-invalid") == "true"
    assert lead.locator("input[name=thematic_areas][value=innovation]").is_checked()
    assert not lead.locator("input[name=thematic_areas][value=credit]").is_checked()
    assert lead.locator("#ateco_section").input_value() == "C"
    assert lead.locator("#challenges").input_value() == "Slag that ends in landfill."
    assert lead.locator("#investments").input_value() == "EUR 2 million in a sorting plant."
