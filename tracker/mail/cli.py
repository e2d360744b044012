"""``flask --app wsgi mail send|status|retry``: the outbox from the command line."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select, update

from tracker.columns import utcnow
from tracker.extensions import db
from tracker.mail.models import OutboxEmail
from tracker.mail.sending import outbox_counts, send_outbox

mail = AppGroup("mail", help="Send the email outbox and look into it.")


@mail.command("send")
@click.option("--limit", type=click.IntRange(min=1), help="Send at most this many emails.")
@with_appcontext
def mail_send(limit: int | None) -> None:
    """Send what waits in the mail outbox once, then exit.

    Exits with status 1 when the SMTP server cannot be reached (the emails wait for the next
    run); emails the server refuses are recorded on their row and retried or given up.
    """
    run = send_outbox(limit=limit)
    for line in run.lines():
        click.echo(line, err=line.startswith("SMTP server unreachable"))
    if run.unreachable:
        sys.exit(1)


@mail.command("status")
@with_appcontext
def mail_status() -> None:
    """How many emails are queued, sent and failed; those waiting for a retry, and the failed."""
    counts = outbox_counts()
    click.echo(", ".join(f"{counts.get(s, 0)} {s}" for s in ("queued", "sent", "failed")))
    retrying = db.session.scalars(
        select(OutboxEmail)
        .where(OutboxEmail.status == "queued", OutboxEmail.last_error.is_not(None))
        .order_by(OutboxEmail.next_attempt_at)
    )
    for email in retrying:
        click.echo(
            f"  #{email.id} {email.kind} to {email.address}, {email.attempts} attempt(s), "
            f"next at {email.next_attempt_at:%Y-%m-%d %H:%M:%S} UTC: {email.last_error}"
        )
    failed = db.session.scalars(
        select(OutboxEmail).where(OutboxEmail.status == "failed").order_by(OutboxEmail.id)
    )
    for email in failed:
        click.echo(
            f"  #{email.id} {email.kind} to {email.address}, {email.attempts} attempt(s): "
            f"{email.last_error}"
        )


@mail.command("retry")
@click.argument("ids", nargs=-1, type=click.IntRange(min=1))
@with_appcontext
def mail_retry(ids: tuple[int, ...]) -> None:
    """Queue failed emails again (all of them, or those numbered IDS) for the next send."""
    query = (
        update(OutboxEmail)
        .where(OutboxEmail.status == "failed")
        .values(status="queued", attempts=0, next_attempt_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if ids:
        query = query.where(OutboxEmail.id.in_(ids))
    count = db.session.execute(query).rowcount
    db.session.commit()
    click.echo(f"{count} failed email(s) queued again.")
