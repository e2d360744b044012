"""Migration 0024_annexes with data in place: every row stays; a draft (or an application
answering an integration) recorded as signed without any uploaded agreement is no longer
signed, one with its PDF stays signed, and one past its submission keeps its record; then down
and up again."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from tracker.extensions import db

PATH = Path(__file__).parents[2] / "migrations" / "versions" / "0024_annexes.py"
SIGNED = "2023-02-01 10:00:00"


def _down_revision() -> str:
    spec = importlib.util.spec_from_file_location("migration_annexes", PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.down_revision


@pytest.mark.fresh_database
def test_signed_without_a_pdf_is_cleared_only_where_the_lead_can_still_upload(empty_database):
    from flask_migrate import downgrade, upgrade

    before = _down_revision()
    upgrade(revision=before)
    with db.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO users (id, email, name, password_hash, active, created_at, language) "
            "VALUES (1, 'l@example.org', 'L', 'x', TRUE, '2023-01-01 00:00:00', 'en')"
        ))  # fmt: skip
        conn.execute(text(
            "INSERT INTO organisations (id, name, vat_number, kind, size, province, city, "
            "lombardy_seat, created_at, verified_at) VALUES (1, 'Lead Srl', '12345678903', "
            "'firm', 'small', 'BS', 'Brescia', TRUE, '2023-01-01 00:00:00', '2023-01-01 00:00:00')"
        ))  # fmt: skip
        conn.execute(text(
            "INSERT INTO calls (id, title, workflow, description, act_reference, opens_at, "
            "deadline, min_firms, min_reviews, score_threshold, committed, created_at) VALUES "
            "(1, 'EOI', 'value_chain', '', '', '2023-01-01', '2027-12-31', 1, 1, 0, 0, "
            "'2023-01-01 00:00:00')"
        ))  # fmt: skip
        rows = [(1, "draft", SIGNED), (2, "draft", SIGNED), (3, "under_evaluation", SIGNED),
                (4, "integration_requested", SIGNED), (5, "draft", None)]  # fmt: skip
        for app_id, state, signed in rows:
            conn.execute(text(
                "INSERT INTO applications (id, call_id, workflow, state, version, title, "
                "challenges, needs, objectives, actions, investments, lead_organisation_id, "
                "agreement_signed_at, agreement_signed_by_id, created_at, updated_at, "
                "state_entered_at) VALUES (:id, 1, 'value_chain', :state, 1, :title, 'C', 'N', "
                "'O', 'A', 'I', 1, :signed, :by, '2023-01-05 00:00:00', '2023-01-05 00:00:00', "
                "'2023-01-05 00:00:00')"
            ), {"id": app_id, "state": state, "title": f"Chain {app_id}", "signed": signed,
                "by": 1 if signed else None})  # fmt: skip
        # the second draft uploaded its signed agreement
        conn.execute(text(
            "INSERT INTO agreement_documents (application_id, filename, content_type, size, "
            "sha256, content, uploaded_by_id, uploaded_at) VALUES (2, 'a.pdf', "
            "'application/pdf', 3, :sha, :content, 1, '2023-02-01 10:00:00')"
        ), {"sha": "a" * 64, "content": b"%PD"})  # fmt: skip
    upgrade()
    with db.engine.connect() as conn:
        signed = dict(
            conn.execute(
                text("SELECT id, agreement_signed_at IS NOT NULL FROM applications ORDER BY id")
            ).all()
        )
        documents = conn.execute(text("SELECT count(*) FROM agreement_documents")).scalar()
    assert {k: bool(v) for k, v in signed.items()} == {
        1: False,  # a draft, no PDF: the lead uploads it before submitting
        2: True,  # its PDF is there
        3: True,  # past its submission: the record of the day stays
        4: False,  # answering an integration: it resubmits, so it uploads first
        5: False,
    }
    assert documents == 1
    tables = set(inspect(db.engine).get_table_names())
    assert {"call_annexes", "annex_documents"} <= tables
    db.session.remove()
    downgrade(revision=before)
    assert "call_annexes" not in inspect(db.engine).get_table_names()
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM applications")).scalar() == 5
    upgrade()
