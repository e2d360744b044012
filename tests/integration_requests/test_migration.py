"""Migration 0011 with data in place: an application waiting on an integration gets its open
request from its history (the call's reply period from the day asked), a submitted one that can
no longer be edited keeps its version, every row stays; and down and up again."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from tracker.extensions import db

PATH = Path(__file__).parents[2] / "migrations" / "versions" / "0017_integration.py"


def _migration():
    spec = importlib.util.spec_from_file_location("migration_0011", PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _history(conn, app_id, seq, trigger, source, dest, at, comment=""):
    conn.execute(
        text(
            "INSERT INTO history (application_id, seq, at, trigger, from_state, to_state, "
            "comment, data, seconds_in_from_state, actor_id) VALUES (:app, :seq, :at, :trigger, "
            ":source, :dest, :comment, '{}', 0, 1)"
        ),
        {"app": app_id, "seq": seq, "at": at, "trigger": trigger, "source": source,
         "dest": dest, "comment": comment},
    )  # fmt: skip


@pytest.mark.fresh_database
def test_waiting_applications_get_their_request_and_frozen_ones_their_version(empty_database):
    from flask_migrate import downgrade, upgrade

    before = _migration().down_revision
    upgrade(revision=before)
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (id, email, name, password_hash, active, created_at, language) "
                "VALUES (1, 'r@example.org', 'R', 'x', TRUE, '2023-01-01 00:00:00', 'en')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO organisations (id, name, vat_number, kind, size, province, city, "
                "lombardy_seat, created_at, verified_at) VALUES (1, 'Lead Srl', '12345678903', 'firm', "
                "'small', 'BS', 'Brescia', TRUE, '2023-01-01 00:00:00', '2023-01-01 00:00:00')"
            )
        )
        for call_id in (1, 2):
            conn.execute(text(
                "INSERT INTO calls (id, title, workflow, description, act_reference, opens_at, "
                "deadline, min_firms, min_reviews, score_threshold, committed, created_at) VALUES "
                "(:id, 'EOI', 'value_chain', '', '', '2023-01-01', '2027-12-31', 1, 1, 0, 0, "
                "'2023-01-01 00:00:00')"
            ), {"id": call_id})  # fmt: skip
        # the second call's officer had given the applicants 20 days to answer
        conn.execute(
            text(
                "INSERT INTO service_times (call_id, state, days) VALUES (2, 'integration_requested', 20)"
            )
        )
        for app_id, call_id, state in [(1, 1, "integration_requested"),
                                        (2, 2, "integration_requested"),
                                        (3, 1, "under_evaluation"), (4, 1, "draft")]:  # fmt: skip
            conn.execute(text(
                "INSERT INTO applications (id, call_id, workflow, state, version, title, "
                "challenges, needs, objectives, actions, investments, lead_organisation_id, "
                "created_at, updated_at, state_entered_at, submitted_at) VALUES (:id, :call, "
                "'value_chain', :state, 1, :title, 'C', 'N', 'O', 'A', 'I', 1, "
                "'2023-02-01 00:00:00', '2023-02-01 00:00:00', '2023-02-01 00:00:00', :submitted)"
            ), {"id": app_id, "call": call_id, "state": state, "title": f"Chain {app_id}",
                "submitted": None if state == "draft" else "2023-02-02 09:00:00"})  # fmt: skip
        for app_id in (1, 2):
            _history(conn, app_id, 1, "submit", "draft", "submitted", "2023-02-02 09:00:00")
            _history(conn, app_id, 2, "request_integration", "submitted", "integration_requested",
                     "2023-03-01 23:30:00", f"Question {app_id}?")  # fmt: skip
        _history(conn, 3, 1, "submit", "draft", "submitted", "2023-02-02 09:00:00")
        _history(conn, 3, 2, "request_integration", "submitted", "integration_requested",
                 "2023-02-10 10:00:00", "Old question?")  # fmt: skip
        _history(conn, 3, 3, "resubmit", "integration_requested", "submitted",
                 "2023-02-20 10:00:00", "Answered.")  # fmt: skip
        _history(conn, 3, 4, "admit", "submitted", "under_evaluation", "2023-02-25 10:00:00")
    upgrade()
    with db.engine.connect() as conn:
        calls = conn.execute(text("SELECT id, integration_reply_days FROM calls ORDER BY id")).all()
        requests = conn.execute(
            text(
                "SELECT application_id, number, question, reply_by, requested_by_id, reply, "
                "closed_at FROM integration_requests ORDER BY application_id"
            )
        ).all()
        versions = conn.execute(
            text("SELECT application_id, round, trigger, title, content FROM concept_note_versions")
        ).all()
        kept = conn.execute(text("SELECT count(*) FROM service_times")).scalar()
    assert [tuple(c) for c in calls] == [(1, 30), (2, 20)]
    # asked at 23:30 UTC on 1 March: already 2 March in Rome
    assert [(r[0], r[1], r[2], str(r[3]), r[4], r[5], r[6]) for r in requests] == [
        (1, 1, "Question 1?", "2023-04-01", 1, "", None),
        (2, 1, "Question 2?", "2023-03-22", 1, "", None),
    ]
    [(app_id, round_, trigger, title, content)] = versions
    assert (app_id, round_, trigger, title) == (3, 2, "resubmit", "Chain 3")
    content = content if isinstance(content, dict) else json.loads(content)
    assert content == {"challenges": "C", "needs": "N", "objectives": "O", "actions": "A",
                       "investments": "I"}  # fmt: skip
    assert kept == 1  # the old service time stays
    db.session.remove()
    downgrade(revision=before)
    assert "integration_requests" not in inspect(db.engine).get_table_names()
    columns = {c["name"] for c in inspect(db.engine).get_columns("calls")}
    assert "integration_reply_days" not in columns
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM applications")).scalar() == 4
    upgrade()
