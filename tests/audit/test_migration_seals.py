"""Migration 0004 seals a database that already has history: the chains it computes are the
ones the app writes, and ``audit verify`` passes right after the upgrade."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from tracker.extensions import db


def chains() -> list[tuple]:
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT id, prev_hash, hash FROM history ORDER BY id")).all()
        heads = conn.execute(text("SELECT id, history_head FROM applications ORDER BY id")).all()
    return [tuple(r) for r in rows] + [tuple(h) for h in heads]


# PostgreSQL only: on SQLite, going down past 0007 rebuilds the users table, which a database
# holding rows refuses (foreign keys). The sealing itself is tested on both databases by
# test_chain.py::test_seal_all_chains_unsealed_rows_exactly_as_the_app_did.
@pytest.mark.fresh_database
@pytest.mark.parametrize("backend", ["postgresql"])
def test_an_existing_database_upgrades_with_its_history_sealed(app, empty_database, make):
    upgrade()
    officer = make.user("officer")
    call = make.call(officer, min_reviews=1)
    lead = make.user("applicant", organisation=make.organisation(province="BS"))
    reviewer = make.user("reviewer", organisation=make.organisation(kind="university"))
    make.appoint(call, reviewer)
    application = make.application(call, lead)
    make.fire(application, lead, "submit")
    make.fire(application, reviewer, "request_integration", "Missing the balance sheets.")
    make.fire(application, lead, "resubmit", "Attached.")
    make.application(call, lead, complete=False)  # a draft: no history, no head
    written = chains()
    assert all(h for _, h in written[3:4]) and written[-1][1] is None
    db.session.remove()

    downgrade(revision="0003_communities")  # as the database was before the audit
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM history")).scalar() == 3
    upgrade()
    assert chains() == written
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "Intact: 3 history rows in 1 chains" in result.output
