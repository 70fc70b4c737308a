"""Reads for the position pages (the application pages' are in ``application_queries``):
scoped to what the user may see, with explicit eager loading so each page runs a fixed number
of queries whatever the number of rows.

Users reached through a relationship are loaded without their roles (``raiseload``): the pages
show names, and only the signed-in user's roles (loaded at sign-in) are ever checked.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, raiseload, selectinload

from portal.auth.models import AccountStatus, Role, User, UserRole
from portal.db import db
from portal.institutions.models import Agency
from portal.internships import common
from portal.internships.applications.models import Application, ApplicationState
from portal.internships.models import (
    InternshipPeriod,
    InternshipPosition,
    MentorCapacity,
    PositionMentor,
    PositionState,
    WorkMode,
)
from portal.listing import contains

# --- filters -------------------------------------------------------------------------------------


def periods() -> list[InternshipPeriod]:
    return list(
        db.session.scalars(
            sa.select(InternshipPeriod).order_by(
                InternshipPeriod.starts_on.desc(), InternshipPeriod.id
            )
        )
    )


def agencies_with_positions(*, published_only: bool = True) -> list[Agency]:
    """OPDs that offer positions (the OPD filter of the lists)."""
    stmt = sa.select(InternshipPosition.agency_id)
    if published_only:
        stmt = stmt.where(InternshipPosition.state == PositionState.PUBLISHED)
    return list(
        db.session.scalars(sa.select(Agency).where(Agency.id.in_(stmt)).order_by(Agency.name))
    )


def active_agencies() -> list[Agency]:
    return list(db.session.scalars(sa.select(Agency).where(Agency.is_active).order_by(Agency.name)))


# --- positions -----------------------------------------------------------------------------------


def published_positions(
    *, q="", agency_id=None, major="", period_id=None, mode="", page=1, per_page=20
):
    """A page of the positions open for applications, soonest deadline first."""
    stmt = (
        sa.select(InternshipPosition)
        .where(InternshipPosition.state == PositionState.PUBLISHED)
        .options(*common.position_options())
        .order_by(InternshipPosition.application_deadline, InternshipPosition.id)
    )
    if q:
        stmt = stmt.where(
            sa.or_(
                *(
                    contains(c, q)
                    for c in (
                        InternshipPosition.title,
                        InternshipPosition.unit,
                        InternshipPosition.description,
                        InternshipPosition.wanted_skills,
                    )
                )
            )
        )
    if agency_id:
        stmt = stmt.where(InternshipPosition.agency_id == agency_id)
    if major:
        stmt = stmt.where(contains(InternshipPosition.wanted_majors, major))
    if period_id:
        stmt = stmt.where(InternshipPosition.period_id == period_id)
    if mode in {m.value for m in WorkMode}:
        stmt = stmt.where(InternshipPosition.mode == mode)
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def managed_positions_stmt(user, *, q="", agency_id=None, state=""):
    """The positions ``user`` manages (an OPD admin: their OPD's; a city admin: all, or the OPD
    chosen), in every state, newest first: the page's and the export's statement."""
    stmt = (
        sa.select(InternshipPosition)
        .options(*common.position_options())
        .order_by(InternshipPosition.created_at.desc(), InternshipPosition.id.desc())
    )
    if user.admin_agency_id is not None:
        stmt = stmt.where(InternshipPosition.agency_id == user.admin_agency_id)
    elif agency_id:
        stmt = stmt.where(InternshipPosition.agency_id == agency_id)
    if q:
        stmt = stmt.where(contains(InternshipPosition.title, q))
    if state in {s.value for s in PositionState}:
        stmt = stmt.where(InternshipPosition.state == state)
    return stmt


def waiting_counts(ids) -> dict[int, int]:
    """position id -> endorsed applications with no decision yet (one query)."""
    if not ids:
        return {}
    return dict(
        db.session.execute(
            sa.select(Application.position_id, sa.func.count())
            .where(
                Application.position_id.in_(ids),
                Application.state.in_(
                    (
                        ApplicationState.ENDORSED,
                        ApplicationState.SHORTLISTED,
                        ApplicationState.WAITLISTED,
                    )
                ),
            )
            .group_by(Application.position_id)
        ).all()
    )


def managed_positions(user, *, q="", agency_id=None, state="", page=1, per_page=20):
    """A page of :func:`managed_positions_stmt`; ``waiting`` on each row counts endorsed
    applications with no decision."""
    stmt = managed_positions_stmt(user, q=q, agency_id=agency_id, state=state)
    pagination = db.paginate(stmt, page=page, per_page=per_page, error_out=False)
    return pagination, waiting_counts([p.id for p in pagination.items])


def managed_positions_export(user, *, limit: int = 5000, **filters):
    """Every position of the list (same scope and filters) with its waiting count."""
    positions = list(db.session.scalars(managed_positions_stmt(user, **filters).limit(limit)))
    return positions, waiting_counts([p.id for p in positions])


def position(position_id: int) -> InternshipPosition | None:
    """One position with its OPD, period and mentors (their names)."""
    return (
        db.session.scalars(
            sa.select(InternshipPosition)
            .where(InternshipPosition.id == position_id)
            .options(
                *common.position_options(),
                selectinload(InternshipPosition.mentors).options(
                    raiseload(PositionMentor.position),
                    joinedload(PositionMentor.mentor).options(raiseload("*")),
                ),
            )
        )
        .unique()
        .one_or_none()
    )


@dataclass
class MentorRow:
    mentor: User
    limit: int | None
    active: int


def mentor_rows(position: InternshipPosition) -> list[MentorRow]:
    """The position's named mentors with their mentee limit and current mentees."""
    rows = db.session.execute(
        sa.select(User, MentorCapacity.mentee_limit, MentorCapacity.active_mentees)
        .join(PositionMentor, PositionMentor.mentor_id == User.id)
        .outerjoin(MentorCapacity, MentorCapacity.user_id == User.id)
        .where(PositionMentor.position_id == position.id)
        .options(raiseload("*"))
        .order_by(PositionMentor.id)
    ).all()
    return [MentorRow(user, limit, active or 0) for user, limit, active in rows]


def mentor_candidates(position: InternshipPosition) -> list[User]:
    """Active mentors of the position's OPD not yet named for it (roles loaded: the service
    checks them)."""
    named = sa.select(PositionMentor.mentor_id).where(PositionMentor.position_id == position.id)
    return list(
        db.session.scalars(
            sa.select(User)
            .join(UserRole)
            .where(
                UserRole.role == Role.MENTOR,
                User.agency_id == position.agency_id,
                User.is_active_flag.is_(True),
                User.status == AccountStatus.ACTIVE,
                User.id.not_in(named),
            )
            .options(selectinload(User.role_rows))
            .order_by(User.full_name, User.id)
        )
    )
