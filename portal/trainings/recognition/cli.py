"""``flask --app portal propose-recognitions [--year YYYY]``: the portal's recognition proposals
from verified data (run daily, or once after the year closes). Safe to run again: nothing is
proposed twice. Register it in ``portal/cli.py``: ``app.cli.add_command(propose_recognitions)``.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import with_appcontext

from portal.db import db
from portal.trainings.recognition import services as recognition_services


@click.command("propose-recognitions")
@click.option(
    "--year",
    type=click.IntRange(2000, 2100),
    default=None,
    help="The year to look at (default: this year in WIB).",
)
@click.option(
    "--seed-rules/--no-seed-rules",
    default=True,
    help="Add the default rules first when a kind has none.",
)
@with_appcontext
def propose_recognitions(year: int | None, seed_rules: bool) -> None:
    """Propose recognition for verified progress; a city admin then decides."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    year = year or datetime.now(zone).year
    if seed_rules:
        recognition_services.seed_rules()
    created = recognition_services.propose(year)
    db.session.commit()
    click.echo(f"{len(created)} new recognition proposal(s) for {year}.")
