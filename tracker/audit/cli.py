"""``flask --app wsgi audit verify|seal``."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup, with_appcontext

audit = AppGroup("audit", help="Verify, seal and checkpoint the hash chains of the history.")


@audit.command("verify")
@click.option(
    "--checkpoint",
    "checkpoint_file",
    type=click.File("r", encoding="utf-8"),
    help="A file holding the output of 'audit checkpoint' (its last line is read).",
)
@with_appcontext
def audit_verify(checkpoint_file) -> None:
    """Check every history chain: each row's hash against its content and the row before it,
    seq without gaps, each subject's head and state against its last row.

    Exits 0 when every chain is intact, 1 naming the first broken row (table, row id, subject,
    seq, and why: edited, missing row, deleted tail, state mismatch, not sealed). With
    --checkpoint, also 1 when any row the checkpoint covers differs from it, re-sealed or not.
    """
    from tracker.audit.checkpoint import BadCheckpoint, differences, parse
    from tracker.audit.verify import verify
    from tracker.extensions import db

    checkpoint = None
    if checkpoint_file is not None:
        try:
            checkpoint = parse(checkpoint_file.read())
        except BadCheckpoint as err:
            raise click.BadParameter(str(err), param_hint="--checkpoint") from None
    with db.engine.connect() as conn:
        report = verify(conn)
        changed = differences(conn, checkpoint) if checkpoint else []
    if not report.intact:
        click.echo(f"First broken row: {report.breaks[0]}", err=True)
        for more in report.breaks[1:6]:
            click.echo(f"  also: {more}", err=True)
        click.echo(report.summary(), err=True)
    if changed:
        click.echo(f"CHANGED since the checkpoint of {checkpoint.taken_at}:", err=True)
        for difference in changed:
            click.echo(f"  {difference}", err=True)
    if not report.intact or changed:
        sys.exit(1)
    click.echo(report.summary())
    if checkpoint:
        covered = ", ".join(
            f"{name} up to id {c.through_id} ({c.rows} rows)"
            for name, c in checkpoint.tables.items()
        )
        click.echo(f"As at the checkpoint of {checkpoint.taken_at}: {covered}.")


@audit.command("checkpoint")
@with_appcontext
def audit_checkpoint() -> None:
    """Print a checkpoint of the whole history as it stands, on its last line, for an auditor to
    keep outside the database; 'audit verify --checkpoint FILE' later proves that nothing it
    covers changed. Refused (exit 1) when the history is not intact."""
    from tracker.audit.checkpoint import take
    from tracker.audit.verify import verify
    from tracker.columns import utcnow
    from tracker.extensions import db

    with db.engine.connect() as conn:
        report = verify(conn)
        if not report.intact:
            click.echo(f"No checkpoint of a broken history. First broken row: {report.breaks[0]}",
                       err=True)  # fmt: skip
            sys.exit(1)
        line = take(conn, utcnow())
    click.echo(report.summary())
    click.echo("Keep the next line outside the database (it is the checkpoint):")
    click.echo(line)


@audit.command("seal")
@with_appcontext
def audit_seal() -> None:
    """Chain the history rows written without a hash (a bulk load) and set their subjects'
    heads. Rows that already have one are never changed, and rows that had one never sealed
    again: a row without a hash older than a sealed row is refused (exit 1, nothing sealed)."""
    from tracker.audit.chain import ResealRefused, seal_all
    from tracker.database import commit

    try:
        sealed = seal_all()
    except ResealRefused as err:
        click.echo(f"Refused: {err}", err=True)
        sys.exit(1)
    commit()
    click.echo(f"Sealed {sealed} history rows.")
