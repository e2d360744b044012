"""``flask --app wsgi dashboards rebuild|check``: the tallies from the command line."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup, with_appcontext

from tracker.dashboards import tallies
from tracker.database import commit

dashboards = AppGroup("dashboards", help="Rebuild the dashboards' tallies, or check them.")


@dashboards.command("rebuild")
@with_appcontext
def rebuild_command() -> None:
    """Recompute every dashboard tally from the base tables."""
    counts = tallies.rebuild()
    commit()
    for table, n in counts.items():
        click.echo(f"{table}: {n} rows")


@dashboards.command("check")
@with_appcontext
def check_command() -> None:
    """Prove the tallies equal a recount from the base tables; changes nothing.

    Exits with status 0 and a summary when they do, 1 naming the first difference when not
    (``rebuild`` repairs them).
    """
    found = tallies.differences()
    if found:
        click.echo(f"Error: {len(found)} tally rows differ from a recount; the first:", err=True)
        click.echo(f"  {found[0]}", err=True)
        sys.exit(1)
    rows = tallies.snapshot()
    summary = ", ".join(f"{table} {len(r)}" for table, r in rows.items())
    click.echo(f"The tallies equal a recount from the base tables (rows: {summary}).")
