"""Reads that feed the account pages."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import selectinload

from portal.auth.models import AccountStatus, Role, User, UserRole
from portal.db import db
from portal.institutions.models import University
from portal.listing import like_pattern


def active_universities() -> list[University]:
    return list(
        db.session.scalars(
            sa.select(University).where(University.is_active.is_(True)).order_by(University.name)
        )
    )


def pending_students(university_id: int, *, q: str = "", page: int = 1, per_page: int = 20):
    """Students of one university waiting for verification, oldest first (a page)."""
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
        like = like_pattern(q)
        stmt = stmt.where(
            sa.or_(
                sa.func.lower(User.full_name).like(like, escape="\\"),
                sa.func.lower(User.email).like(like, escape="\\"),
                sa.func.lower(User.nim).like(like, escape="\\"),
            )
        )
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def get_user(user_id: int) -> User | None:
    """One account with its roles loaded (pages read them)."""
    return db.session.scalars(
        sa.select(User).where(User.id == user_id).options(selectinload(User.role_rows))
    ).first()


def get_user_or_404(user_id: int) -> User:
    user = get_user(user_id)
    if user is None:
        abort(404)
    return user
