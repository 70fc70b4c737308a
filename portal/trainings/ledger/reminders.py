"""Reminders to ASN behind their JP milestone, and to their supervisors.

``flask --app portal remind-jp`` (daily or weekly from cron): each ASN whose verified JP are
below the milestone of the last ended quarter is told how many JP are missing and how many days
are left in the running quarter; so is their direct supervisor. A ``JpReminder`` row per ASN
and quarter (unique) makes sure nobody is reminded twice in one quarter, however often the
command runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import click
import sqlalchemy as sa
from flask.cli import with_appcontext
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import UTCDateTime, db, utcnow
from portal.i18n import _l
from portal.notify import register_messages, tell
from portal.trainings.ledger import queries as ledger_queries
from portal.util import clock, links

register_messages(
    trainings__behind=_l(
        "Your JP are behind: %(jp)s of the %(expected)s JP expected by now (yearly target "
        "%(target)s JP), %(missing)s JP missing. %(days)s days are left in this quarter."
    ),
    trainings__behind_supervisor=_l(
        "%(asn)s is behind on JP: %(jp)s of the %(expected)s JP expected by now, %(missing)s JP "
        "missing. %(days)s days are left in this quarter."
    ),
)


class JpReminder(db.Model):
    """That an ASN was reminded in a quarter (at most once: the unique constraint)."""

    __tablename__ = "jp_reminders"
    __table_args__ = (sa.UniqueConstraint("asn_id", "year", "quarter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    asn_id: Mapped[int] = mapped_column(
        sa.ForeignKey("asn_profiles.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int] = mapped_column()
    quarter: Mapped[int] = mapped_column()
    jp: Mapped[float] = mapped_column(sa.Numeric(6, 1, asdecimal=False))
    expected: Mapped[float] = mapped_column(sa.Numeric(6, 1, asdecimal=False))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


@dataclass
class ReminderRun:
    asn: int = 0  # ASN reminded now
    supervisors: int = 0  # supervisor notices sent now
    skipped: int = 0  # behind, but already reminded this quarter


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def remind_behind(as_of: date | None = None) -> ReminderRun:
    """Remind each ASN behind on ``as_of`` (default: today in WIB) and their supervisor, once per
    quarter. Flushes; the caller commits. Refuses nothing: an ASN already reminded is skipped."""
    as_of = as_of or clock.today()
    year, quarter = as_of.year, quarter_of(as_of)
    days_left = (ledger_queries.quarter_end(year, quarter) - as_of).days
    done = set(
        db.session.scalars(
            sa.select(JpReminder.asn_id).where(
                JpReminder.year == year, JpReminder.quarter == quarter
            )
        )
    )
    run = ReminderRun()
    for row in ledger_queries.behind_target(year, as_of):
        if row.asn.id in done:
            run.skipped += 1
            continue
        try:
            with db.session.begin_nested():
                db.session.add(
                    JpReminder(
                        asn_id=row.asn.id,
                        year=year,
                        quarter=quarter,
                        jp=row.jp,
                        expected=row.expected,
                    )
                )
        except IntegrityError:  # a concurrent run reminded this ASN a moment ago
            run.skipped += 1
            continue
        params = {
            "jp": _num(row.jp),
            "expected": _num(row.expected),
            "target": row.target,
            "missing": _num(round(row.expected - row.jp, 1)),
            "days": days_left,
        }
        tell([row.asn.user], "trainings.behind", link=links.link("trainings.my_ledger"), **params)
        run.asn += 1
        supervisor = row.supervisor.user if row.supervisor is not None else None
        if supervisor is not None and supervisor.is_active:
            tell(
                [supervisor],
                "trainings.behind_supervisor",
                asn=row.asn.user.full_name,
                link=links.link("trainings.asn_ledger", asn_id=row.asn.id),
                **params,
            )
            run.supervisors += 1
    db.session.flush()
    return run


@click.command("remind-jp")
@click.option(
    "--on",
    "on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The day to judge on (YYYY-MM-DD); default today in WIB.",
)
@with_appcontext
def remind_jp(on: datetime | None) -> None:
    """Remind ASN behind their JP milestone (and their supervisors), once per quarter."""
    run = remind_behind(on.date() if on else None)
    db.session.commit()
    click.echo(
        f"{run.asn} ASN reminded, {run.supervisors} supervisor(s) told, "
        f"{run.skipped} already reminded this quarter"
    )
