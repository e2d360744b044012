"""Sending the outbox over SMTP, once: ``flask --app wsgi mail send`` (cron runs it every minute).

Each due email is first *claimed* by a conditional UPDATE that only one sender can win (it moves
``next_attempt_at`` past now and counts the attempt), committed before anything is sent: two
senders running at once never send the same email twice, on SQLite as on PostgreSQL. A sender
that dies holding an email leaves it to be taken again when its claim runs out (``CLAIM``); the
email then goes out again with the same Message-ID, so delivery is at least once, never lost.

A failed attempt is recorded on the row (``last_error``) and retried later, waiting twice as
long each time; a permanent refusal of the recipient or of the content (an SMTP 5xx), or the
``MAX_ATTEMPTS``-th failure, gives up: the row stays in the outbox as ``failed``, never deleted.
When the server cannot be reached (or refuses STARTTLS or the login) the run stops at once: the
email it was sending counts the attempt and waits, never given up for it, and the others stay due
for the next run; the command then exits with status 1.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import func, select, update

from tracker.columns import utcnow
from tracker.extensions import db
from tracker.mail.models import OutboxEmail

MAX_ATTEMPTS = 8
FIRST_RETRY = dt.timedelta(minutes=1)
LONGEST_WAIT = dt.timedelta(hours=6)
#: how long a sender holds an email it took; one that died is replaced after this
CLAIM = dt.timedelta(minutes=10)
SMTP_TIMEOUT = 30  # seconds; well within CLAIM


class Unreachable(Exception):
    """The SMTP server could not be reached or refused us (connection, STARTTLS, login)."""


def retry_delay(attempts: int) -> dt.timedelta:
    """How long to wait after the ``attempts``-th failure: 1, 2, 4... minutes, at most 6 hours."""
    return min(FIRST_RETRY * 2 ** max(0, attempts - 1), LONGEST_WAIT)


@dataclass
class Failure:
    email_id: int
    address: str
    attempts: int
    error: str
    #: when it will be tried again; None: given up
    retry_at: dt.datetime | None


@dataclass
class Run:
    """What one run did."""

    sent: int = 0
    failures: list[Failure] = field(default_factory=list)
    #: why the server could not be reached, if it could not
    unreachable: str | None = None
    #: due emails left untried because the server could not be reached
    left: int = 0

    @property
    def retrying(self) -> list[Failure]:
        return [f for f in self.failures if f.retry_at is not None]

    @property
    def given_up(self) -> list[Failure]:
        return [f for f in self.failures if f.retry_at is None]

    def lines(self) -> list[str]:
        """The run in words, for the command line and cron's mail."""
        if not (self.sent or self.failures or self.unreachable):
            return ["Nothing to send."]
        out = [
            f"{self.sent} sent, {len(self.retrying)} failed and will be retried, "
            f"{len(self.given_up)} given up."
        ]
        for f in self.failures:
            where = (
                f"  #{f.email_id} to {f.address}, attempt {f.attempts} of {MAX_ATTEMPTS}: {f.error}"
            )
            if f.retry_at is None:
                out.append(f"{where} - given up, kept in the outbox as failed.")
            else:
                out.append(f"{where} - will retry at {f.retry_at:%Y-%m-%d %H:%M:%S} UTC.")
        if self.unreachable:
            out.append(
                f"SMTP server unreachable ({self.unreachable}); "
                f"{self.left} more due email(s) wait for the next run."
            )
        return out


def _connect() -> smtplib.SMTP:
    config = current_app.config
    try:
        smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=SMTP_TIMEOUT)
    except (OSError, smtplib.SMTPException) as err:
        raise Unreachable(
            f"{config['MAIL_SERVER']}:{config['MAIL_PORT']}: {_describe(err)}"
        ) from err
    try:
        if config["MAIL_USE_TLS"]:
            smtp.starttls(context=ssl.create_default_context())
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
    except (OSError, smtplib.SMTPException) as err:
        smtp.close()
        raise Unreachable(
            f"{config['MAIL_SERVER']}:{config['MAIL_PORT']}: {_describe(err)}"
        ) from err
    return smtp


def _describe(err: BaseException) -> str:
    if isinstance(err, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{addr}: {code} {_text(msg)}" for addr, (code, msg) in err.recipients.items()
        )
    if isinstance(err, smtplib.SMTPResponseException):
        return f"{err.smtp_code} {_text(err.smtp_error)}"
    return f"{type(err).__name__}: {err}"


def _text(msg: bytes | str) -> str:
    return msg.decode("utf-8", "replace") if isinstance(msg, bytes) else str(msg)


def _permanent(err: BaseException) -> bool:
    """The recipient or the content was refused for good (5xx): trying again changes nothing.
    A refused sender (MAIL FROM) is our configuration, fixed by an administrator: retried."""
    if isinstance(err, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in err.recipients.values())
    if isinstance(err, smtplib.SMTPDataError):
        return err.smtp_code >= 500
    return isinstance(err, ValueError)  # a message that cannot be written (a bad address)


def message_for(email: OutboxEmail, now: dt.datetime) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = email.subject
    msg["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    msg["To"] = email.address
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = email.message_id
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies, please
    msg["X-Auto-Response-Suppress"] = "All"
    msg.set_content(email.body, charset="utf-8")
    origin = _origin(current_app.config["TRACKER_BASE_URL"])
    msg.add_alternative(html_of(email.body, email.language, email.subject, origin), subtype="html")
    msg["Content-Language"] = email.language  # last: the parts above move Content-* headers
    return msg


_URL = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:)]")


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


def _linked(text: str, origin: tuple[str, str]) -> str:
    """``text`` escaped for HTML, the app's own web addresses (of ``origin``) made links. An
    address someone typed into a title or a comment stays text: an e-mail from the Region must
    not offer a click to wherever a stranger chose."""
    out, start = [], 0
    for match in _URL.finditer(text):
        if _origin(match.group(0)) != origin:
            continue
        url = html.escape(match.group(0))
        out += [html.escape(text[start : match.start()]), f'<a href="{url}">{url}</a>']
        start = match.end()
    return "".join(out) + html.escape(text[start:])


def html_of(text: str, language: str, title: str, origin: tuple[str, str]) -> str:
    """The text body as plain HTML, for mail clients that show HTML: the same words (so nothing
    more to translate), paragraphs, the app's links to click; the signature in small type."""
    body, _, signature = text.partition("\n-- \n")
    paragraphs = [p for p in body.split("\n\n") if p.strip()]
    parts = [
        f"<p>{_linked(p.strip(), origin).replace(chr(10), '<br>' + chr(10))}</p>"
        for p in paragraphs
    ]
    if signature.strip():
        small = _linked(signature.strip(), origin).replace("\n", "<br>\n")
        parts.append(f'<hr>\n<p style="color:#555;font-size:90%">{small}</p>')
    return (
        f'<!doctype html>\n<html lang="{html.escape(language)}">\n<head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head>\n<body>\n"
        + "\n".join(parts)
        + "\n</body>\n</html>\n"
    )


def due_emails(now: dt.datetime, limit: int | None = None) -> list[tuple[int, int]]:
    """(id, attempts) of the emails whose time has come, oldest first."""
    query = (
        select(OutboxEmail.id, OutboxEmail.attempts)
        .where(OutboxEmail.status == "queued", OutboxEmail.next_attempt_at <= now)
        .order_by(OutboxEmail.next_attempt_at, OutboxEmail.id)
        .limit(limit)
    )
    rows = [(row.id, row.attempts) for row in db.session.execute(query)]
    db.session.commit()  # end the read: each claim starts its own transaction
    return rows


def claim(email_id: int, attempts: int, now: dt.datetime) -> bool:
    """Take the email for this sender: True for exactly one of several senders trying at once.

    The UPDATE only matches the row as this sender saw it (same attempts, still due); the winner
    moves it out of reach for ``CLAIM``. PostgreSQL makes a second UPDATE wait for the first and
    re-check the condition; SQLite lets one writer in at a time.
    """
    result = db.session.execute(
        update(OutboxEmail)
        .where(
            OutboxEmail.id == email_id,
            OutboxEmail.status == "queued",
            OutboxEmail.attempts == attempts,
            OutboxEmail.next_attempt_at <= now,
        )
        .values(attempts=OutboxEmail.attempts + 1, next_attempt_at=now + CLAIM)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def _mark_sent(email_id: int) -> None:
    db.session.execute(
        update(OutboxEmail)
        .where(OutboxEmail.id == email_id)
        .values(status="sent", sent_at=utcnow(), last_error=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _mark_failed(email: OutboxEmail, err: BaseException, now: dt.datetime) -> Failure:
    # An unreachable server is no fault of the email's: it waits, however long that takes.
    give_up = not isinstance(err, Unreachable) and (
        _permanent(err) or email.attempts >= MAX_ATTEMPTS
    )
    retry_at = None if give_up else now + retry_delay(email.attempts)
    values: dict = {"last_error": _describe(err)[:2000]}
    values |= {"status": "failed"} if give_up else {"next_attempt_at": retry_at}
    db.session.execute(
        update(OutboxEmail)
        .where(OutboxEmail.id == email.id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return Failure(email.id, email.address, email.attempts, values["last_error"], retry_at)


def send_outbox(now: dt.datetime | None = None, limit: int | None = None) -> Run:
    """Send every due email once (at most ``limit``), over one SMTP connection."""
    now = now or utcnow()
    run = Run()
    due = due_emails(now, limit)
    smtp: smtplib.SMTP | None = None
    try:
        for position, (email_id, attempts) in enumerate(due):
            if not claim(email_id, attempts, now):
                continue  # another sender took it
            email = db.session.get(OutboxEmail, email_id, populate_existing=True)
            try:
                smtp = smtp or _connect()
            except Unreachable as err:
                run.failures.append(_mark_failed(email, err, now))
                run.unreachable = str(err)
                run.left = len(due) - position - 1
                break
            try:
                smtp.send_message(message_for(email, utcnow()))
            except (OSError, ValueError, smtplib.SMTPException) as err:
                run.failures.append(_mark_failed(email, err, now))
                if isinstance(err, OSError | smtplib.SMTPServerDisconnected):
                    smtp = _close(smtp)  # the next email opens a new connection
            else:
                _mark_sent(email_id)
                run.sent += 1
    finally:
        _close(smtp)
    return run


def _close(smtp: smtplib.SMTP | None) -> None:
    if smtp is None:
        return None
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()
    return None


def outbox_counts() -> dict[str, int]:
    """How many emails the outbox holds in each status."""
    rows = db.session.execute(select(OutboxEmail.status, func.count()).group_by(OutboxEmail.status))
    return {status: count for status, count in rows}
