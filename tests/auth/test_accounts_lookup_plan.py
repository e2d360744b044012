"""Each request finds its person (by a session or a token: ``tracker.auth.models.person_of``)
by key, whatever PostgreSQL's statistics say: right after a new person's first token or login,
before autovacuum analyses the tables, the planner used to merge-join the row with every person
in id order."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import event, insert, text

from tracker.auth import sessions
from tracker.auth.models import User
from tracker.auth.operations import user_for_token
from tracker.extensions import db

PEOPLE = 3000
#: a step may scan the eleven tokens or sessions whole (so small a table is read faster that way),
#: never the people: the old statement read all 3,011 of them
FEW = 30
#: ANALYZE writes the tables' statistics in place, which a rollback does not undo: a database of
#: the test's own keeps them from the plans of the tests that share one
pytestmark = pytest.mark.fresh_database


@pytest.fixture
def stale_statistics(app, make):
    """Ten people with tokens and sessions, many more without, statistics taken then; then a
    new person (the highest id) with a token and a session the statistics do not know."""
    for _ in range(10):
        old = make.user("applicant")
        make.token(old)
        with app.test_request_context("/"):
            sessions.start(old)
    db.session.execute(
        insert(User), [{"email": f"p{i}@example.org", "name": f"P {i}"} for i in range(PEOPLE)]
    )
    db.session.execute(text("ANALYZE users, api_tokens, user_sessions, user_roles"))
    new = make.user("applicant")
    with app.test_request_context("/"):
        secret = sessions.start(new)
    return make.token(new), secret


def most_rows_read(find) -> int:
    """The most rows a step of the plan read (returned, and those its filters removed), when
    ``find`` looks the person up."""
    seen = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if "token_hash" in statement and statement.lstrip().startswith("SELECT users."):
            seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        person = find()
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)
    assert person is not None and len(seen) == 1
    statement, parameters = seen[0]
    plan = (
        db.session.connection()
        .exec_driver_sql("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, parameters)
        .scalar()
    )
    plan = json.loads(plan) if isinstance(plan, str) else plan

    def rows(node) -> list[int]:
        read = node["Actual Rows"] + sum(v for k, v in node.items() if k.startswith("Rows Removed"))
        own = read * node["Actual Loops"]
        return [own] + [n for child in node.get("Plans", []) for n in rows(child)]

    return max(rows(plan[0]["Plan"]))


@pytest.mark.parametrize("backend", ["postgresql"])
def test_a_new_persons_token_finds_them_by_key(app, stale_statistics):
    token, _ = stale_statistics
    assert most_rows_read(lambda: user_for_token(token)) < FEW


@pytest.mark.parametrize("backend", ["postgresql"])
def test_a_new_persons_session_finds_them_by_key(app, stale_statistics):
    _, secret = stale_statistics
    assert most_rows_read(lambda: sessions.load(secret)) < FEW
