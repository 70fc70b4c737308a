"""``flask --app portal purge``: end what is past its retention period (meant to run daily)."""

from __future__ import annotations

import click

from portal.db import db
from portal.util import clock


def _report(lines) -> None:
    for line in lines:
        if line.count is None:
            click.echo(f"{line.type.key}: kept (no retention period)")
        else:
            click.echo(f"{line.type.key}: {line.count} (older than {line.cutoff:%Y-%m-%d})")


@click.command("purge")
@click.option("--dry-run", is_flag=True, help="Only count what is past retention; change nothing.")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Count the periods back from this day (YYYY-MM-DD) instead of today.",
)
def purge(dry_run: bool, today) -> None:
    """Anonymise or delete personal data past its retention period (PRIVACY_RETENTION) and print
    the counts per record type. Running it again right away finds nothing."""
    from portal.privacy import retention

    day = today.date() if today else clock.today()
    if not 2000 <= day.year <= 9998:
        raise click.BadParameter("the day must be between 2000 and 9998", param_hint="'--today'")
    if dry_run:
        _report(retention.past_retention_counts(day))
        click.echo("Dry run: nothing was changed.")
        return
    result = retention.purge(day)
    db.session.commit()
    retention.remove_files(result.file_keys)
    _report(result.lines)
    click.echo(f"Files removed: {len(result.file_keys)}")
