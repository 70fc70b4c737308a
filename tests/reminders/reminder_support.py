"""Set-up of the ``send-reminders`` tests: one of each reminder due on a fixed Wednesday, next to
people in the same situations who are not due yet. Every user reads English."""

from __future__ import annotations

import types
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from portal.auth.models import Role
from portal.internships.applications import ApplicationState
from portal.internships.logbook import LogbookEntry
from portal.internships.models import Placement
from portal.notify import Notification, OutboxEmail

#: The day the job acts on: Wednesday 5 June 2030.
T = date(2030, 6, 5)
WIB = ZoneInfo("Asia/Jakarta")


def placement(imake, *, university, agency, mentor, student, supervisor=None,
              starts: date, ends: date) -> Placement:  # fmt: skip
    period = imake.period(starts_on=starts, ends_on=ends)
    position = imake.position(agency, period=period, mentors=[mentor], starts_on=starts,
                              ends_on=ends, application_deadline=starts - timedelta(days=10))  # fmt: skip
    application = imake.application(position, student=student, state=ApplicationState.ACCEPTED)
    obj = Placement(
        application_id=application.id, student_id=student.id, position_id=position.id,
        period_id=period.id, university_id=university.id, agency_id=agency.id,
        mentor_id=mentor.id, supervisor_id=supervisor.id if supervisor else None,
        starts_on=starts, ends_on=ends,
    )  # fmt: skip
    imake.session.add(obj)
    imake.session.flush()
    return obj


def entry(session, placement_obj, day: date) -> LogbookEntry:
    obj = LogbookEntry(placement_id=placement_obj.id, day=day, minutes=480,
                       activities="Menginput data kepegawaian ke SIASN.")  # fmt: skip
    session.add(obj)
    session.flush()
    return obj


def offer(imake, *, student, agency, expires_on: date, title: str):
    """An offer to ``student`` expiring at 10:00 WIB on ``expires_on``."""
    position = imake.position(agency, title=title)
    expires = datetime.combine(expires_on, time(10), tzinfo=WIB)
    return imake.application(position, student=student, state=ApplicationState.OFFERED,
                             offer_expires_at=expires)  # fmt: skip


def world(make, imake) -> types.SimpleNamespace:
    """Due on ``T``: a student 3 working days behind on the logbook, the mentor and DPL of a
    placement ending in 5 days, a student whose offer expires in 2 days. Not due: a student who
    wrote yesterday, the mentor of a placement ending in 20 days, an offer expiring in 5 days."""
    w = types.SimpleNamespace()
    w.uni, w.agency = make.university(), make.agency()
    w.mentor, w.ending_mentor = imake.mentor(w.agency), imake.mentor(w.agency)
    w.dpl = make.user(Role.UNIVERSITY, university=w.uni)
    w.late_mentor = imake.mentor(w.agency)
    w.behind, w.diligent, w.ending, w.later = (imake.student(w.uni) for _ in range(4))
    w.offered, w.offered_later = imake.student(w.uni), imake.student(w.uni)
    run = {"university": w.uni, "agency": w.agency}
    w.behind_placement = placement(imake, mentor=w.mentor, student=w.behind,
                                   starts=T - timedelta(days=30), ends=T + timedelta(days=30),
                                   **run)  # fmt: skip
    entry(imake.session, w.behind_placement, T - timedelta(days=6))  # Thursday 30 May
    w.diligent_placement = placement(imake, mentor=w.mentor, student=w.diligent,
                                     starts=T - timedelta(days=30),
                                     ends=T + timedelta(days=30), **run)  # fmt: skip
    entry(imake.session, w.diligent_placement, T - timedelta(days=1))
    w.ending_placement = placement(imake, mentor=w.ending_mentor, student=w.ending,
                                   supervisor=w.dpl, starts=T - timedelta(days=60),
                                   ends=T + timedelta(days=5), **run)  # fmt: skip
    entry(imake.session, w.ending_placement, T - timedelta(days=1))
    w.later_placement = placement(imake, mentor=w.late_mentor, student=w.later,
                                  starts=T - timedelta(days=40), ends=T + timedelta(days=20),
                                  **run)  # fmt: skip
    entry(imake.session, w.later_placement, T - timedelta(days=1))
    w.offer = offer(imake, student=w.offered, agency=w.agency, expires_on=T + timedelta(days=2),
                    title="Magang Analis Data")  # fmt: skip
    w.offer_later = offer(imake, student=w.offered_later, agency=w.agency,
                          expires_on=T + timedelta(days=5), title="Magang Arsip")  # fmt: skip
    for user in (w.mentor, w.ending_mentor, w.late_mentor, w.dpl, w.behind, w.diligent,
                 w.ending, w.later, w.offered, w.offered_later):  # fmt: skip
        user.locale = "en"
    imake.session.flush()
    return w


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
    return (db.session.scalar(sa.select(count(Notification.id))),
            db.session.scalar(sa.select(count(OutboxEmail.id))))  # fmt: skip


def invoke(app, *args):
    """Run ``flask send-reminders`` with ``args``; the result (output, exit code)."""
    return app.test_cli_runner().invoke(args=["send-reminders", *args])
