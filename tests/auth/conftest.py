"""Fixtures of the account tests: logging in through the login page, reading the outbox."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tracker.extensions import db
from tracker.mail.models import OutboxEmail


@pytest.fixture
def login(app):
    """``login(user, password)`` -> a test client logged in as ``user`` through /login."""

    def _login(user, password: str = "secret-pass", client=None):
        client = client or app.test_client()
        response = client.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        return client

    return _login


@pytest.fixture
def outbox():
    def _outbox(kind: str | None = None) -> list[OutboxEmail]:
        db.session.expire_all()
        query = select(OutboxEmail).order_by(OutboxEmail.id)
        if kind:
            query = query.where(OutboxEmail.kind == kind)
        return list(db.session.scalars(query))

    return _outbox
