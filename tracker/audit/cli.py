"""``flask --app wsgi audit verify|seal``."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup, with_appcontext

audit = AppGroup("audit", help="Verify and seal the hash chains of the history.")


@audit.command("verify")
@with_appcontext
def audit_verify() -> None:
    """Check every history chain: each row's hash against its content and the row before it,
    seq without gaps, each subject's head and state against its last row.

    Exits 0 when every chain is intact, 1 naming the first broken row (table, row id, subject,
    seq, and why: edited, missing row, deleted tail, state mismatch, not sealed).
    """
    from tracker.audit.verify import verify
    from tracker.extensions import db

    with db.engine.connect() as conn:
        report = verify(conn)
    if not report.intact:
        click.echo(f"First broken row: {report.breaks[0]}", err=True)
        for more in report.breaks[1:6]:
            click.echo(f"  also: {more}", err=True)
        click.echo(report.summary(), err=True)
        sys.exit(1)
    click.echo(report.summary())


@audit.command("seal")
@with_appcontext
def audit_seal() -> None:
    """Chain the history rows written without a hash (a bulk load) and set their subjects'
    heads. Rows that already have one are never changed."""
    from tracker.audit.chain import seal_all
    from tracker.database import commit

    sealed = seal_all()
    commit()
    click.echo(f"Sealed {sealed} history rows.")
