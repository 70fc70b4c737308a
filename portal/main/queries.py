"""Figures for the home page and the greeting of the dashboard (the role panels are in
``portal.dashboards``)."""

from __future__ import annotations

import sqlalchemy as sa

from portal.auth.models import Role, User
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


def institution(user: User) -> University | Agency | None:
    """The university or OPD named under the greeting (at most one query)."""
    if user.university_id:
        return db.session.get(University, user.university_id)
    if user.agency_id or user.admin_agency_id:
        return db.session.get(Agency, user.agency_id or user.admin_agency_id)
    return None


def authoring(user: User):
    """The authors' panel (``curricula.dashboard.author_panel``) for the roles that co-author
    curricula (university staff, ASN on the agency side), or None: shown once, whatever roles
    the user holds. Admins follow materials on their own panel."""
    if not user.roles & {Role.UNIVERSITY, Role.ASN}:
        return None
    from portal.curricula.dashboard import author_panel

    return author_panel(user)
