"""``flask --app portal import-asn FILE``: the roster import from the command line.

The same reading, checks and all-or-nothing write as the admin screen. Register it in
``portal/cli.py``: ``app.cli.add_command(import_asn)``.
"""

from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale
from sqlalchemy.orm import selectinload

from portal.auth.models import User
from portal.competency import roster
from portal.db import db
from portal.errors import DomainError


def _actor(email: str | None) -> User | None:
    if not email:
        return None
    user = db.session.scalars(
        sa.select(User)
        .where(User.email == email.strip().lower())
        .options(selectinload(User.role_rows))
    ).first()
    if user is None or not user.is_admin:
        raise click.ClickException(f"no administrator has the e-mail address {email}")
    return user


@click.command("import-asn")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--actor-email",
    default=None,
    help="E-mail of the administrator the import is recorded for (an OPD administrator may "
    "import only their OPD). Without it: a city-wide import by the system.",
)
@click.option("--dry-run", is_flag=True, help="Check every row and report; write nothing.")
@click.option("--lang", default=None, help="Language of the row messages: id or en.")
@with_appcontext
def import_asn(file: Path, actor_email: str | None, dry_run: bool, lang: str | None) -> None:
    """Import ASN records from an XLSX or CSV roster: every row or none.

    Exits with status 1, writing nothing, when the file cannot be read or any row has errors.
    """
    languages = current_app.config["LANGUAGES"]
    if lang is not None and lang not in languages:
        raise click.BadParameter(f"choose one of {', '.join(languages)}", param_hint="--lang")
    with force_locale(lang or current_app.config["BABEL_DEFAULT_LOCALE"]):
        _import(file, _actor(actor_email), dry_run=dry_run)


def _import(file: Path, actor: User | None, *, dry_run: bool) -> None:
    ext = file.suffix.lower().lstrip(".")
    try:
        raw = roster.parse(file.read_bytes(), ext)
    except roster.RosterFileError as exc:
        raise click.ClickException(str(exc.message)) from None
    with click.progressbar(length=len(raw), label="Checking rows") as bar:
        rows = roster.validate(raw, actor, progress=bar.update)
    counts = roster.summary(rows)
    click.echo(
        f"{counts['rows']} rows: {counts['valid']} valid ({counts['new']} new, "
        f"{counts['updates']} updates), {counts['errors']} with errors, "
        f"{counts['warnings']} with warnings."
    )
    for row in rows:
        for message in row.warnings:
            click.echo(f"row {row.number}: warning: {message}")
    if counts["errors"]:
        for row in rows:
            if row.errors:
                click.echo(f"row {row.number}: " + " ".join(str(m) for m in row.errors), err=True)
        click.echo("Nothing was imported: fix the rows with errors and run again.", err=True)
        raise click.exceptions.Exit(1)
    if dry_run:
        click.echo("Dry run: nothing was written.")
        return
    try:
        with click.progressbar(length=len(rows), label="Importing") as bar:
            result = roster.apply(rows, actor, progress=bar.update)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc.message)) from None
    click.echo(f"Imported: {result['created']} new ASN records, {result['updated']} updated.")
