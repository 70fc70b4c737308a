"""The competency dictionary: reads, scoped to what the admin may see (another OPD's object is
None: "not found")."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from portal.auth.models import User
from portal.competency import scope
from portal.competency.fields import TechnicalField
from portal.competency.models import (
    Competency,
    CompetencyType,
    CompetencyVersion,
)
from portal.db import db
from portal.listing import any_contains


def _scope_competencies(stmt, admin: User):
    if admin.is_city_admin:
        return stmt
    return stmt.where(
        sa.or_(
            Competency.type != CompetencyType.TECHNICAL,
            Competency.agency_id == admin.admin_agency_id,
        )
    )


def competencies_stmt(admin: User, *, q="", ctype="", status="", agency_id=None, field=""):
    """The catalogue, searchable by code and current name, filtered by type, status, OPD and
    field (bidang/urusan) of the technical competencies."""
    stmt = (
        sa.select(Competency)
        .outerjoin(CompetencyVersion, CompetencyVersion.id == Competency.current_version_id)
        .options(joinedload(Competency.current_version))
        .order_by(Competency.type, Competency.code)
    )
    stmt = _scope_competencies(stmt, admin)
    if q:
        stmt = stmt.where(any_contains(q, Competency.code, CompetencyVersion.name))
    if ctype in {t.value for t in CompetencyType}:
        stmt = stmt.where(Competency.type == ctype)
    if status == "active":
        stmt = stmt.where(Competency.is_retired.is_(False))
    elif status == "retired":
        stmt = stmt.where(Competency.is_retired.is_(True))
    if agency_id:
        stmt = stmt.where(Competency.agency_id == agency_id)
    if field in {f.value for f in TechnicalField}:
        stmt = stmt.where(Competency.field == field)
    return stmt


def competencies(admin: User, *, page=1, per_page=20, **filters):
    """A page of :func:`competencies_stmt`."""
    stmt = competencies_stmt(admin, **filters)
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def competency_in_scope(admin: User, competency_id: int) -> Competency | None:
    """One competency with its current wording and levels; None when there is none such, or
    it is another OPD's technical one."""
    if not scope.in_range(competency_id):
        return None
    stmt = (
        sa.select(Competency)
        .where(Competency.id == competency_id)
        .options(joinedload(Competency.current_version).selectinload(CompetencyVersion.levels))
    )
    return db.session.scalars(_scope_competencies(stmt, admin)).first()


def version_history(competency: Competency) -> list[tuple[CompetencyVersion, str | None]]:
    """Every version, newest first, with the name of whoever wrote it (None: seeded)."""
    return list(
        db.session.execute(
            sa.select(CompetencyVersion, User.full_name)
            .outerjoin(User, User.id == CompetencyVersion.created_by_id)
            .where(CompetencyVersion.competency_id == competency.id)
            .order_by(CompetencyVersion.number.desc())
        ).all()
    )


def code_taken(code: str) -> bool:
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Competency)
            .where(sa.func.upper(Competency.code) == code.upper())
        )
        > 0
    )
