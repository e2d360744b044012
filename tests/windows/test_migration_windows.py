"""Migration 0025_windows on data in place, on SQLite and PostgreSQL: rows made by the app, the
schema taken down to 0019 and up again. Every call gets a first window carrying its deadline,
criteria, threshold, flags and DGR 5899/2022's areas; every application joins it; its
thematic_area becomes the first of its thematic_areas; extensions keep their rows."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from tracker.calls.operations import extend_deadline
from tracker.database import commit
from tracker.extensions import db

FIRST_AREAS = ["sustainability", "innovation", "human_capital", "internationalisation", "credit"]


def _rows(sql: str) -> list[tuple]:
    with db.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql)).all()]


@pytest.mark.fresh_database
def test_existing_calls_and_applications_migrate_into_a_first_window(empty_database, make):
    upgrade()
    officer = make.user("officer")
    call = make.call(officer, criteria_illustrative=True, act_reference="DGR 5899/2022")
    extend_deadline(officer, call, call.deadline.replace(year=call.deadline.year + 1), "More time")
    commit()
    lead = make.user("applicant", organisation=make.organisation("Lead Srl", province="BS"))
    submitted = make.application(call, lead, title="Submitted", thematic_area="innovation")
    make.fire(submitted, lead, "submit")
    draft = make.application(call, lead, title="Draft, no area", thematic_area=None)
    call_id, deadline, ids = call.id, call.deadline, (submitted.id, draft.id)
    db.session.remove()  # its transaction would hold the tables the migration alters

    downgrade(revision="0024_annexes")  # the revision before 0025_windows
    assert _rows("SELECT count(*) FROM applications") == [(2,)]
    assert _rows("SELECT count(*) FROM criteria") == [(2,)]
    assert _rows("SELECT count(*) FROM deadline_extensions") == [(1,)]
    upgrade()

    (window,) = _rows(
        "SELECT id, call_id, number, deadline, score_threshold, act_number, "
        "criteria_illustrative, thematic_areas FROM call_windows"
    )
    window_id = window[0]
    assert window[1:7] == (call_id, 1, window[3], 6000, "DGR 5899/2022", True)
    assert str(window[3]) == deadline.isoformat()
    stored = window[7]
    assert (stored if isinstance(stored, list) else __import__("json").loads(stored)) == FIRST_AREAS
    assert _rows("SELECT key, window_id FROM criteria ORDER BY position") == [
        ("coherence", window_id), ("impact", window_id),
    ]  # fmt: skip
    assert _rows("SELECT id, window_id, ateco_section FROM applications ORDER BY id") == [
        (ids[0], window_id, None), (ids[1], window_id, None),
    ]  # fmt: skip
    assert _rows("SELECT application_id, area, position FROM application_thematic_areas") == [
        (ids[0], "innovation", 0)
    ]
    assert _rows("SELECT reason, act_number, act_date FROM deadline_extensions") == [
        ("More time", "", None)
    ]

    # the app reads them as it writes them
    from tracker.applications.models import Application
    from tracker.calls.models import Call

    again = db.session.get(Application, ids[0])
    assert (again.thematic_areas, again.rules_window.number) == (["innovation"], 1)
    assert [c.key for c in again.criteria] == ["coherence", "impact"]
    assert db.session.get(Call, call_id).current_window.id == window_id
