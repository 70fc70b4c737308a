"""``flask --app portal send-reminders [--today YYYY-MM-DD]``: the daily reminder job (run it
once a day from cron or a systemd timer; running it again the same day sends nothing)."""

from __future__ import annotations

from datetime import datetime

import click
from flask.cli import with_appcontext

from portal.db import db

#: How each count is printed.
LABELS = {
    "logbook": "logbook reminder(s)",
    "evaluation": "evaluation reminder(s)",
    "offer": "offer reminder(s)",
    "l3_form": "L3 form(s)",
    "l3_reminder": "L3 reminder(s)",
    "jp": "JP reminder(s) to ASN",
    "jp_supervisor": "JP notice(s) to supervisors",
    "digest": "daily digest e-mail(s)",
}


@click.command("send-reminders")
@click.option(
    "--today",
    "today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Act as if today were this day (YYYY-MM-DD, WIB); default today.",
)
@with_appcontext
def send_reminders(today: datetime | None) -> None:
    """Send the reminders that are due (logbook, evaluations, offers, L3 forms, JP), then the
    daily digests of those who chose them."""
    from portal.reminders.services import send_reminders as run

    counts = run(today.date() if today is not None else None)
    db.session.commit()
    for kind, label in LABELS.items():
        click.echo(f"{counts[kind]} {label} sent")
