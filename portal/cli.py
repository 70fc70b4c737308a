"""Command-line tasks: ``flask --app portal <command>``."""

from __future__ import annotations

import secrets

import click
import sqlalchemy as sa
from flask import Flask

from portal.db import db


def init_app(app: Flask) -> None:
    app.cli.add_command(create_admin)
    app.cli.add_command(demo_data)
    app.cli.add_command(send_outbox)
    from portal.digest import send_digests

    app.cli.add_command(send_digests)
    from portal.competency.roster.cli import import_asn

    app.cli.add_command(import_asn)
    from portal.internships.applications.cli import expire_offers

    app.cli.add_command(expire_offers)
    from portal.trainings.evaluation.cli import send_l3_forms
    from portal.trainings.ledger.reminders import remind_jp
    from portal.trainings.recognition.cli import propose_recognitions

    app.cli.add_command(send_l3_forms)
    app.cli.add_command(propose_recognitions)
    app.cli.add_command(remind_jp)
    from portal.reminders.cli import send_reminders

    app.cli.add_command(send_reminders)
    from portal.privacy.purge_cli import purge

    app.cli.add_command(purge)


@click.command("create-admin")
@click.option("--email", prompt=True, help="E-mail of the new city-wide administrator.")
@click.option("--name", "full_name", default="Administrator BKPSDM", show_default=True)
def create_admin(email: str, full_name: str) -> None:
    """Create a city-wide administrator and print a generated password (shown once)."""
    from portal.auth import passwords
    from portal.auth.models import Role, User
    from portal.auth.services import find_by_email

    if find_by_email(email) is not None:
        raise click.ClickException(f"an account with e-mail {email} already exists")
    password = secrets.token_urlsafe(15)
    user = User(
        email=email.strip().lower(),
        full_name=full_name,
        password_hash=passwords.hash_password(password),
    )
    user.set_roles([Role.ADMIN])
    db.session.add(user)
    db.session.commit()
    click.echo(f"Administrator {user.email} created.")
    click.echo(f"Password (shown once, change it after signing in): {password}")


@click.command("demo-data")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has users.")
@click.option(
    "--scale",
    type=click.Choice(["small", "city"]),
    default="small",
    show_default=True,
    help="small: the demo accounts; city: the same, then a Medan-sized dataset (issue 8).",
)
@click.option("--factor", type=float, default=1.0, hidden=True, help="Fraction of city size.")
def demo_data(if_empty: bool, scale: str, factor: float) -> None:
    """Load the fictional Medan demo data (institutions and two accounts of every role)."""
    import time

    from portal.auth.models import User
    from portal.demo import DEMO_PASSWORD, load_demo_data

    if db.session.scalar(sa.select(sa.func.count()).select_from(User)):
        if if_empty:
            click.echo("The database already has data; demo data not loaded.")
            return
        raise click.ClickException("the database is not empty; demo data goes into an empty one")
    started = time.perf_counter()
    counts = load_demo_data()
    db.session.commit()
    click.echo("Demo data loaded: " + ", ".join(f"{n} {k}" for k, n in counts.items()))
    if scale == "city":
        from portal.demo.city import analyze, generate, table_counts

        click.echo(f"Generating the city-scale data (factor {factor:g}) …")
        generate(factor, echo=click.echo)
        db.session.commit()
        analyze()  # planner statistics for the new data
        db.session.commit()
        rows = table_counts()
        click.echo("Rows per table:")
        for name, n in sorted(rows.items(), key=lambda item: -item[1]):
            if n:
                click.echo(f"  {name:<36} {n:>9,}")
        click.echo(f"  {'total':<36} {sum(rows.values()):>9,}")
        click.echo(f"Done in {time.perf_counter() - started:.1f} s.")
    click.echo(f"Every demo account uses the password: {DEMO_PASSWORD}")


@click.command("send-outbox")
@click.option("--limit", default=500, show_default=True)
def send_outbox(limit: int) -> None:
    """Deliver pending e-mails from the outbox (SMTP, or the log in development)."""
    from portal.notify import send_pending

    sent, failed = send_pending(limit=limit)
    db.session.commit()
    click.echo(f"{sent} sent, {failed} failed")
