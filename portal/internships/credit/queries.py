"""Reads of the credit schemes: one university's scheme with its courses and scale (one query),
and the universities with their schemes for the admins' list."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from portal.db import db
from portal.institutions.models import University
from portal.internships.credit.models import CreditScheme


def scheme_for(university_id: int | None) -> CreditScheme | None:
    """The university's scheme with its courses and letter grades, or None (one query)."""
    if university_id is None:
        return None
    return (
        db.session.scalars(
            sa.select(CreditScheme)
            .where(CreditScheme.university_id == university_id)
            .options(joinedload(CreditScheme.courses), joinedload(CreditScheme.bands))
        )
        .unique()
        .first()
    )


def universities_with_schemes() -> list[tuple[University, CreditScheme | None]]:
    """Every active university (by name) with its scheme, or None (one query)."""
    rows = db.session.execute(
        sa.select(University, CreditScheme)
        .outerjoin(CreditScheme, CreditScheme.university_id == University.id)
        .where(University.is_active.is_(True))
        .order_by(University.name)
    ).all()
    return [(u, s) for u, s in rows]
