"""Fixtures: an app per test on SQLite, and on PostgreSQL when TEST_DATABASE_URL names a server.

In CI (CI=true) the PostgreSQL run is required: a missing server fails the run instead of
skipping it.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import os

import pytest
from sqlalchemy import create_engine, make_url, text

from tracker import create_app
from tracker.database import commit
from tracker.extensions import db
from tracker.types import utcnow

PG_URL = os.environ.get("TEST_DATABASE_URL", "").strip()
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
BACKENDS = ["sqlite", "postgresql"]
_pg_schema_ready = False


def pytest_configure(config):
    from tracker.i18n import compile_catalogues

    compile_catalogues()  # a bare `pytest` reads the catalogues as they are now (make does too)
    if IN_CI and not PG_URL:
        raise pytest.UsageError(
            "CI=true but TEST_DATABASE_URL is not set: the PostgreSQL run is required in CI"
        )


@pytest.fixture(scope="session")
def postgres_url():
    """A database of this test process's own on the server TEST_DATABASE_URL names, dropped at
    the end: parallel runs on one server never see each other's rows."""
    if not PG_URL:
        yield None
        return
    server = make_url(PG_URL)
    name = f"{server.database}_{os.getpid()}"
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield server.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def database_url(backend: str, tmp_path, postgres_url) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    if not postgres_url:
        pytest.skip("no PostgreSQL server: set TEST_DATABASE_URL to run these tests against one")
    return postgres_url


def _reset_postgres() -> None:
    global _pg_schema_ready
    if not _pg_schema_ready:
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.create_all()
        _pg_schema_ready = True
        return
    tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    with db.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def app(backend, tmp_path, postgres_url):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": database_url(backend, tmp_path, postgres_url),
            "WTF_CSRF_ENABLED": False,
        }
    )
    with app.app_context():
        if backend == "postgresql":
            _reset_postgres()
        else:
            db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def empty_database(app):
    """No tables at all (for the migrations); the next PostgreSQL test rebuilds its tables."""
    global _pg_schema_ready
    db.drop_all()
    with db.engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    _pg_schema_ready = False
    return db


@pytest.fixture
def client(app):
    return app.test_client()


PASSWORD = "secret-pass"


@functools.cache
def password_hash() -> str:
    from werkzeug.security import generate_password_hash

    return generate_password_hash(PASSWORD)


class Factory:
    """Builds the world a test needs, through the real operations where they exist."""

    _seq = itertools.count(1)

    def __init__(self, app):
        self.app = app

    def vat(self) -> str:
        from tracker.organisations.vat import vat_check_digit

        body = f"{next(self._seq) + 1000000:07d}" + "150"  # office code 150 (Milano-style)
        return body + str(vat_check_digit(body))

    def organisation(
        self, name=None, *, kind="firm", size="small", province="MI", lombardy_seat=None,
        verified=True, declared_by=None,
    ):  # fmt: skip
        """An organisation; ``verified`` as if registered before declared data were verified
        (migration 0010), unless told otherwise."""
        from tracker.organisations.operations import create_organisation

        n = next(self._seq)
        org = create_organisation(
            declared_by, name=name or f"Organisation {n}", vat_number=self.vat(), kind=kind,
            size=size if kind == "firm" else None, province=province, lombardy_seat=lombardy_seat,
        )  # fmt: skip
        if verified and not org.verified:
            org.verified_at = org.created_at
        commit()
        return org

    def user(self, *roles, organisation=None, email=None, password=PASSWORD):
        """A user; with the default password its hash is computed once per run (hashing is slow)."""
        from tracker.auth.operations import create_user

        n = next(self._seq)
        user = create_user(
            email or f"user{n}@example.org", list(roles) or ["applicant"],
            password=None if password == PASSWORD else password,
            organisation=organisation, name=f"User {n}",
        )  # fmt: skip
        if password == PASSWORD:
            user.password_hash = password_hash()
        commit()
        return user

    def token(self, user) -> str:
        from tracker.auth.operations import issue_token

        token = issue_token(user)
        commit()
        return token

    def call(self, officer=None, **fields):
        from tracker.calls.operations import create_call

        officer = officer or self.user("officer")
        today = dt.date.today()
        body = {
            "title": "Value-chain EOI",
            "workflow": "value_chain",
            "opens_at": "2022-03-01",  # the EOI opened then: decrees since are plausible
            "deadline": (today + dt.timedelta(days=365)).isoformat(),
            "min_firms": 3,
            "min_reviews": 2,
            "score_threshold": 60,
            "criteria": [
                {"key": "coherence", "label": "Coherence", "max": 40},
                {"key": "impact", "label": "Impact", "max": 60},
            ],
        } | fields
        call = create_call(officer, body)
        commit()
        return call

    def appoint(self, call, reviewer):
        from tracker.calls.operations import appoint_member

        appoint_member(self.user("officer"), call, reviewer.id)
        commit()
        reviewer.__dict__.pop("committee_call_ids", None)

    def application(self, call, lead, *, complete=True, firms=None, **fields):
        """A draft by ``lead``'s organisation; ``complete`` fills it in, with the call's firms and
        a signed agreement, so that it can be submitted."""
        from tracker.applications.operations import (
            add_partner,
            create_application,
            record_agreement,
        )

        body = {"title": "Steel value chain", "thematic_area": "sustainability"} | fields
        if complete:
            body.setdefault(
                "concept_note",
                {
                    k: f"Our {k}."
                    for k in ("challenges", "needs", "objectives", "actions", "investments")
                },
            )
        app = create_application(lead, call, body)
        if complete:
            needed = call.min_firms if firms is None else firms
            # the lead itself counts when it is a Lombard firm
            for _ in range(max(0, needed - app.lombardy_firm_count)):
                add_partner(
                    lead, app, self.organisation().id, "Partner firm", "Shares its slag data"
                )
            record_agreement(lead, app, True)
        commit()
        return app

    def fire(self, app, user, trigger, comment="", **data):
        from tracker.applications.operations import fire_transition

        entry = fire_transition(user, app, trigger, comment=comment, data=data or None)
        commit()
        return entry

    def review(self, app, reviewer, scores=None, recommendation="favourable"):
        from tracker.reviews.operations import submit_review

        scores = scores or {c.key: c.max_score for c in app.call.criteria}
        review = submit_review(reviewer, app, scores, recommendation, "Solid partnership.")
        commit()
        return review


@pytest.fixture
def make(app) -> Factory:
    return Factory(app)


@pytest.fixture
def world(make):
    """A lead, two committee members and an officer around one open call."""
    officer = make.user("officer")
    call = make.call(officer)
    lead_org = make.organisation("Duferco Travi e Profilati", province="BS")
    lead = make.user("applicant", organisation=lead_org)
    reviewers = [
        make.user("reviewer", organisation=make.organisation(kind="university", province="MI"))
        for _ in range(2)
    ]
    for r in reviewers:
        make.appoint(call, r)
    return type(
        "World",
        (),
        {
            "officer": officer,
            "call": call,
            "lead": lead,
            "lead_org": lead_org,
            "reviewers": reviewers,
        },
    )


def api_headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


__all__ = ["api_headers", "utcnow"]
