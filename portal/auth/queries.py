"""Reads that feed the account pages."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from portal.auth.invitations import to_invite
from portal.auth.models import AccountStatus, Role, User, UserRole
from portal.db import db
from portal.institutions.models import University
from portal.listing import any_contains


def active_universities() -> list[University]:
    return list(
        db.session.scalars(
            sa.select(University).where(University.is_active.is_(True)).order_by(University.name)
        )
    )


#: The most rows an export holds (the list is filtered first; a bigger one is cut there).
EXPORT_LIMIT = 50_000


def pending_students_stmt(university_id: int, *, q: str = ""):
    """Students of one university waiting for verification, oldest first."""
    stmt = (
        sa.select(User)
        .join(UserRole)
        .where(
            UserRole.role == Role.STUDENT,
            User.university_id == university_id,
            User.status == AccountStatus.PENDING,
        )
        .order_by(User.created_at, User.id)
    )
    if q:
        stmt = stmt.where(any_contains(q, User.full_name, User.email, User.nim))
    return stmt


def pending_students(university_id: int, *, q: str = "", page: int = 1, per_page: int = 20):
    """A page of :func:`pending_students_stmt`."""
    stmt = pending_students_stmt(university_id, q=q)
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def pending_students_export(university_id: int, *, q: str = "") -> list[User]:
    """The same students for the CSV/XLSX export: unpaginated, at most :data:`EXPORT_LIMIT`."""
    stmt = pending_students_stmt(university_id, q=q).limit(EXPORT_LIMIT)
    return list(db.session.scalars(stmt))


def get_user(user_id: int) -> User | None:
    """One account with its roles loaded (pages read them); None: no such account."""
    return db.session.scalars(
        sa.select(User).where(User.id == user_id).options(selectinload(User.role_rows))
    ).first()


def manageable_by(admin: User) -> sa.ColumnElement[bool]:
    """SQL: the account is one ``admin`` may manage (the rule of ``User.can_be_managed_by``):
    every account for a city-wide admin; for an OPD admin the ASN and mentors of its OPD."""
    if admin.is_city_admin:
        return sa.true()
    others = sa.select(UserRole.user_id).where(
        UserRole.role.in_([Role.ADMIN, Role.UNIVERSITY, Role.STUDENT])
    )
    return sa.and_(User.agency_id == admin.admin_agency_id, User.id.not_in(others))


def invitable(ids, *, limit: int) -> list[User]:
    """The accounts of ``ids`` (a SELECT of user ids) a bulk invitation sends to (never invited,
    or the sending failed), with what the invitation service reads."""
    return list(
        db.session.scalars(
            sa.select(User)
            .where(User.id.in_(ids), to_invite())
            .options(selectinload(User.role_rows), selectinload(User.invitation_email))
            .order_by(User.id)
            .limit(limit)
        )
    )
