"""Two instances of the app (two ``make serve``, each gunicorn with 4 workers, on two ports) on
one PostgreSQL behave as one: a guesser's failed logins count across both, the registry's
totals read on one instance follow a label granted through the other (every cache is keyed on
what the database says), and two mail senders running at once never send an email twice.
"""

from __future__ import annotations

import collections
import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from servertools import ROOT, Server, build_world, environment, migrate, report, root_conftest
from servertools import scratch_database as scratch
from sqlalchemy import func, select

from tracker import create_app
from tracker.applications.models import Partner
from tracker.extensions import db
from tracker.labels.models import QualityLabel
from tracker.mail.models import OutboxEmail

sys.path.append(str(Path(__file__).resolve().parents[1] / "mail"))
from smtptools import Inbox, free_port  # noqa: E402

pytestmark = pytest.mark.xdist_group("two-instances")
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def two(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("two-instances")
    with scratch("postgresql", tmp, "two_instances") as url:
        migrate(url)
        app = create_app(
            {"TESTING": True, "SECRET_KEY": "real-server-tests", "SQLALCHEMY_DATABASE_URI": url}
        )
        with app.app_context():
            a = Server(url, tmp / "a.log")
            b = Server(url, tmp / "b.log")
            try:
                make = root_conftest().Factory(app)
                yield url, a, b, make, build_world(make)
            finally:
                db.session.remove()
                a.stop()
                b.stop()
                db.engine.dispose()


def _login_form(server: Server) -> tuple[str, str]:
    status, headers, html = server.page("GET", "/login")
    assert status == 200
    cookie = headers["Set-Cookie"].split(";", 1)[0]
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    return cookie, csrf


def test_failed_logins_count_across_the_instances(two):
    _, a, b, make, _ = two
    assert a.port != b.port
    user = make.user("officer")
    statuses = []
    for server in (a, a, a, b, b, a, b):  # 5 free failures in all, then both refuse
        cookie, csrf = _login_form(server)
        form = {"csrf_token": csrf, "email": user.email, "password": "guess"}
        statuses.append(server.page("POST", "/login", form, cookie)[0])
    assert statuses == [422] * 5 + [429, 429], statuses
    report(f"[two instances] failed logins: 3 on A, 2 on B, then 429 on both: {statuses}")


def _registry_totals(server: Server) -> tuple[int, int]:
    status, _, html = server.page("GET", "/registry")
    assert status == 200
    chains = re.search(r"<strong>(\d+)</strong> recognised value chain", html)
    organisations = re.search(r"with <strong>(\d+)</strong> organisation", html)
    return int(chains.group(1)), int(organisations.group(1))


def _labelled(make, world, server: Server, token: str, partners: int) -> int:
    """An application taken to ``evaluated`` here, its label granted through ``server``."""
    application = make.application(world.call, world.lead, firms=partners)
    make.fire(application, world.lead, "submit")
    make.fire(application, world.officer, "admit")
    for reviewer in world.reviewers:
        make.review(application, reviewer)
    make.fire(application, world.reviewers[0], "close_evaluation")
    status, body = server.fire(
        token, "applications", application.id, "grant_label",
        data={"decree_number": f"{18000 + application.id}", "decree_date": dt.date.today().isoformat()},
    )  # fmt: skip
    assert status == 200, body
    return application.id


def _members_of_labelled() -> int:
    """Counted here, from the rows: the organisations of the value chains holding a label."""
    db.session.expire_all()
    return db.session.scalar(
        select(func.count(func.distinct(Partner.organisation_id))).where(
            Partner.application_id.in_(select(QualityLabel.application_id))
        )
    )


def test_the_registry_totals_follow_a_grant_made_on_the_other_instance(two):
    _, a, b, make, world = two
    token = make.token(world.officer)
    _labelled(make, world, a, token, partners=3)
    first = {_registry_totals(b) for _ in range(3 * 4)}  # every worker of B computes and keeps
    assert len(first) == 1
    ((chains, organisations),) = first
    _labelled(make, world, a, token, partners=5)  # granted through A: the lead and 4 new firms
    after = {_registry_totals(b) for _ in range(3 * 4)}  # read on B, every worker
    assert after == {(chains + 1, organisations + 4)} == {(2, _members_of_labelled())}, after
    report(f"[two instances] registry totals on B after a grant on A: {first} -> {after}")


def test_two_mail_senders_at_once_send_each_email_once(two):
    url, _, _, make, world = two
    for _ in range(3):  # submissions queue emails to the committee and the officer
        application = make.application(world.call, world.lead)
        make.fire(application, world.lead, "submit")
    db.session.expire_all()
    queued = db.session.scalar(
        select(func.count()).select_from(OutboxEmail).where(OutboxEmail.status == "queued")
    )
    assert queued >= 3
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        env = environment(url) | {
            "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(controller.port), "MAIL_USE_TLS": "0",
        }  # fmt: skip
        senders = [
            subprocess.Popen(
                [str(BIN / "flask"), "--app", "wsgi", "mail", "send"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )  # fmt: skip
            for _ in range(2)
        ]
        outputs = [p.communicate(timeout=120)[0] for p in senders]
    finally:
        controller.stop()
    assert all(p.returncode == 0 for p in senders), outputs
    ids = collections.Counter(m["Message-ID"] for m in inbox.messages)
    assert ids and set(ids.values()) == {1}, ids
    db.session.expire_all()
    statuses = collections.Counter(db.session.scalars(select(OutboxEmail.status)))
    assert statuses == {"sent": len(ids)}, statuses
    # what each sender says it sent adds up to what arrived: no email was taken by both
    sent = [int(m.group(1)) if (m := re.search(r"(\d+) sent", out)) else 0 for out in outputs]
    assert sum(sent) == len(ids), (sent, outputs)
    report(
        f"[two instances] two mail senders at once: {len(ids)} emails, each delivered once "
        f"(the senders sent {sent[0]} and {sent[1]})"
    )
