"""``flask --app portal send-l3-forms``: the daily job of the L3 behaviour evaluation. It sends
the forms that became due and reminds unanswered ones; running it twice on the same day sends
nothing twice (run it from cron or a systemd timer once a day)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from portal.db import db
from portal.trainings.evaluation import l3_services


@click.command("send-l3-forms")
@click.option(
    "--date",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Act as if today were this day (YYYY-MM-DD, Medan time); for catching up.",
)
@with_appcontext
def send_l3_forms(day) -> None:
    """Send the due L3 forms and the reminders of unanswered ones."""
    created, reminded = l3_services.send_due(day.date() if day is not None else None)
    db.session.commit()
    click.echo(f"{created} L3 form(s) sent, {reminded} reminder(s) sent")
