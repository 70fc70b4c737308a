"""The mentor's panel: their running mentees with the logbook entries waiting for review, the
guidance sessions of this month, and the evaluations due (placements near or past their end
without the mentor's evaluation). Three queries, whatever the number of mentees or sessions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app

from portal.auth.models import User
from portal.db import db
from portal.internships.evaluation.models import FinalGrade, MentorEvaluation
from portal.internships.guidance.models import GuidanceSession, SessionState
from portal.internships.guidance.queries import month_range
from portal.internships.models import InternshipPosition, Placement, PlacementStatus
from portal.internships.placements.models import EntryState, LogbookEntry
from portal.util import clock

MENTEES_SHOWN = 20
DUE_SHOWN = 10


@dataclass
class Mentee:
    placement_id: int
    student: str
    position: str
    ends_on: date
    waiting: int  # logbook entries submitted, not reviewed yet
    last_day: date | None  # the newest day in the logbook (drafts are the student's own)


@dataclass
class DueEvaluation:
    placement_id: int
    student: str
    ends_on: date
    status: PlacementStatus
    today: date

    @property
    def days_left(self) -> int:
        return (self.ends_on - self.today).days


def _mentees(user) -> list[Mentee]:
    waiting = (
        sa.select(sa.func.count(LogbookEntry.id))
        .where(
            LogbookEntry.placement_id == Placement.id, LogbookEntry.state == EntryState.SUBMITTED
        )
        .correlate(Placement)
        .scalar_subquery()
    )
    last_day = (
        sa.select(sa.func.max(LogbookEntry.day))
        .where(LogbookEntry.placement_id == Placement.id, LogbookEntry.state != EntryState.DRAFT)
        .correlate(Placement)
        .scalar_subquery()
    )
    rows = db.session.execute(
        sa.select(
            Placement.id,
            User.full_name,
            InternshipPosition.title,
            Placement.ends_on,
            waiting,
            last_day,
        )
        .join(User, User.id == Placement.student_id)
        .join(InternshipPosition, InternshipPosition.id == Placement.position_id)
        .where(Placement.mentor_id == user.id, Placement.status == PlacementStatus.ACTIVE)
        .order_by(waiting.desc(), User.full_name, Placement.id)
    ).all()
    return [Mentee(r[0], r[1], r[2], r[3], int(r[4] or 0), r[5]) for r in rows]


def _sessions_this_month(user, today: date) -> tuple[int, int]:
    """(sessions held this month, those still waiting for the student's confirmation)."""
    first, after = month_range(today.strftime("%Y-%m"))
    total, logged = db.session.execute(
        sa.select(
            sa.func.count(GuidanceSession.id),
            sa.func.coalesce(
                sa.func.sum(sa.case((GuidanceSession.state == SessionState.LOGGED, 1), else_=0)), 0
            ),
        ).where(
            GuidanceSession.mentor_id == user.id,
            GuidanceSession.held_on >= first,
            GuidanceSession.held_on < after,
        )
    ).one()
    return int(total or 0), int(logged or 0)


def _evaluations_due(user, today: date) -> list[DueEvaluation]:
    """Running placements whose evaluation has opened and completed ones, without the mentor's
    evaluation and not graded yet, the soonest end first."""
    opens_days = int(current_app.config["INTERNSHIP_EVALUATION_OPENS_DAYS"])
    evaluated = sa.select(MentorEvaluation.placement_id).where(
        MentorEvaluation.placement_id == Placement.id
    )
    graded = sa.select(FinalGrade.placement_id).where(FinalGrade.placement_id == Placement.id)
    rows = db.session.execute(
        sa.select(Placement.id, User.full_name, Placement.ends_on, Placement.status)
        .join(User, User.id == Placement.student_id)
        .where(
            Placement.mentor_id == user.id,
            sa.or_(
                Placement.status == PlacementStatus.COMPLETED,
                sa.and_(
                    Placement.status == PlacementStatus.ACTIVE,
                    Placement.ends_on <= today + timedelta(days=opens_days),
                ),
            ),
            ~sa.exists(evaluated),
            ~sa.exists(graded),
        )
        .order_by(Placement.ends_on, Placement.id)
    ).all()
    return [DueEvaluation(r[0], r[1], r[2], r[3], today) for r in rows]


def build(user) -> dict:
    """The mentor's figures (see the module docstring)."""
    today = clock.today()
    mentees = _mentees(user)
    sessions, unconfirmed = _sessions_this_month(user, today)
    due = _evaluations_due(user, today)
    return {
        "today": today,
        "month": today.strftime("%Y-%m"),
        "mentees": mentees[:MENTEES_SHOWN],
        "mentee_total": len(mentees),
        "waiting_total": sum(m.waiting for m in mentees),
        "sessions_this_month": sessions,
        "sessions_unconfirmed": unconfirmed,
        "evaluations_due": due[:DUE_SHOWN],
        "evaluations_due_total": len(due),
    }
