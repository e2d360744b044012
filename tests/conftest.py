"""Fixtures: one app and one schema per backend for the whole run (per xdist worker), each test
rolled back at its end; SQLite always, PostgreSQL too when TEST_DATABASE_URL names a server.

How a test is isolated (README.md, Development):

- By default the test runs inside a transaction that is rolled back at its end: one connection
  per test, an outer transaction on it, and the session bound to that connection with
  ``join_transaction_mode="create_savepoint"``, so that the app's own ``commit()`` and
  ``rollback()`` only release or roll back a savepoint (the login throttle's counts, kept in
  the database, go with it). The app's config is restored too. A second connection to the database during such a test is refused
  (it would not see the test's rows, or would wait for its locks).
- ``@pytest.mark.fresh_database``: tests that commit across connections (threads, real servers,
  raw SQL behind the app's back, migrations, the CLI reading its own connection) get an app and a
  database of their own, as every test did before: a new SQLite file, or the worker's second
  PostgreSQL database emptied first.
- ``@pytest.mark.own_app``: tests that change the app itself (a route added for the test) get an
  app of their own on the shared schema, still rolled back.

In CI (CI=true) the PostgreSQL run is required: a missing server fails the run instead of
skipping it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import itertools
import os

import pytest
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import create_engine, event, make_url, text

from tracker import create_app
from tracker.columns import utcnow
from tracker.database import commit
from tracker.extensions import db

PG_URL = os.environ.get("TEST_DATABASE_URL", "").strip()
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
BACKENDS = ["sqlite", "postgresql"]
#: "gw0", "gw1"... under pytest-xdist, "main" without it
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
TEST_CONFIG = {"TESTING": True, "SECRET_KEY": "test-secret", "WTF_CSRF_ENABLED": False}


def pytest_configure(config):
    from tracker.i18n import compile_catalogues

    compile_catalogues()  # a bare `pytest` reads the catalogues as they are now (make does too)
    if IN_CI and not PG_URL:
        raise pytest.UsageError(
            "CI=true but TEST_DATABASE_URL is not set: the PostgreSQL run is required in CI"
        )


# --- databases --------------------------------------------------------------------------------


@contextlib.contextmanager
def postgres_database(suffix: str):
    """A database of this worker's own on the server TEST_DATABASE_URL names, dropped at the end:
    parallel runs and xdist workers on one server never see each other's rows."""
    server = make_url(PG_URL)
    name = f"{server.database}_{WORKER}_{os.getpid()}{suffix}"
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_url():
    """The worker's PostgreSQL database of the rolled-back tests (None without a server)."""
    if not PG_URL:
        yield None
        return
    with postgres_database("") as url:
        yield url


@pytest.fixture(scope="session")
def postgres_fresh_url():
    """The worker's PostgreSQL database of the ``fresh_database`` tests, emptied before each."""
    if not PG_URL:
        yield None
        return
    with postgres_database("_fresh") as url:
        yield url


def need_postgres(url):
    if not url:
        pytest.skip("no PostgreSQL server: set TEST_DATABASE_URL to run these tests against one")
    return url


def _build_schema() -> None:
    """Every table of the models, on an empty database or over one left by an earlier test."""
    db.drop_all()
    with db.engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    db.create_all()


# --- one connection per test, rolled back ------------------------------------------------------


class _Guard:
    """Whether a rolled-back test holds its one connection."""

    holding = False


def _one_connection_per_test(dbapi_connection, record, proxy) -> None:
    if _Guard.holding:
        raise RuntimeError(
            "a second database connection inside a rolled-back test: it cannot see the test's "
            "rows. Mark the test @pytest.mark.fresh_database."
        )


def _sqlite_begin(dbapi_connection, record) -> None:
    # pysqlite opens transactions late and on its own: SQLite would then take a SAVEPOINT outside
    # any transaction, and releasing it would commit. SQLAlchemy's recipe: BEGIN ourselves.
    dbapi_connection.isolation_level = None


def _emit_begin(connection) -> None:
    connection.exec_driver_sql("BEGIN")


def prepare_engine(engine) -> None:
    """Make ``engine`` fit for rolled-back tests (once per engine)."""
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_begin)
        event.listen(engine, "begin", _emit_begin)
        engine.dispose()  # connections made before the listener keep pysqlite's way
    event.listen(engine, "checkout", _one_connection_per_test)


def _get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
    """Flask-SQLAlchemy's sessions choose the app's engine; a session given a connection (the
    test's, below) uses that connection."""
    if bind is None and self.bind is not None:
        return self.bind
    return FlaskSession.get_bind(self, mapper, clause, bind, **kwargs)


@contextlib.contextmanager
def rolled_back(app):
    """Inside ``app``'s context: everything the test writes, commits included, rolled back at
    the end; the app's config and its extensions' state restored."""
    factory = db.session.session_factory
    factory.class_.get_bind = _get_bind
    config, extensions, options = app.config.copy(), dict(app.extensions), dict(factory.kw)

    def restore_app() -> None:
        app.config.clear()
        app.config.update(config)
        app.extensions.clear()  # what the app remembers per process (the demo flag, say)
        app.extensions.update(extensions)

    def restore_sessions() -> None:
        factory.kw.clear()
        factory.kw.update(options)

    # Undone in reverse order, every step even when one fails: a broken test must not leave the
    # next one bound to its connection.
    with contextlib.ExitStack() as undo:
        undo.callback(restore_app)
        connection = undo.enter_context(db.engine.connect())
        outer = connection.begin()
        undo.callback(lambda: outer.is_active and outer.rollback())
        factory.configure(bind=connection, join_transaction_mode="create_savepoint")
        undo.callback(restore_sessions)
        undo.callback(db.session.remove)
        _Guard.holding = True
        undo.callback(setattr, _Guard, "holding", False)
        yield


class Schema:
    """A backend's app and database, built once per run (per xdist worker)."""

    def __init__(self, url: str):
        self.app = create_app(TEST_CONFIG | {"SQLALCHEMY_DATABASE_URI": url})
        with self.app.app_context():
            _build_schema()
            prepare_engine(db.engine)

    def dispose(self) -> None:
        with self.app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def schemas(tmp_path_factory):
    """``schemas(backend, request)`` -> that backend's Schema, built on first use."""
    built: dict[str, Schema] = {}

    def get(backend: str, request) -> Schema:
        if backend not in built:
            if backend == "sqlite":
                url = f"sqlite:///{tmp_path_factory.mktemp('schema') / 'test.db'}"
            else:
                url = need_postgres(request.getfixturevalue("postgres_url"))
            built[backend] = Schema(url)
        return built[backend]

    yield get
    for schema in built.values():
        schema.dispose()


# --- the app of a test --------------------------------------------------------------------------


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


def _fresh_app(backend, tmp_path, postgres_fresh_url):
    """An app and a database of the test's own (``fresh_database``)."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'test.db'}"
    else:
        url = need_postgres(postgres_fresh_url)
    app = create_app(TEST_CONFIG | {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        if backend == "postgresql":
            _empty_postgres()
        else:
            db.create_all()
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()


def _empty_postgres() -> None:
    """The fresh database's tables, empty: built the first time (or after a test dropped
    them), truncated otherwise."""
    tables = db.metadata.sorted_tables
    with db.engine.begin() as conn:
        present = set(
            conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))
            .scalars()
            .all()
        )
    if present != {t.name for t in tables}:
        _build_schema()
        return
    names = ", ".join(f'"{t.name}"' for t in tables)
    with db.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture
def app(request, backend, schemas):
    if request.node.get_closest_marker("fresh_database"):
        yield from _fresh_app(
            backend,
            request.getfixturevalue("tmp_path"),
            request.getfixturevalue("postgres_fresh_url") if backend == "postgresql" else None,
        )
        return
    schema = schemas(backend, request)
    if request.node.get_closest_marker("own_app"):
        app = create_app(
            TEST_CONFIG | {"SQLALCHEMY_DATABASE_URI": schema.app.config["SQLALCHEMY_DATABASE_URI"]}
        )
        with app.app_context():
            prepare_engine(db.engine)
            try:
                with rolled_back(app):
                    yield app
            finally:
                db.engine.dispose()
        return
    with schema.app.app_context(), rolled_back(schema.app):
        yield schema.app


@pytest.fixture
def empty_database(request, app):
    """No tables at all (for the migrations); a ``fresh_database`` test only."""
    if not request.node.get_closest_marker("fresh_database"):
        pytest.fail("empty_database drops every table: mark the test @pytest.mark.fresh_database")
    db.drop_all()
    with db.engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    return db


@pytest.fixture
def client(app):
    return app.test_client()


PASSWORD = "secret-pass"


@functools.cache
def password_hash() -> str:
    """The hash of PASSWORD, with one round of PBKDF2: each login of a test then checks it in
    microseconds instead of scrypt's tenth of a second (as Django's test settings use a fast
    hasher). Passwords set through the operations are hashed as in production."""
    from werkzeug.security import generate_password_hash

    return generate_password_hash(PASSWORD, method="pbkdf2:sha256:1")


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
        verified=True, declared_by=None, public_body=None,
    ):  # fmt: skip
        """An organisation; ``verified`` as if registered before declared data were verified
        (migration 0010), unless told otherwise; universities and research centres are public
        bodies unless told otherwise (as migration 0011 set the existing ones)."""
        if public_body is None:
            public_body = kind in ("university", "research_centre")
        from tracker.organisations.operations import create_organisation

        n = next(self._seq)
        org = create_organisation(
            declared_by, name=name or f"Organisation {n}", vat_number=self.vat(), kind=kind,
            size=size if kind == "firm" else None, province=province, lombardy_seat=lombardy_seat,
            public_body=public_body,
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
            organisation=organisation, name=f"User {n}",
        )  # fmt: skip
        # set as it is, whatever the password policy (tests/auth test the policy)
        user.password_hash = password_hash() if password == PASSWORD else None
        if password and password != PASSWORD:
            user.set_password(password)
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
        from tracker.applications.operations import add_partner, create_application
        from tracker.documents.operations import upload_agreement
        from tracker.documents.samples import MINIMAL_PDF

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
            # the agreement counts as signed only with its PDF (issue 14)
            upload_agreement(lead, app, "agreement.pdf", MINIMAL_PDF)
        commit()
        return app

    def declare(self, app, member, conflict=False, reason=""):
        """``member``'s declaration about a conflict of interest on ``app``."""
        from tracker.reviews.operations import declare_conflict

        declaration = declare_conflict(member, app, conflict, reason)
        commit()
        return declaration

    def declare_if_awaited(self, app, user) -> None:
        # committee members declare no conflict before acting, as the demo's do (issue 14);
        # tests of the declaration itself call the operations directly
        if app.submitted_at is not None and app.declaration_awaited(user):
            self.declare(app, user)

    def fire(self, app, user, trigger, comment="", **data):
        from tracker.applications.operations import fire_transition

        self.declare_if_awaited(app, user)
        entry = fire_transition(user, app, trigger, comment=comment, data=data or None)
        commit()
        return entry

    def review(self, app, reviewer, scores=None, recommendation="favourable"):
        from tracker.reviews.operations import submit_review

        self.declare_if_awaited(app, reviewer)
        scores = scores or {c.key: c.max_score for c in app.criteria}
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
