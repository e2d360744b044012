"""Command line: ``flask --app wsgi users|workflows|seed-demo ...``."""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext

from tracker.database import commit
from tracker.effects import EFFECTS
from tracker.errors import TrackerError
from workflows import WORKFLOWS
from workflows.checks import problems
from workflows.diagram import mermaid

users = AppGroup("users", help="Create users and API tokens; deactivate and reactivate people.")
workflows = AppGroup("workflows", help="List, describe, check and draw the workflows.")


def _fail(err: TrackerError) -> None:
    details = getattr(err, "details", None) or {}
    click.echo(f"Error: {err.message}", err=True)
    for field, problem in (details.get("fields") or {}).items():
        click.echo(f"  {field}: {problem}", err=True)
    sys.exit(1)


@users.command("create")
@click.argument("email")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    help="admin, officer, reviewer, applicant, coordinator or board; repeatable",
)
@click.option("--org", "org_vat", help="VAT number of the user's organisation")
@click.option("--password", help="Login password (without one the user can only use API tokens)")
@click.option("--name", help="Full name")
@with_appcontext
def users_create(
    email: str, roles: tuple[str, ...], org_vat: str | None, password: str | None, name: str | None
) -> None:
    from tracker.auth.operations import create_user

    try:
        user = create_user(
            email, list(roles), name=name, password=password, organisation_vat=org_vat
        )
        commit()
    except TrackerError as err:
        _fail(err)
    click.echo(f"Created user {user.id} {user.email} with roles {', '.join(user.roles)}")


def _user(email: str):
    from tracker.auth.operations import user_by_email

    user = user_by_email(email)
    if user is None:
        click.echo(f"Error: no user {email}", err=True)
        sys.exit(1)
    return user


@users.command("token")
@click.argument("email")
@click.option(
    "--days",
    type=int,
    default=None,
    help="How many days the token works (default: API_TOKEN_DAYS, 90)",
)
@with_appcontext
def users_token(email: str, days: int | None) -> None:
    """Create an API token for EMAIL; it is printed alone on the last line."""
    from tracker.auth.operations import issue_token

    user = _user(email)
    try:
        token = issue_token(user, days)
        commit()
    except TrackerError as err:
        _fail(err)
    click.echo(f"API token for {user.email} (shown once, store it safely):")
    click.echo(token)


@users.command("deactivate")
@click.argument("email")
@with_appcontext
def users_deactivate(email: str) -> None:
    """EMAIL can no longer log in; their sessions and API tokens stop working at once."""
    from tracker.auth.operations import deactivate

    user = _user(email)
    was_active = user.active
    deactivate(None, user)
    commit()
    click.echo(
        f"Deactivated {user.email}" if was_active else f"{user.email} was deactivated already"
    )


@users.command("reactivate")
@click.argument("email")
@with_appcontext
def users_reactivate(email: str) -> None:
    """EMAIL can log in again (their old API tokens stay revoked)."""
    from tracker.auth.operations import reactivate

    user = _user(email)
    reactivate(None, user)
    commit()
    click.echo(f"Reactivated {user.email}")


@workflows.command("list")
def workflows_list() -> None:
    for wf in WORKFLOWS.values():
        click.echo(
            f"{wf.name:24} {len(wf.states):3} states {len(wf.transitions):3} transitions  {wf.title}"
        )


@workflows.command("show")
@click.argument("name")
def workflows_show(name: str) -> None:
    wf = WORKFLOWS.get(name)
    if wf is None:
        click.echo(f"Error: no workflow {name!r}; known: {', '.join(WORKFLOWS)}", err=True)
        sys.exit(1)
    click.echo(f"{wf.name}: {wf.title}\n{wf.description}\n\nStates (initial: {wf.initial}):")
    for s in wf.states:
        flags = [f for f in ("terminal", "editable", "reviewable") if getattr(s, f)]
        phase = f"phase {s.phase}" if s.phase else "no phase"
        click.echo(f"  {s.name:24} {s.title:28} {phase:9} {' '.join(flags)}")
        if s.description:
            click.echo(f"      {s.description}")
    click.echo("\nTransitions:")
    for t in wf.transitions:
        click.echo(f"  {t.trigger}: {', '.join(t.sources)} -> {t.dest}  ({t.label})")
        if t.description:
            click.echo(f"      {t.description}")
        click.echo(f"      who: {', '.join(sorted(t.roles))}")
        for c in t.conditions:
            click.echo(f"      if {c.name}: {c.description}")
        if t.comment_required:
            click.echo("      needs a comment")
        for f in t.data:
            click.echo(f"      needs data {f.name} ({f.kind})")
        for e in t.effects:
            click.echo(f"      then {e}")


@workflows.command("check")
@with_appcontext
def workflows_check() -> None:
    """Validate every definition; exit 1 naming each problem."""
    found = [p for wf in WORKFLOWS.values() for p in problems(wf, EFFECTS)]
    for p in found:
        click.echo(p, err=True)
    if found:
        sys.exit(1)
    click.echo(f"{len(WORKFLOWS)} workflows checked: all sound.")


@workflows.command("draw")
@click.argument("name")
def workflows_draw(name: str) -> None:
    """Print the workflow as a mermaid diagram."""
    wf = WORKFLOWS.get(name)
    if wf is None:
        click.echo(f"Error: no workflow {name!r}; known: {', '.join(WORKFLOWS)}", err=True)
        sys.exit(1)
    click.echo(mermaid(wf))


@click.command("seed-demo")
@with_appcontext
def seed_demo() -> None:
    """Load the demo data (skipped when the database already holds data)."""
    from tracker.demo import load_demo

    loaded = load_demo()
    click.echo(loaded)


def register(app: Flask) -> None:
    from tracker.audit.cli import audit

    app.cli.add_command(audit)
    from tracker.dashboards.cli import dashboards

    app.cli.add_command(dashboards)
    app.cli.add_command(users)
    app.cli.add_command(workflows)
    app.cli.add_command(seed_demo)
    from tracker.mail.cli import mail

    app.cli.add_command(mail)
