"""Fixtures of the browser tests: one headless Chromium and one live server per test session.

The live server runs the real app on a scratch SQLite database holding a small world built
through the operations (tests/conftest.py's Factory). Tests that change it make their own
applications, so they never depend on each other's order.

Skipped where Chromium or playwright is missing; in CI (CI=true) a missing one fails instead.
"""

from __future__ import annotations

import datetime as dt
import os
from types import SimpleNamespace

import pytest
from livesite import CHROMIUM, DESKTOP, launch, log_in, root_conftest, serve

from tracker import create_app
from tracker.database import commit
from tracker.extensions import db

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
PASSWORD = "secret-pass"  # tests/conftest.py's PASSWORD
#: Bando Filiere 2022's criteria (total 100), for the support measure
MEASURE_CRITERIA = [
    {"key": "coherence", "label": "Coherence", "max": 10},
    {"key": "innovativeness", "label": "Innovativeness", "max": 20},
    {"key": "added_value", "label": "Measurable added value", "max": 20},
    {"key": "representativeness", "label": "Representativeness", "max": 15},
    {"key": "investments", "label": "Investments", "max": 20},
    {"key": "employment", "label": "Employment growth", "max": 15},
]


def _need(what: str) -> None:
    if IN_CI:
        pytest.fail(f"CI=true but {what} is missing: the browser tests are required in CI")
    pytest.skip(f"{what} is missing: install Debian's chromium and the playwright package")


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        _need("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _need("playwright")
    with sync_playwright() as p:
        browser = launch(p)
        yield browser
        browser.close()


def build_world(app) -> SimpleNamespace:
    """People, a value-chain call with its committee, applications in a few states (one
    recognised), a support measure and a Strategic Community with a proposal."""
    from tracker.applications.operations import add_partner
    from tracker.communities.operations import add_member, create_community, create_proposal
    from tracker.documents.operations import upload_agreement
    from tracker.documents.samples import MINIMAL_PDF

    make = root_conftest().Factory(app)
    officer = make.user("officer", email="officer@example.org")
    reviewer = make.user(
        "reviewer",
        organisation=make.organisation("Università degli Studi di Brescia", kind="university"),
        email="reviewer@example.org",
    )
    reviewer_it = make.user(
        "reviewer",
        organisation=make.organisation("Politecnico di Milano", kind="university"),
        email="revisore@example.org",
    )
    today = dt.date.today()
    call = make.call(
        officer, title="Value-chain Expression of Interest", min_firms=3, min_reviews=1
    )
    for r in (reviewer, reviewer_it):
        make.appoint(call, r)
    # an optional annex (issue 14): its card shows on the drafts and the call, submissions pass
    from tracker.documents.annexes import define_annex

    define_annex(officer, call, {"name": "Piano degli investimenti", "required": False,
                                 "formats": ["xlsx", "pdf"], "max_bytes": 5_000_000})  # fmt: skip
    commit()

    lead = make.user(
        "applicant",
        organisation=make.organisation("Duferco Travi e Profilati", province="BS"),
        email="lead@example.org",
    )
    lead_it = make.user(
        "applicant",
        organisation=make.organisation("Tessitura Serica Comasca", province="CO"),
        email="capofila@example.org",
    )
    steel = make.user(
        "applicant",
        organisation=make.organisation("Acciaieria Arvedi", province="CR", size="large"),
        email="steel@example.org",
    )
    partners = [
        make.organisation(name, province=province)
        for name, province in [
            ("Acciaierie Valsabbia", "BS"),
            ("Feralpi Siderurgica", "BS"),
            ("Setificio Lariano", "CO"),
            ("Tintoria di Como", "CO"),
        ]
    ]

    # a firm the lead registered: its declared data await verification by the committee
    declared = make.organisation(
        "Scorie Verdi Srl", province="BG", verified=False, declared_by=lead
    )
    submitted = make.application(call, lead, title="Steel white-slag value chain")
    add_partner(lead, submitted, declared.id, "Slag treatment", "Pilot plant")
    upload_agreement(lead, submitted, "agreement.pdf", MINIMAL_PDF)
    commit()
    make.fire(submitted, lead, "submit")
    draft = make.application(call, lead_it, title="Como silk value chain", complete=False)
    to_admit = make.application(call, steel, title="Mantua steel tubes value chain")
    make.fire(to_admit, steel, "submit")
    under_evaluation = make.application(call, steel, title="Cremona steel scrap value chain")
    make.fire(under_evaluation, steel, "submit")
    make.fire(under_evaluation, officer, "admit")
    # the Italian member declared no conflict and reviewed it; the English one has not yet
    review_it = make.review(under_evaluation, reviewer_it)
    recognised = make.application(call, steel, title="Lombard flat steel value chain")
    make.fire(recognised, steel, "submit")
    make.fire(recognised, officer, "admit")
    make.review(recognised, reviewer)
    make.fire(recognised, officer, "close_evaluation")
    make.fire(recognised, officer, "grant_label", decree_number="18573", decree_date="2022-11-10")
    # a partner leaving it, accepted as the lead asked it: the Region is warned of the minimum
    from tracker.changes.operations import request_change

    change = request_change(steel, recognised, {
        "kind": "leave", "organisation_id": recognised.partners[1].organisation_id,
        "reason": "The firm closed its Lombard plant.",
    })  # fmt: skip
    commit()

    measure = make.call(
        officer,
        title="Bando Filiere 2022",
        workflow="support_application",
        opens_at=(today - dt.timedelta(days=10)).isoformat(),
        deadline=(today + dt.timedelta(days=60)).isoformat(),
        min_firms=3, min_smes=2, min_reviews=1, score_threshold=65,
        budget="1000000", max_grant="400000", label_bonus=10, criteria=MEASURE_CRITERIA,
    )  # fmt: skip
    make.appoint(measure, reviewer)
    support = make.application(
        measure, steel, firms=3, title="Flat steel: recycled scrap", requested_amount="300000"
    )
    make.fire(support, steel, "submit")

    coordinator = make.user("coordinator", email="coordinator@example.org")
    board = make.user("board", email="board@example.org")
    admin = make.user("admin", email="admin@example.org")
    community = create_community(
        coordinator,
        {"name": "De- and Remanufacturing for Circular Economy", "topic": "Circular economy"},
    )
    add_member(coordinator, community, lead.id, "member")
    proposal = create_proposal(
        lead,
        community,
        {"title": "Lombardy Roadmap for R&I on Circular Economy", "summary": "Priorities."},
    )
    commit()
    return SimpleNamespace(
        password=PASSWORD,
        officer=officer.email, reviewer=reviewer.email, reviewer_it=reviewer_it.email,
        lead=lead.email, lead_it=lead_it.email, steel=steel.email,
        coordinator=coordinator.email, board=board.email, admin=admin.email,
        call=call.id, measure=measure.id, community=community.id, proposal=proposal.id,
        submitted=submitted.id, draft=draft.id, under_evaluation=under_evaluation.id, to_admit=to_admit.id, recognised=recognised.id, support=support.id,
        change=change.id,
        partners={o.name: o.id for o in partners}, declared=declared.id, review_it=review_it.id,
    )  # fmt: skip


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The live app: ``site.base`` is its URL, the rest names the world's people and rows."""
    folder = tmp_path_factory.mktemp("site")
    app = create_app(
        {
            "SECRET_KEY": "browser-test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'site.db'}",
            "WTF_CSRF_ENABLED": True,
            # many logins from one address: no delay for them
            "LOGIN_FREE_FAILURES_PER_ACCOUNT": 10000,
            "LOGIN_FREE_FAILURES_PER_ADDRESS": 10000,
        }
    )
    with app.app_context():
        db.create_all()
        world = build_world(app)
        db.session.remove()
    world.dashboards = _dashboards(app, world)
    with serve(app) as base:
        world.base = base
        yield world
    with app.app_context():
        db.engine.dispose()


#: who tries a dashboard, in this order, until one may see it
DASHBOARD_READERS = ("officer", "reviewer", "lead", "coordinator", None)


def _dashboards(app, world) -> list[tuple[str | None, str]]:
    """The dashboards' and statistics' pages that need no argument, each with the first person
    of DASHBOARD_READERS allowed to see it (None: a visitor)."""
    from tracker.auth.models import User

    paths = sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.split(".")[0] in {"dashboards", "statistics", "stats"}
        and "GET" in rule.methods
        and not rule.arguments
    )
    found = []
    for path in paths:
        for who in DASHBOARD_READERS:
            client = app.test_client()
            if who:
                with app.app_context():
                    user_id = db.session.scalar(
                        db.select(User.id).where(User.email == getattr(world, who))
                    )
                with app.app_context():
                    from tracker.auth import sessions
                    from tracker.database import commit

                    secret = sessions.start(db.session.get(User, user_id))
                    commit()
                with client.session_transaction() as session:
                    session["_user_id"], session["_fresh"] = secret, True
            if client.get(path).status_code == 200:
                found.append((who, path))
                break
        else:
            raise AssertionError(f"nobody of {DASHBOARD_READERS} may see {path}")
    return found


@pytest.fixture
def as_user(browser, site):
    """``as_user(email, **context_options)`` -> a page of a fresh browser context, logged in
    (``email=None``: a visitor). Contexts are closed after the test."""
    contexts = []

    def _open(email: str | None, **options):
        options.setdefault("viewport", DESKTOP)
        context = browser.new_context(**options)
        context.set_default_timeout(15000)
        contexts.append(context)
        page = context.new_page()
        if email:
            log_in(page, site.base, email, site.password)
            assert "/login" not in page.url, f"{email} could not log in"
        return page

    yield _open
    for context in contexts:
        context.close()
