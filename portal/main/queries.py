"""Figures for the home page and the dashboards (later issues fill the dashboards)."""

from __future__ import annotations

import sqlalchemy as sa

from portal.auth.models import AccountStatus, Role, User, UserRole
from portal.db import db
from portal.institutions.models import Agency, University


def public_stats() -> dict[str, int]:
    """Counts a visitor may see: partner universities and agencies (two queries)."""
    return {
        "universities": db.session.scalar(
            sa.select(sa.func.count()).select_from(University).where(University.is_active.is_(True))
        ),
        "agencies": db.session.scalar(
            sa.select(sa.func.count()).select_from(Agency).where(Agency.is_active.is_(True))
        ),
    }


def dashboard_summary(user: User) -> dict:
    """What waits on this user, per role (at most one query per role panel)."""
    summary: dict = {}
    if user.university_id:
        summary["institution"] = db.session.get(University, user.university_id)
    elif user.agency_id or user.admin_agency_id:
        summary["institution"] = db.session.get(Agency, user.agency_id or user.admin_agency_id)
    if Role.UNIVERSITY in user.roles and user.university_id:
        summary["pending_students"] = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(User)
            .join(UserRole)
            .where(
                UserRole.role == Role.STUDENT,
                User.university_id == user.university_id,
                User.status == AccountStatus.PENDING,
            )
        )
    if user.roles & {Role.UNIVERSITY, Role.ASN, Role.ADMIN}:
        from portal.curricula.dashboard import author_panel

        summary["authoring"] = author_panel(user)
    if Role.ADMIN in user.roles:
        stmt = sa.select(sa.func.count()).select_from(User).where(User.password_hash.is_(None))
        if not user.is_city_admin:
            stmt = stmt.where(User.agency_id == user.admin_agency_id)
        summary["open_invitations"] = db.session.scalar(stmt)
    return summary
