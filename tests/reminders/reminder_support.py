"""Pieces of the ``send-reminders`` tests: the fixed day ``T``, placements, logbook entries and
offers, and reading back what the job sent. Their world (one of each reminder due on ``T``) is
``reminders_world`` in tests/support/worlds/reminders.py."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from portal.internships.applications.models import ApplicationState
from portal.internships.models import Placement
from portal.internships.placements.models import LogbookEntry
from portal.notify import Notification, OutboxEmail

#: The day the job acts on: Wednesday 5 June 2030.
T = date(2030, 6, 5)
WIB = ZoneInfo("Asia/Jakarta")


def placement(
    imake, *, university, agency, mentor, student, supervisor=None, starts: date, ends: date
) -> Placement:
    period = imake.period(starts_on=starts, ends_on=ends)
    position = imake.position(
        agency,
        period=period,
        mentors=[mentor],
        starts_on=starts,
        ends_on=ends,
        application_deadline=starts - timedelta(days=10),
    )
    application = imake.application(position, student=student, state=ApplicationState.ACCEPTED)
    obj = Placement(
        application_id=application.id,
        student_id=student.id,
        position_id=position.id,
        period_id=period.id,
        university_id=university.id,
        agency_id=agency.id,
        mentor_id=mentor.id,
        supervisor_id=supervisor.id if supervisor else None,
        starts_on=starts,
        ends_on=ends,
    )
    imake.session.add(obj)
    imake.session.flush()
    return obj


def entry(session, placement_obj, day: date) -> LogbookEntry:
    obj = LogbookEntry(
        placement_id=placement_obj.id,
        day=day,
        minutes=480,
        activities="Menginput data kepegawaian ke SIASN.",
    )
    session.add(obj)
    session.flush()
    return obj


def offer(imake, *, student, agency, expires_on: date, title: str):
    """An offer to ``student`` expiring at 10:00 WIB on ``expires_on``."""
    position = imake.position(agency, title=title)
    expires = datetime.combine(expires_on, time(10), tzinfo=WIB)
    return imake.application(
        position, student=student, state=ApplicationState.OFFERED, offer_expires_at=expires
    )


def notices(db) -> list[tuple[int, str, dict, str | None]]:
    """(user, message key, parameters, link) of every reminder notification, in order."""
    rows = db.session.scalars(
        sa.select(Notification)
        .where(Notification.category == "reminders")
        .order_by(Notification.id)
    )
    return [(n.user_id, n.message_key, n.params, n.link) for n in rows]


def totals(db) -> tuple[int, int]:
    """(notifications, queued e-mails) in the database."""
    count = sa.func.count
    return (
        db.session.scalar(sa.select(count(Notification.id))),
        db.session.scalar(sa.select(count(OutboxEmail.id))),
    )


def invoke(app, *args):
    """Run ``flask send-reminders`` with ``args``; the result (output, exit code)."""
    return app.test_cli_runner().invoke(args=["send-reminders", *args])
