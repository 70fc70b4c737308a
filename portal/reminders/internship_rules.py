"""The internship reminders: a logbook left unfilled, a final evaluation due, an offer about to
expire. Each rule selects what is due in a fixed number of queries (however many students) and
says when a reminder may be sent again through its due key:

- logbook: once the student has missed ``REMINDER_LOGBOOK_DAYS`` working days (Monday–Friday,
  within the placement, today not counted) since their last entry, and again each time the gap
  grows by as many days; a new entry starts a new gap. Never more than once a day.
- evaluation: the mentor (their scores) and the DPL (the academic score) of a placement ending
  within ``REMINDER_EVALUATION_DAYS`` days, or ended, while their part is missing: once at that
  many days left, at 3, 1 and 0 days, then once a week for four weeks past the end.
- offer: the student, for an offer expiring within ``REMINDER_OFFER_DAYS`` days: once at that
  many days left, then at 1 and 0 (the expiry day).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import aliased

from portal.auth.models import AccountStatus, User
from portal.db import db
from portal.i18n import _l
from portal.institutions.models import Agency
from portal.internships.applications.models import Application, ApplicationState
from portal.internships.evaluation.models import AcademicScore, MentorEvaluation
from portal.internships.models import InternshipPosition, Placement, PlacementStatus
from portal.internships.placements.models import LogbookEntry
from portal.notify import register_messages
from portal.reminders.delivery import (
    Due,
    day_start,
    moment_in,
    step_key,
    thresholds,
    working_days,
    zone,
)
from portal.util import links

#: Overdue evaluations are reminded weekly for this many days after the placement's end.
EVALUATION_LATE_DAYS = 28

register_messages(
    reminders__logbook=_l(
        "You have not filled your logbook for %(days)s working days (since %(since)s). "
        "Please write the missing days."
    ),
    reminders__evaluation_due=_l(
        "The final evaluation of %(student)s (%(position)s) is due in %(days)s day(s), on %(due)s."
    ),
    reminders__evaluation_today=_l(
        "The final evaluation of %(student)s (%(position)s) is due today, %(due)s."
    ),
    reminders__evaluation_overdue=_l(
        "The final evaluation of %(student)s (%(position)s) is overdue by %(days)s day(s); it "
        "was due on %(due)s."
    ),
    reminders__offer=_l(
        "Your offer for %(position)s at %(agency)s expires in %(days)s day(s), on %(expires)s "
        "WIB. Accept or decline it before then."
    ),
    reminders__offer_today=_l(
        "Your offer for %(position)s at %(agency)s expires today at %(time)s WIB. Accept or "
        "decline it before then."
    ),
)


def _active(user=User):
    return (user.is_active_flag.is_(True), user.status == AccountStatus.ACTIVE)


def _setting(name: str) -> int:
    return int(current_app.config[name])


# --- logbook -------------------------------------------------------------------------------------


def _first_working_day(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def logbook_dues(today: date) -> list[Due]:
    """Students of active placements behind on their logbook (one query)."""
    every = max(_setting("REMINDER_LOGBOOK_DAYS"), 1)
    last = (
        sa.select(
            LogbookEntry.placement_id.label("placement_id"),
            sa.func.max(LogbookEntry.day).label("day"),
        )
        .group_by(LogbookEntry.placement_id)
        .subquery()
    )
    # Working days are fewer than calendar days: the WHERE keeps only possible candidates.
    latest = today - timedelta(days=every)
    rows = db.session.execute(
        sa.select(Placement.id, Placement.starts_on, Placement.ends_on, last.c.day, User)
        .join(User, User.id == Placement.student_id)
        .outerjoin(last, last.c.placement_id == Placement.id)
        .where(
            Placement.status == PlacementStatus.ACTIVE,
            Placement.starts_on <= latest,
            sa.or_(last.c.day.is_(None), last.c.day < latest),
            *_active(),
        )
        .order_by(Placement.id)
    )
    dues = []
    for placement_id, starts_on, ends_on, last_day, student in rows:
        first = max(starts_on, last_day + timedelta(days=1)) if last_day else starts_on
        missed = working_days(first, min(today - timedelta(days=1), ends_on))
        if missed < every:
            continue
        path = links.link("internships.placement", placement_id=placement_id)
        dues.append(
            Due(
                user=student,
                object_key=f"placement:{placement_id}",
                due_key=f"{first.isoformat()}:{missed // every}",
                message="logbook",
                link=path + "#logbook" if path else None,
                params={"days": missed, "since": _first_working_day(first)},
            )
        )
    return dues


# --- evaluations ---------------------------------------------------------------------------------


def _evaluation_message(days_left: int) -> str:
    if days_left > 0:
        return "evaluation_due"
    return "evaluation_today" if days_left == 0 else "evaluation_overdue"


def evaluation_dues(today: date) -> list[Due]:
    """Mentors and DPL whose part of a final evaluation is due soon or late (two queries)."""
    ahead = _setting("REMINDER_EVALUATION_DAYS")
    steps = thresholds(ahead, 3, 1, 0)
    student = aliased(User)
    rows = db.session.execute(
        sa.select(
            Placement.id,
            Placement.ends_on,
            Placement.mentor_id,
            Placement.supervisor_id,
            student.full_name,
            InternshipPosition.title,
            MentorEvaluation.id.is_not(None),
            AcademicScore.id.is_not(None),
        )
        .join(student, student.id == Placement.student_id)
        .join(InternshipPosition, InternshipPosition.id == Placement.position_id)
        .outerjoin(MentorEvaluation, MentorEvaluation.placement_id == Placement.id)
        .outerjoin(AcademicScore, AcademicScore.placement_id == Placement.id)
        .where(
            Placement.status.in_([PlacementStatus.ACTIVE, PlacementStatus.COMPLETED]),
            Placement.ends_on <= today + timedelta(days=ahead),
            Placement.ends_on >= today - timedelta(days=EVALUATION_LATE_DAYS),
            sa.or_(
                MentorEvaluation.id.is_(None),
                sa.and_(Placement.supervisor_id.is_not(None), AcademicScore.id.is_(None)),
            ),
        )
        .order_by(Placement.id)
    ).all()
    wanted = []  # (placement row, part, user id, endpoint)
    for row in rows:
        if not row[6]:
            wanted.append((row, "mentor", row.mentor_id, "internships.evaluate"))
        if row.supervisor_id is not None and not row[7]:
            wanted.append((row, "academic", row.supervisor_id, "internships.academic_score"))
    if not wanted:
        return []
    users = {
        u.id: u
        for u in db.session.scalars(
            sa.select(User).where(User.id.in_({w[2] for w in wanted}), *_active())
        )
    }
    dues = []
    for row, part, user_id, endpoint in wanted:
        if user_id not in users:
            continue
        days_left = (row.ends_on - today).days
        dues.append(
            Due(
                user=users[user_id],
                object_key=f"placement:{row.id}:{part}",
                due_key=f"{row.ends_on.isoformat()}:{step_key(days_left, steps)}",
                message=_evaluation_message(days_left),
                link=links.link(endpoint, placement_id=row.id),
                params={
                    "student": row.full_name,
                    "position": row.title,
                    "days": abs(days_left),
                    "due": row.ends_on,
                },
            )
        )
    return dues


# --- offers --------------------------------------------------------------------------------------


def offer_dues(today: date, now: datetime) -> list[Due]:
    """Students whose offer expires within the configured days (one query). ``now`` is the real
    moment; offers already past it are the ``expire-offers`` job's, not reminded."""
    ahead = _setting("REMINDER_OFFER_DAYS")
    steps = thresholds(ahead, 1, 0)
    rows = db.session.execute(
        sa.select(
            Application.id,
            Application.offer_expires_at,
            User,
            InternshipPosition.title,
            Agency.short_name,
        )
        .join(User, User.id == Application.student_id)
        .join(InternshipPosition, InternshipPosition.id == Application.position_id)
        .join(Agency, Agency.id == Application.agency_id)
        .where(
            Application.state == ApplicationState.OFFERED,
            Application.offer_expires_at > moment_in(today, now),
            Application.offer_expires_at < day_start(today + timedelta(days=ahead + 1)),
            *_active(),
        )
        .order_by(Application.id)
    )
    dues = []
    for application_id, expires_at, student, title, agency in rows:
        local = expires_at.astimezone(zone())
        days_left = (local.date() - today).days
        dues.append(
            Due(
                user=student,
                object_key=f"application:{application_id}",
                due_key=f"{local:%Y%m%d%H%M}:{step_key(days_left, steps)}",
                message="offer" if days_left > 0 else "offer_today",
                link=links.link("internships.application", application_id=application_id),
                params={
                    "position": title,
                    "agency": agency,
                    "days": days_left,
                    "expires": expires_at,
                    "time": local.strftime("%H:%M"),
                },
            )
        )
    return dues
