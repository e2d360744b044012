"""No statement per item where one would do: the batch's reads are the same for 5 items as for
50; each item adds only its own transaction's statements, the same for every item."""

from __future__ import annotations

import re
from contextlib import contextmanager

from bulkworld import DECREE
from sqlalchemy import event

from tracker.applications.bulk import fire_in_bulk
from tracker.auth.models import User
from tracker.extensions import db

#: the test harness's own statements around the app's commits
HARNESS = re.compile(r"\s*(BEGIN|SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT)\b", re.I)
#: the one read of an item's own transaction: who its email goes to (tracker.mail.recipients,
#: read with the change so that an opt-out or a deactivation made meanwhile counts)
RECIPIENTS = re.compile(r"^\s*SELECT users\.id\b.*\bmail_opt_outs\b", re.S)


@contextmanager
def statements():
    seen: list[str] = []

    def log(conn, cursor, statement, *args, **kwargs):
        if not HARNESS.match(statement):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", log)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", log)


def _grant(officer_id: int, ids: list[int]) -> tuple[int, int, int]:
    """(reads of the batch, recipients reads, writes) of granting labels in bulk."""
    db.session.expunge_all()  # nothing of the set-up stays loaded
    officer = db.session.get(User, officer_id)
    officer.has_role("officer")  # the request's user, loaded as login loads it
    with statements() as seen:
        results = fire_in_bulk(officer, ids, "grant_label", data=DECREE)
    assert [r.status for r in results] == [200] * len(ids)
    reads = [s for s in seen if s.lstrip().upper().startswith("SELECT")]
    recipients = [s for s in reads if RECIPIENTS.match(s)]
    return len(reads) - len(recipients), len(recipients), len(seen) - len(reads)


def test_reads_are_constant_and_writes_linear(desk, make):
    make.user("applicant", organisation=desk.lead_org)  # someone to email about each label
    five, fifty = ([a.id for a in desk.evaluated(n, title=f"Batch of {n}")] for n in (5, 50))
    reads_5, recipients_5, writes_5 = _grant(desk.officer.id, five)
    reads_50, recipients_50, writes_50 = _grant(desk.officer.id, fifty)
    # the batch: applications with what judging them needs (judging_options: the window and the
    # thematic areas since issue 13), their history heads, the emails' settings
    assert reads_5 == reads_50 <= 9, (reads_5, reads_50)
    assert (recipients_5, recipients_50) == (5, 50)
    assert writes_50 == 10 * writes_5  # each item writes the same statements
