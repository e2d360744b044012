"""Queueing email in the transaction of the change it tells about, and what each person gets.

The receivers below run inside the change's transaction (``tracker.signals``): the outbox rows
they add are committed with the change, or rolled back with it. Each email is rendered at once in
its recipient's language, so the sender only has to send.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal, InvalidOperation
from email.utils import make_msgid, parseaddr
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, render_template
from flask_babel import force_locale, format_currency, format_date
from flask_babel import lazy_gettext as _
from sqlalchemy import (
    Select,
    and_,
    delete,
    func,
    insert,
    inspect,
    literal,
    literal_column,
    or_,
    select,
    union_all,
)
from sqlalchemy.sql import ColumnElement

from tracker.applications.models import Application, Partner
from tracker.auth.models import User, UserRole
from tracker.calls.models import Call, CommitteeMember
from tracker.changes.models import PartnershipChange
from tracker.columns import utcnow
from tracker.communities.models import CommunityMember, Proposal
from tracker.database import flush
from tracker.errors import ValidationFailed
from tracker.extensions import db
from tracker.i18n import LANGUAGES
from tracker.mail.kinds import ACCOUNT_KINDS, EVENTS, GROUPS, KIND_GROUP, KINDS, Kind
from tracker.mail.models import MailOptOut, OutboxEmail
from tracker.notifications.operations import notice_text, post_notices
from tracker.reports.models import Report
from tracker.signals import committee_appointed, state_changed
from workflows.i18n import N_

_muted: ContextVar[bool] = ContextVar("tracker_mail_muted", default=False)


@contextmanager
def muted() -> Iterator[None]:
    """Changes made inside queue no email. The demo replays years of invented history: it must
    not fill the outbox with thousands of emails about the past."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


# --- who receives what ---------------------------------------------------------------------------


def _has_role(role: str) -> ColumnElement[bool]:
    return User.role_rows.any(UserRole.role == role)


def _partner_organisations(app: Application):
    return select(Partner.organisation_id).where(Partner.application_id == app.id)


def _partnership(app: Application) -> ColumnElement[bool]:
    """Staff of every partner, the lead's included: the object roles ``partner`` and ``lead``."""
    return and_(User.organisation_id.in_(_partner_organisations(app)), _has_role("applicant"))


def _committee(app: Application) -> ColumnElement[bool]:
    """The call's committee members without conflict of interest: those who may review it."""
    members = select(CommitteeMember.user_id).where(CommitteeMember.call_id == app.call_id)
    return and_(
        User.id.in_(members),
        _has_role("reviewer"),
        or_(
            User.organisation_id.is_(None), User.organisation_id.not_in(_partner_organisations(app))
        ),
    )


def _community(proposal: Proposal, role: str | None = None) -> ColumnElement[bool]:
    members = select(CommunityMember.user_id).where(
        CommunityMember.community_id == proposal.community_id
    )
    if role is not None:
        members = members.where(CommunityMember.role == role)
    return User.id.in_(members)


def _applicant_staff(organisation_id: int) -> ColumnElement[bool]:
    return and_(User.organisation_id == organisation_id, _has_role("applicant"))


def _change_parties(change: PartnershipChange) -> ColumnElement[bool]:
    """Everyone a partnership change concerns: the partnership's staff, the named organisation's
    staff (a joining firm is not a partner yet) and who asked it."""
    return or_(
        _partnership(change.application),
        _applicant_staff(change.organisation_id),
        User.id == change.requested_by_id,
    )


def _change_counterpart(change: PartnershipChange) -> ColumnElement[bool]:
    """The staff who answer a change: the lead partner's; the named partner's for a new lead."""
    return _applicant_staff(change.counterpart_organisation_id())


#: audience name -> the people it means, as a WHERE clause on users, for the object an email is about
AUDIENCES: dict[str, Callable[[Any], ColumnElement[bool]]] = {
    "partnership": _partnership,
    "committee": _committee,
    "appointee": lambda member: User.id == member.user_id,
    "officers": lambda _: _has_role("officer"),
    "board": lambda _: _has_role("board"),
    "community": _community,
    "coordinators": lambda proposal: _community(proposal, "coordinator"),
    "change_parties": _change_parties,
    "change_counterpart": _change_counterpart,
    "report_partnership": lambda report: _partnership(report.application),
}


#: what an email needs of its reader (``render``): a recipient is read as these columns only
READER_COLUMNS = (User.id, User.email, User.name, User.language)


def _audience(kind: Kind, about: Any, actor: User | None) -> Select:
    """Who gets ``kind`` about ``about`` (``READER_COLUMNS``), each with the kind's name."""
    query = select(*READER_COLUMNS, literal(kind.name).label("kind")).where(
        AUDIENCES[kind.audience](about),
        User.active.is_(True),
        User.email != "",
        User.id.not_in(select(MailOptOut.user_id).where(MailOptOut.kind == kind.name)),
    )
    if actor is not None and not kind.receipt:
        query = query.where(User.id != actor.id)
    return query


def recipients_of(kinds: list[Kind], about: Any, actor: User | None = None) -> dict[str, list]:
    """Who gets each of ``kinds`` about ``about`` (kind name -> readers, by id): its audience,
    active, with an address, not having turned it off, and not the person who acted (unless the
    kind is a receipt). One statement whatever the kinds (a transition's two emails: a round
    trip fewer), each kind's audience a branch of a ``UNION ALL``; the readers are rows of
    ``READER_COLUMNS``, not users loaded into the session (nothing else of them is read)."""
    readers = union_all(*(_audience(kind, about, actor) for kind in kinds))
    out: dict[str, list] = {kind.name: [] for kind in kinds}
    for reader in db.session.execute(readers.order_by(literal_column("id"))):
        out[reader.kind].append(reader)
    return out


# --- writing the emails ----------------------------------------------------------------------------


def absolute_url(endpoint: str, **values: Any) -> str:
    """A link for an email: built from TRACKER_BASE_URL, as no request tells the host."""
    base = urlsplit(current_app.config["TRACKER_BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "http"
    )
    return adapter.build(endpoint, values, force_external=True)


def _what(about: Any) -> tuple[str, int, str, str]:
    """(object type, id, title, link) of what an email is about."""
    if isinstance(about, Application):
        link = absolute_url("applications.detail", application_id=about.id)
        return "application", about.id, about.title, link
    if isinstance(about, Proposal):
        link = absolute_url("proposals.detail", proposal_id=about.id)
        return "proposal", about.id, about.title, link
    if isinstance(about, PartnershipChange):
        link = absolute_url("changes.detail", change_id=about.id)
        return "change", about.id, about.application.title, link
    if isinstance(about, Report):
        link = absolute_url("reports.detail", report_id=about.id)
        return "report", about.id, about.application.title, link
    if isinstance(about, CommitteeMember):
        call = db.session.get(Call, about.call_id)
        return "call", call.id, call.title, absolute_url("calls.detail", call_id=call.id)
    raise TypeError(f"no email is written about a {type(about).__name__}")


def language_of(user: User) -> str:
    """The language a person reads their email in: theirs, else the app's default."""
    if user.language in LANGUAGES:
        return user.language
    return current_app.config["BABEL_DEFAULT_LOCALE"]


#: blank lines a template leaves where an optional part was empty
_BLANK_RUNS = re.compile(r"\n{3,}")


def _one_line(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _sender_domain() -> str:
    address = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[1]
    return address.rpartition("@")[2] or "tracker.localhost"


def _date(value: Any) -> str:
    """A date (ISO text, date or aware datetime) the way the reader's language writes it."""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    return format_date(value, "long") if value else ""


def _money(value: Any) -> str:
    try:
        return format_currency(Decimal(str(value)), "EUR")
    except (InvalidOperation, ValueError):
        return str(value)


#: stands for the reader's name while an email is written once for all its readers in a language:
#: the templates greet by ``person.name`` (_base.txt), the only part that differs between readers
#: (tests/mail check that no mail template reads anything else of ``person``)
_NAME = "\x00reader's name\x00"


class _Reader:
    """The recipient as a template sees them while it is written for every reader of a language."""

    __slots__ = ()
    name = _NAME


def _write(kind: Kind, language: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """Subject, body and notice text of ``kind`` in ``language``, the body still to be finished
    (``_finish``). The notice's text is the email's ``body`` block: what happened, in the email's
    own words, without greeting, links or signature."""
    with force_locale(language):
        values = context | {"when": _date(context["when"]), "date": _date, "money": _money}
        subject = _one_line(str(kind.subject) % {"title": _one_line(context["title"], 200)})
        body = render_template(kind.template, **values)
        template = current_app.jinja_env.get_template(kind.template)
        block = template.blocks.get("body")
        text = "".join(block(template.new_context(values))) if block else ""
    return subject, body, notice_text(text)


def _finish(body: str, person: Any) -> str:
    """A body written with ``_NAME`` made ``person``'s, its runs of blank lines closed up."""
    body = body.replace(_NAME, person.name)
    return _BLANK_RUNS.sub("\n\n", body).strip() + "\n"


def _shared(about: Any) -> tuple:
    """What every email about ``about`` shares: (what it is about, preferences link, domain)."""
    return _what(about), absolute_url("account.index"), _sender_domain()


def _write_in(
    kind: Kind, language: str, about: Any, entry: Any, title: str, link: str, preferences_link: str
) -> tuple[str, str, str, str]:
    """(language used, subject, unfinished body, notice text) of ``kind`` for the readers of
    ``language``."""
    context = {
        "person": _Reader(),
        "about": about,
        "title": title,
        "entry": entry,
        "data": (entry.data or {}) if entry is not None else {},
        "comment": (entry.comment or "").strip() if entry is not None else "",
        "when": entry.at if entry is not None else utcnow(),
        "link": link,
        "preferences_link": preferences_link,
    }
    try:
        return (language, *_write(kind, language, context))
    except (KeyError, ValueError, TypeError):
        # A translation that breaks its placeholders must not stop the decision it tells about:
        # the email goes in English, and the error is logged for the translators.
        fallback = current_app.config["BABEL_DEFAULT_LOCALE"]
        if language == fallback:
            raise
        current_app.logger.exception(
            "email %s in %r failed; written in %r", kind.name, language, fallback
        )
        return (fallback, *_write(kind, fallback, context))


def render(
    kind: Kind,
    person: Any,
    about: Any,
    entry: Any = None,
    shared: tuple | None = None,
    written: dict[str, tuple[str, str, str]] | None = None,
) -> OutboxEmail:
    """The email ``kind`` about ``about`` for ``person`` (a user, or a reader row of
    ``recipients_of``: its id, email, name and language), in their language: not yet added.
    ``shared`` is ``_shared(about)``, when the caller writes several; ``written`` keeps what was
    written for each language (language -> language used, subject, body, notice text), to write
    it once."""
    (object_type, object_id, title, link), preferences_link, domain = shared or _shared(about)
    language = language_of(person)
    if written is None:
        written = {}
    if language not in written:
        written[language] = _write_in(kind, language, about, entry, title, link, preferences_link)
    language, subject, body, _text = written[language]
    body = _finish(body, person)
    now = utcnow()
    return OutboxEmail(
        user_id=person.id,
        address=person.email,
        kind=kind.name,
        language=language,
        subject=subject,
        body=body,
        link=link,
        object_type=object_type,
        object_id=object_id,
        message_id=make_msgid(f"{kind.name}.{object_type}{object_id}", domain=domain),
        status="queued",
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )


def queue(kind_name: str, about: Any, *, actor: User | None = None, entry: Any = None) -> list:
    """Add the emails of ``kind_name`` about ``about`` to the outbox, in the current transaction,
    and each its notice in the app for the same person (``tracker.notifications``)."""
    return queue_all([kind_name], about, actor=actor, entry=entry)


def queue_all(
    kind_names: Iterable[str], about: Any, *, actor: User | None = None, entry: Any = None
) -> list:
    """``queue`` for several kinds about one object (what one transition sends): their
    recipients read, their emails and their notices written with one statement each, whatever
    the kinds. The emails in the order of ``kind_names``, each kind's by recipient."""
    if _muted.get():
        return []
    kinds = [KINDS[name] for name in kind_names]
    people = recipients_of(kinds, about, actor)
    shared = _shared(about) if any(people.values()) else None
    emails: list[OutboxEmail] = []
    texts: dict[tuple[str, str], str] = {}
    for kind in kinds:
        written: dict[str, tuple[str, str, str, str]] = {}
        emails += [
            render(kind, person, about, entry, shared, written) for person in people[kind.name]
        ]
        texts |= {(kind.name, used): text for used, _, _, text in written.values()}
    _add(emails)
    post_notices(emails, texts)
    return emails


def _add(emails: list[OutboxEmail]) -> None:
    """Write the emails with one INSERT (a flush writes one statement per row on SQLite) and
    give each its id. They stay out of the session: complete as written (``render`` sets every
    column a queued email has), and nothing in the change reads them there, so neither the
    session nor its commit has to keep them."""
    if not emails:
        return
    table = OutboxEmail.__table__
    columns = [a.key for a in inspect(OutboxEmail).column_attrs if a.key != "id"]
    rows = [{k: v for k, v in inspect(e).dict.items() if k in columns} for e in emails]
    ids = dict(
        db.session.execute(insert(table).returning(table.c.message_id, table.c.id), rows).all()
    )
    for email in emails:
        email.id = ids[email.message_id]


def queue_account_email(
    kind_name: str, person: User, secret_link: str, **context: Any
) -> OutboxEmail:
    """Queue an email about ``person``'s own account (``ACCOUNT_KINDS``: a password reset, an
    invitation), carrying ``secret_link``, in their language. It is sent even when they turned
    emails off. The outbox row's ``link`` is the login page: the secret link is in the body
    only, which is why such links are short-lived and work once (tracker.auth.passwords)."""
    kind = ACCOUNT_KINDS[kind_name]
    language = language_of(person)
    site = _("the Lombardy value-chain tracker")
    login = absolute_url("auth.login")
    values = {
        "person": _Reader(), "title": site, "link": secret_link, "login_link": login,
        "when": utcnow(), **context,
    }  # fmt: skip
    with force_locale(language):
        subject = _one_line(str(kind.subject) % {"title": str(site)})
        body = render_template(kind.template, **values | {"when": _date(values["when"])})
    email = OutboxEmail(
        user_id=person.id,
        address=person.email,
        kind=kind.name,
        language=language,
        subject=subject,
        body=_finish(body, person),
        link=login,
        object_type="account",
        object_id=person.id,
        message_id=make_msgid(f"{kind.name}.account{person.id}", domain=_sender_domain()),
        status="queued",
        attempts=0,
        next_attempt_at=utcnow(),
    )
    db.session.add(email)
    flush()
    return email


def account_emails_since(person: User, kind_name: str, since: dt.datetime) -> int:
    """How many ``kind_name`` emails were queued for ``person`` since ``since``."""
    return db.session.scalar(
        select(func.count(OutboxEmail.id)).where(
            OutboxEmail.user_id == person.id,
            OutboxEmail.kind == kind_name,
            OutboxEmail.created_at >= since,
        )
    )


@state_changed.connect
def _on_state_changed(sender, *, subject, entry, firing, user, **_: Any) -> None:
    kinds = EVENTS.get((subject.workflow, firing.transition.trigger), ())
    if kinds:
        queue_all(kinds, subject, actor=user, entry=entry)


@committee_appointed.connect
def _on_committee_appointed(sender, *, member, user, **_: Any) -> None:
    queue("committee_appointed", member, actor=user)


# --- each person's choice --------------------------------------------------------------------------


def groups_for(user: User) -> list[tuple[str, object, list[Kind]]]:
    """The groups of kinds ``user`` may get, given their roles: (group, title, kinds)."""
    out = []
    for group, (title, role) in GROUPS.items():
        if role is None or user.has_role(role):
            kinds = [KINDS[name] for name, g in KIND_GROUP.items() if g == group]
            out.append((group, title, kinds))
    return out


def turned_off(user: User) -> set[str]:
    """The kinds ``user`` chose not to get."""
    return set(db.session.scalars(select(MailOptOut.kind).where(MailOptOut.user_id == user.id)))


def set_preferences(user: User, wanted: Iterable[Any]) -> None:
    """Keep the kinds ``user`` ticked among those offered to them; turn the others off.
    Kinds not offered to them (another role's) are left as they are."""
    wanted = set(wanted)
    offered = {k.name for _, _, kinds in groups_for(user) for k in kinds}
    unknown = sorted(str(w)[:50] for w in wanted - offered)
    if unknown:
        unknown_kinds = N_("Unknown kinds of email: %(kinds)s.", kinds=", ".join(unknown[:5]))
        raise ValidationFailed.fields({"receive": unknown_kinds})
    off = turned_off(user)
    newly_off = (offered - wanted) - off
    back_on = wanted & off
    if back_on:
        db.session.execute(
            delete(MailOptOut).where(MailOptOut.user_id == user.id, MailOptOut.kind.in_(back_on))
        )
    db.session.add_all(MailOptOut(user_id=user.id, kind=kind) for kind in sorted(newly_off))
    flush()  # two saves at once: the second gets a clear conflict


def recent_emails(user: User, limit: int = 10) -> list[OutboxEmail]:
    """The newest emails written to ``user``, whatever their state."""
    return list(
        db.session.scalars(
            select(OutboxEmail)
            .where(OutboxEmail.user_id == user.id)
            .order_by(OutboxEmail.created_at.desc(), OutboxEmail.id.desc())
            .limit(limit)
        )
    )
