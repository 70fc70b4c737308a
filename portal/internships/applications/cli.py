"""``flask --app portal expire-offers``: the daily job that expires offers whose time ran out
(run it from cron or a systemd timer once a day, or more often; running it twice changes
nothing the second time)."""

from __future__ import annotations

import click

from portal.db import db


@click.command("expire-offers")
def expire_offers() -> None:
    """Mark internship offers past their expiry as expired and notify the people concerned."""
    from portal.internships.applications.services import expire_offers as expire

    count = expire()
    db.session.commit()
    click.echo(f"{count} offer(s) expired")
