"""Sending the outbox: a server that is down, refuses or fails for a while, senders running at
once, STARTTLS and login, and the command line."""

from __future__ import annotations

import datetime as dt
import shutil
import ssl
import subprocess
import threading
from collections import Counter

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from smtptools import Inbox, free_port
from sqlalchemy import select

from tracker.columns import utcnow
from tracker.database import commit
from tracker.extensions import db
from tracker.mail import sending
from tracker.mail.models import OutboxEmail
from tracker.mail.operations import queue
from tracker.mail.sending import CLAIM, MAX_ATTEMPTS, claim, send_outbox


@pytest.fixture
def people(make, world):
    """Three applicants of the world's application, and its application; the outbox empty."""
    app = make.application(world.call, world.lead)
    orgs = [p.organisation for p in app.partners if not p.is_lead][:2]
    staff = [world.lead] + [make.user("applicant", organisation=o) for o in orgs]
    db.session.query(OutboxEmail).delete()
    commit()
    return type("People", (), {"app": app, "staff": staff})


def queue_receipts(people, times: int = 1) -> list[OutboxEmail]:
    """Receipts of ``people.app`` to each of its staff, ``times`` over, committed."""
    emails = []
    for _ in range(times):
        emails += queue("submission_received", people.app)
    commit()
    return emails


def rows() -> list[OutboxEmail]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id)))


def run_cli(app, *args):
    return app.test_cli_runner().invoke(args=["mail", *args])


def test_server_down_keeps_the_email_then_delivers_it(app, people, smtp):
    queue_receipts(people)
    port = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = free_port()  # nobody listens there

    result = run_cli(app, "send")
    assert result.exit_code == 1
    assert "SMTP server unreachable" in result.output
    assert "2 more due email(s) wait for the next run" in result.output
    status = run_cli(app, "status").output
    assert status.startswith("3 queued, 0 sent, 0 failed")
    assert "submission_received to" in status and "1 attempt(s), next at" in status
    first, *others = rows()
    assert (first.status, first.attempts) == ("queued", 1)
    assert "Connection refused" in first.last_error or "ConnectionRefused" in first.last_error
    assert first.next_attempt_at > utcnow()
    assert [(e.status, e.attempts, e.last_error) for e in others] == [("queued", 0, None)] * 2
    assert smtp.messages == []

    app.config["MAIL_PORT"] = port  # the server is back
    run = send_outbox()  # the two untouched emails go at once...
    assert run.sent == 2
    run = send_outbox(now=first.next_attempt_at)  # ...the one tried, when its retry is due
    assert run.sent == 1
    assert [(e.status, e.attempts) for e in rows()] == [("sent", 2), ("sent", 1), ("sent", 1)]
    assert sorted(m["To"] for m in smtp.messages) == sorted(p.email for p in people.staff)


def test_an_unreachable_server_never_gives_an_email_up(app, people, nowhere):
    queue_receipts(people)
    now = utcnow()
    for _ in range(MAX_ATTEMPTS + 2):
        now += sending.LONGEST_WAIT
        send_outbox(now=now)
    assert {e.status for e in rows()} == {"queued"}


def test_a_permanent_refusal_gives_up_and_keeps_the_row(app, people, smtp):
    lost = people.staff[1].email
    smtp.refuse[lost] = "550 5.1.1 No such mailbox"
    queue_receipts(people)

    result = run_cli(app, "send")
    assert result.exit_code == 0, result.output
    assert "2 sent, 0 failed and will be retried, 1 given up." in result.output
    assert f"to {lost}, attempt 1 of {MAX_ATTEMPTS}: {lost}: 550 5.1.1 No such mailbox" in (
        result.output
    )
    refused = next(e for e in rows() if e.address == lost)
    assert refused.status == "failed" and "550" in refused.last_error
    assert send_outbox(now=utcnow() + dt.timedelta(days=30)).sent == 0  # never tried again

    status = run_cli(app, "status")
    assert "0 queued, 2 sent, 1 failed" in status.output
    assert f"#{refused.id} submission_received to {lost}" in status.output

    del smtp.refuse[lost]  # the mailbox was created: an administrator queues it again
    assert "1 failed email(s) queued again." in run_cli(app, "retry", str(refused.id)).output
    assert send_outbox().sent == 1
    assert len(smtp.to(lost)) == 1


def test_a_temporary_refusal_is_retried_with_backoff_then_given_up(app, people, smtp):
    busy = people.staff[2].email
    smtp.refuse[busy] = "451 4.3.0 Try again later"
    queue_receipts(people)
    now = utcnow()
    waits = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        run = send_outbox(now=now)
        (failure,) = run.failures
        assert failure.attempts == attempt
        row = next(e for e in rows() if e.address == busy)
        if attempt < MAX_ATTEMPTS:
            assert row.status == "queued" and failure.retry_at == row.next_attempt_at
            assert send_outbox(now=row.next_attempt_at - dt.timedelta(seconds=1)).failures == []
            waits.append(row.next_attempt_at - now)
            now = row.next_attempt_at
    assert row.status == "failed" and row.attempts == MAX_ATTEMPTS and "451" in row.last_error
    assert waits[:4] == [dt.timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert all(a <= b for a, b in zip(waits, waits[1:], strict=False))
    assert max(waits) <= sending.LONGEST_WAIT
    assert smtp.to(busy) == []


@pytest.mark.fresh_database
def test_two_senders_at_once_send_each_email_once(app, people, smtp):
    queue_receipts(people, times=15)  # 45 emails
    start = threading.Barrier(3)
    errors = []

    def sender():
        try:
            with app.app_context():
                start.wait()
                send_outbox()
                db.session.remove()
        except Exception as err:  # reported below: a thread's exception would vanish
            errors.append(err)

    threads = [threading.Thread(target=sender) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    ids = Counter(m["Message-ID"] for m in smtp.messages)
    assert len(ids) == 45 and set(ids.values()) == {1}
    assert {(e.status, e.attempts) for e in rows()} == {("sent", 1)}


def test_a_claimed_email_is_not_taken_again_until_its_claim_runs_out(app, people, smtp):
    (email, *_) = queue_receipts(people)
    now = utcnow()
    assert claim(email.id, 0, now) is True
    assert claim(email.id, 0, now) is False  # the other sender loses
    # the sender that claimed it died before sending: nobody sends it while the claim holds...
    assert send_outbox(now=now + CLAIM - dt.timedelta(seconds=1)).sent == 2
    assert smtp.to(email.address) == []
    # ...then someone does, with the Message-ID it was queued with
    assert send_outbox(now=now + CLAIM).sent == 1
    (msg,) = smtp.to(email.address)
    assert msg["Message-ID"] == email.message_id


def test_nothing_to_send(app, people, smtp):
    result = run_cli(app, "send")
    assert result.exit_code == 0 and result.output.strip() == "Nothing to send."


def test_limit(app, people, smtp):
    queue_receipts(people)
    result = run_cli(app, "send", "--limit", "2")
    assert "2 sent" in result.output
    assert [e.status for e in rows()] == ["sent", "sent", "queued"]


@pytest.fixture
def certificate(tmp_path):
    """A self-signed certificate for 127.0.0.1 (openssl), and a client context trusting it."""
    if shutil.which("openssl") is None:
        pytest.fail("openssl is needed to test STARTTLS")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(cert, key)
    return cert, server


def test_starttls_and_login(app, people, certificate, monkeypatch):
    cert, server_context = certificate
    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"s3cret", handled=False)

    inbox = Inbox()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=free_port(), tls_context=server_context,
        require_starttls=True, authenticator=authenticator, auth_required=True,
    )  # fmt: skip
    controller.start()
    trusting = ssl.create_default_context(cafile=str(cert))
    monkeypatch.setattr(sending.ssl, "create_default_context", lambda: trusting)
    monkeypatch.setattr(sending, "SMTP_TIMEOUT", 5)
    app.config.update(
        MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port, MAIL_USE_TLS=True,
        MAIL_USERNAME="tracker", MAIL_PASSWORD="wrong",
    )  # fmt: skip
    try:
        queue_receipts(people)
        run = send_outbox()
        assert run.unreachable and "535" in run.unreachable  # a refused login: ours to fix
        app.config["MAIL_PASSWORD"] = "s3cret"
        run = send_outbox(now=utcnow() + dt.timedelta(hours=1))
        assert run.sent == 3 and not run.failures
    finally:
        controller.stop()
    assert set(logins[:-1]) == {(b"tracker", b"wrong")}  # smtplib tries each mechanism
    assert logins[-1] == (b"tracker", b"s3cret")
    assert len(inbox.messages) == 3
