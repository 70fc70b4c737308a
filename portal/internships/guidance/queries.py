"""Reads that feed the guidance pages: one session, the mentor's list across mentees, the counts
per month, the export. Each runs a fixed number of queries whatever the number of sessions
(QUALITY.md P4) and loads what its page shows explicitly (no lazy loads)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from portal.auth.models import User
from portal.db import db
from portal.internships.guidance.models import GuidanceAction, GuidanceSession, SessionState
from portal.internships.models import InternshipPosition, Placement
from portal.listing import page_size


def placement(placement_id: int) -> Placement | None:
    """A placement with its student, mentor, DPL and position (with its OPD) loaded; None when
    there is none."""
    return db.session.scalar(
        sa.select(Placement)
        .where(Placement.id == placement_id)
        .options(
            joinedload(Placement.student),
            joinedload(Placement.mentor),
            joinedload(Placement.supervisor),
            joinedload(Placement.position).joinedload(InternshipPosition.agency),
        )
    )


def session(session_id: int) -> GuidanceSession | None:
    """A session with its placement (student, DPL, position and OPD), mentor and actions; None
    when there is none."""
    return db.session.scalar(
        sa.select(GuidanceSession)
        .where(GuidanceSession.id == session_id)
        .options(
            joinedload(GuidanceSession.mentor),
            joinedload(GuidanceSession.placement).options(
                joinedload(Placement.student),
                joinedload(Placement.supervisor),
                joinedload(Placement.position).joinedload(InternshipPosition.agency),
            ),
            selectinload(GuidanceSession.actions),
        )
    )


def open_actions(placement_id: int, *, before_session_id: int | None = None) -> list:
    """Actions of the placement's sessions not yet done (the mentor ticks them at the next
    meeting), oldest first."""
    stmt = (
        sa.select(
            GuidanceAction.id, GuidanceAction.text, GuidanceAction.due_on, GuidanceSession.held_on
        )
        .join(GuidanceSession, GuidanceSession.id == GuidanceAction.session_id)
        .where(GuidanceSession.placement_id == placement_id, GuidanceAction.is_done.is_(False))
        .order_by(GuidanceSession.held_on, GuidanceAction.id)
    )
    if before_session_id is not None:
        stmt = stmt.where(GuidanceSession.id != before_session_id)
    return list(db.session.execute(stmt))


def month_range(month: str) -> tuple[date, date] | None:
    """``YYYY-MM`` as [first day, first day of the next month); None when it is not one."""
    try:
        year, number = (int(part) for part in month.split("-"))
        first = date(year, number, 1)
    except (ValueError, TypeError):
        return None
    if not 1900 <= year <= 9998:
        return None
    nxt = date(year + (number == 12), number % 12 + 1, 1)
    return first, nxt


def _filtered(stmt, *, mentor_id: int, month: str = "", placement_id: int | None = None):
    stmt = stmt.where(GuidanceSession.mentor_id == mentor_id)
    bounds = month_range(month) if month else None
    if bounds:
        stmt = stmt.where(GuidanceSession.held_on >= bounds[0], GuidanceSession.held_on < bounds[1])
    if placement_id is not None:
        stmt = stmt.where(GuidanceSession.placement_id == placement_id)
    return stmt


def mentor_sessions(mentor_id: int, *, month: str = "", placement_id=None, page: int = 1):
    """The mentor's sessions across all mentees, newest first, a page at a time."""
    stmt = _filtered(
        sa.select(GuidanceSession)
        .options(joinedload(GuidanceSession.placement).joinedload(Placement.student))
        .order_by(GuidanceSession.held_on.desc(), GuidanceSession.id.desc()),
        mentor_id=mentor_id,
        month=month,
        placement_id=placement_id,
    )
    return db.paginate(stmt, page=page, per_page=page_size(), error_out=False)


@dataclass(frozen=True)
class MonthCount:
    mentor_id: int
    mentor: str
    year: int
    month: int
    sessions: int
    confirmed: int
    disputed: int
    minutes: int

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)


def monthly_counts(
    *,
    mentor_id: int | None = None,
    agency_id: int | None = None,
    placement_id: int | None = None,
    limit: int = 24,
) -> list[MonthCount]:
    """Sessions per mentor per month (newest month first): all, confirmed, disputed, minutes.
    Scoped to one mentor, one placement and/or the placements of one OPD; one query."""
    year = sa.extract("year", GuidanceSession.held_on)
    month = sa.extract("month", GuidanceSession.held_on)
    state = GuidanceSession.state

    def tally(value):
        return sa.func.coalesce(sa.func.sum(sa.case((state == value, 1), else_=0)), 0)

    stmt = (
        sa.select(
            GuidanceSession.mentor_id,
            User.full_name,
            year.label("y"),
            month.label("m"),
            sa.func.count(GuidanceSession.id),
            tally(SessionState.CONFIRMED),
            tally(SessionState.DISPUTED),
            sa.func.coalesce(sa.func.sum(GuidanceSession.duration_minutes), 0),
        )
        .join(User, User.id == GuidanceSession.mentor_id)
        .group_by(GuidanceSession.mentor_id, User.full_name, year, month)
        .order_by(year.desc(), month.desc(), User.full_name, GuidanceSession.mentor_id)
        .limit(limit)
    )
    if mentor_id is not None:
        stmt = stmt.where(GuidanceSession.mentor_id == mentor_id)
    if placement_id is not None:
        stmt = stmt.where(GuidanceSession.placement_id == placement_id)
    if agency_id is not None:
        stmt = stmt.join(Placement, Placement.id == GuidanceSession.placement_id).where(
            Placement.agency_id == agency_id
        )
    return [MonthCount(int(r[0]), r[1], *(int(v) for v in r[2:])) for r in db.session.execute(stmt)]


def mentees(mentor_id: int) -> list:
    """The mentor's placements (every status) with the student's name, for the filter."""
    return list(
        db.session.execute(
            sa.select(Placement.id, User.full_name, Placement.starts_on)
            .join(User, User.id == Placement.student_id)
            .where(Placement.mentor_id == mentor_id)
            .order_by(User.full_name, Placement.starts_on)
        )
    )


def export_rows(mentor_id: int, *, month: str = "", placement_id=None, limit: int = 5000):
    """The rows of the mentor's export: what the student may see too, never the private notes."""
    stmt = _filtered(
        sa.select(
            GuidanceSession.id,
            GuidanceSession.held_on,
            User.full_name,
            GuidanceSession.duration_minutes,
            GuidanceSession.mode,
            GuidanceSession.topics,
            GuidanceSession.competencies,
            GuidanceSession.shared_notes,
            GuidanceSession.next_meeting_on,
            GuidanceSession.state,
            GuidanceSession.student_comment,
        )
        .join(Placement, Placement.id == GuidanceSession.placement_id)
        .join(User, User.id == Placement.student_id)
        .order_by(GuidanceSession.held_on.desc(), GuidanceSession.id.desc())
        .limit(limit),
        mentor_id=mentor_id,
        month=month,
        placement_id=placement_id,
    )
    return list(db.session.execute(stmt))
