"""How a request's transaction ends (tracker.database.end_request_transaction): one that only
read commits, so that PostgreSQL connections keep their prepared statements; anything else
rolls back as before."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import event, func, insert, select, text

from tracker.auth.models import User
from tracker.database import PREPARED_MAX, commit, newest, planner_options
from tracker.extensions import db
from tracker.labels.queries import label_set_version
from tracker.reports.queries import _chains_version

pytestmark = pytest.mark.fresh_database


@pytest.fixture
def ends(app):
    """How each transaction of the app's engine ended, in order."""
    seen: list[str] = []
    event.listen(db.engine, "commit", lambda conn: seen.append("commit"))
    event.listen(db.engine, "rollback", lambda conn: seen.append("rollback"))
    return seen


def users() -> int:
    with db.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(User))


def a_user() -> dict:
    return {"email": "someone@example.org", "name": "Someone", "password_hash": "x"}


def test_a_request_that_only_read_commits(app, ends):
    with app.app_context():
        db.session.execute(select(User.id)).all()
    assert ends == ["commit"]


def test_what_a_request_read_stays_readable_after_it(app, ends):
    """As after a rollback: a streamed answer reads on (current_user, say) once it ended."""
    with app.app_context():
        db.session.execute(insert(User).values(**a_user()))
        db.session.commit()
    with app.app_context():
        person = db.session.scalar(select(User))
    assert ends[-1] == "commit"
    assert person.email == a_user()["email"]  # detached, not expired


def test_a_request_that_wrote_without_committing_rolls_back(app, ends):
    with app.app_context():
        db.session.execute(insert(User).values(**a_user()))
    assert ends == ["rollback"]
    assert users() == 0


def test_a_request_holding_unwritten_objects_rolls_back(app, ends):
    with app.app_context():
        db.session.execute(select(User.id)).all()
        db.session.add(User(**a_user()))
    assert ends == ["rollback"]
    assert users() == 0


def test_a_request_that_failed_rolls_back(app, ends):
    with pytest.raises(RuntimeError), app.app_context():
        db.session.execute(select(User.id)).all()
        raise RuntimeError("the view failed")
    assert ends == ["rollback"]


def test_sql_not_known_to_only_read_counts_as_a_write(app, ends):
    with app.app_context():
        db.session.execute(text("WITH n AS (SELECT 1 AS one) SELECT one FROM n")).all()
    assert ends == ["rollback"]


def test_a_request_after_a_commit_of_its_own_starts_afresh(app, ends):
    with app.app_context():
        db.session.execute(insert(User).values(**a_user()))
        db.session.commit()
        db.session.execute(select(User.id)).all()
    assert ends == ["commit", "commit"]
    assert users() == 1


@pytest.mark.parametrize("backend", ["postgresql"])
def test_postgresql_connections_keep_their_plans_across_requests(app):
    """psycopg prepares a statement on its sixth run, and forgets all on ROLLBACK."""
    for _ in range(8):
        with app.app_context():
            db.session.execute(select(User.id).where(User.email == "nobody")).all()
    with db.engine.connect() as conn:
        kept = conn.scalar(text("SELECT count(*) FROM pg_prepared_statements"))
        assert conn.connection.dbapi_connection.prepared_max == PREPARED_MAX
    assert kept >= 1


def test_newest_is_the_highest_id_with_its_own_time(app, make):
    """Not the latest time: the time of the row with the highest id; nothing on an empty table."""
    version = select(*newest(User.id, User.created_at))
    assert tuple(db.session.execute(version).one()) == (None, None)
    first, _, last = (make.user("applicant") for _ in range(3))
    first.created_at = last.created_at + dt.timedelta(days=1)
    commit()
    assert tuple(db.session.execute(version).one()) == (last.id, last.created_at)


@pytest.mark.parametrize(
    "read_version",
    [lambda: db.session.execute(select(*label_set_version())).one(), _chains_version],
    ids=["registry", "reports"],
)
def test_the_versions_of_kept_counts_bind_no_limit(app, read_version):
    """Read on every registry page and dashboard. With a bound LIMIT, PostgreSQL planned the
    statement afresh on every run: a generic plan cannot know the limit, so it never looked
    cheaper (README, "How the requests stay flat")."""
    seen = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        read_version()
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)
    assert len(seen) == 1 and "max(quality_labels.id)" in seen[0]
    assert not re.search(r"\bLIMIT\b", seen[0], re.IGNORECASE)


@pytest.mark.parametrize("backend", ["postgresql"])
def test_postgresql_connections_price_random_reads_as_the_setting_says(app):
    """1.1 (an SSD's, data in memory) unless PG_RANDOM_PAGE_COST says otherwise."""
    with db.engine.connect() as conn:
        assert conn.scalar(text("SHOW random_page_cost")) == "1.1"


PG = "postgresql+psycopg://someone@/tracker"


def test_the_planner_setting_goes_with_each_postgresql_connection():
    config = {"SQLALCHEMY_DATABASE_URI": PG, "PG_RANDOM_PAGE_COST": "1.5"}
    config["SQLALCHEMY_ENGINE_OPTIONS"] = shared = {"pool_pre_ping": True}
    planner_options(config)
    assert config["SQLALCHEMY_ENGINE_OPTIONS"] == {
        "pool_pre_ping": True,
        "connect_args": {"options": "-c random_page_cost=1.5"},
    }
    assert shared == {"pool_pre_ping": True}  # another app's options are not changed


def test_the_planner_setting_keeps_options_given_and_leaves_the_rest_alone():
    given = {"connect_args": {"options": "-c statement_timeout=5000"}}
    config = {"SQLALCHEMY_DATABASE_URI": PG, "PG_RANDOM_PAGE_COST": "1.1"}
    planner_options(config | {"SQLALCHEMY_ENGINE_OPTIONS": given})  # one app's: ``given`` stays
    config["SQLALCHEMY_ENGINE_OPTIONS"] = given  # as it was for the next (else 1.1 comes twice)
    planner_options(config)
    assert config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"]["options"] == (
        "-c statement_timeout=5000 -c random_page_cost=1.1"
    )
    for unchanged in (
        {"SQLALCHEMY_DATABASE_URI": PG, "PG_RANDOM_PAGE_COST": ""},  # the server's own
        {"SQLALCHEMY_DATABASE_URI": "sqlite:///x.db", "PG_RANDOM_PAGE_COST": "1.1"},
    ):
        planner_options(unchanged)
        assert "SQLALCHEMY_ENGINE_OPTIONS" not in unchanged


def test_a_planner_setting_that_is_no_number_stops_the_start():
    with pytest.raises(RuntimeError, match="PG_RANDOM_PAGE_COST must be a number"):
        planner_options({"SQLALCHEMY_DATABASE_URI": PG, "PG_RANDOM_PAGE_COST": "fast"})
