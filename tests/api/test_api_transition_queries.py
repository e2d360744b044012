"""A transition through the API costs a fixed set of statements, whoever its emails go to: the
token with its person and roles (1); the application with its call, label, window, thematic
areas and the head of its history chain (1), its partners, reviews and declarations (3); the
versioned UPDATE and the history row (2); the recipients of all its emails (1), their outbox
rows (1) and their notices (1); the chain's open shortfall (1); the tallies (3). README,
"A transition", says what each saving was."""

from __future__ import annotations

import re

from sqlalchemy import event, func, select

from tracker.applications.models import HistoryEntry
from tracker.dashboards.tallies import differences
from tracker.extensions import db
from tracker.mail.models import OutboxEmail
from tracker.notifications.models import Notice

#: the test harness's own statements around the app's commits
HARNESS = re.compile(r"\s*(BEGIN|SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT)\b", re.I)
ADMIT_STATEMENTS = 14


def _admit(make, world, people, staff: int) -> list[str]:
    """The statements of admitting a submitted application whose partners have ``staff``
    applicant accounts besides the lead's."""
    app = make.application(world.call, world.lead)
    partners = [p.organisation for p in app.partners if not p.is_lead]
    for n in range(staff):
        make.user("applicant", organisation=partners[n % len(partners)])
    make.fire(app, world.lead, "submit")
    people.officer.get("/me")  # a token's first use is recorded: not the transition's cost
    path = f"/applications/{app.id}/transitions"
    db.session.expire_all()  # as cold as a request in its own session
    seen: list[str] = []

    def log(conn, cursor, statement, *args):
        if not HARNESS.match(statement):
            seen.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", log)
    try:
        answer = people.officer.post(path, json={"trigger": "admit"})
    finally:
        event.remove(db.engine, "before_cursor_execute", log)
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["state"] == "under_evaluation"
    return seen


def _written(statements: list[str]) -> list[str]:
    """The tables written, in order."""
    return [
        s.split()[2] if s.startswith("INSERT") else s.split()[1]
        for s in statements
        if s.startswith(("INSERT", "UPDATE"))
    ]


def test_admitting_costs_the_same_statements_however_many_are_told(make, world, people):
    few, many = _admit(make, world, people, staff=0), _admit(make, world, people, staff=6)
    assert len(few) == len(many) == ADMIT_STATEMENTS, (len(few), len(many), many)
    assert _written(many) == [
        "applications",
        "history",
        "mail_outbox",
        "notices",
        "tally_applications",
        "tally_breakdowns",
        "tally_durations",
    ]
    recipients = [s for s in many if s.startswith("SELECT") and "mail_opt_outs" in s]
    assert len(recipients) == 1 and "UNION ALL" in recipients[0]
    assert not [s for s in many if s.startswith("SELECT history.seq")]  # read with the application


def test_what_the_saved_statements_did_is_still_done(make, world, people):
    """One outbox row and one notice per person told, of both kinds the admission sends; the
    history row continues the chain; the tallies agree with a recount."""
    _admit(make, world, people, staff=3)
    kinds = dict(
        db.session.execute(select(OutboxEmail.kind, func.count()).group_by(OutboxEmail.kind)).all()
    )
    # the lead and three partners' staff (the lead's receipt of submitting too); the committee
    assert kinds["application_admitted"] == 4 and kinds["review_assigned"] == 2, kinds
    notices = dict(
        db.session.execute(select(Notice.kind, func.count()).group_by(Notice.kind)).all()
    )
    assert {k: notices[k] for k in ("application_admitted", "review_assigned")} == {
        "application_admitted": 4,
        "review_assigned": 2,
    }
    texts = dict(db.session.execute(select(Notice.kind, Notice.text)).all())
    assert texts["application_admitted"] != texts["review_assigned"]
    rows = db.session.scalars(select(HistoryEntry).order_by(HistoryEntry.seq)).all()
    assert [r.trigger for r in rows] == ["submit", "admit"]
    assert rows[1].seq == 2 and rows[1].prev_hash == rows[0].hash
    assert rows[1].application.history_head == rows[1].hash
    assert differences() == []
