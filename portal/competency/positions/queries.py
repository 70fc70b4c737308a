"""Positions and standards: reads, scoped to what the admin may see (another OPD's object is None:
"not found")."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from portal.auth.models import User
from portal.competency import scope
from portal.competency.models import (
    AsnProfile,
    Competency,
    Position,
    PositionKind,
    StandardItem,
)
from portal.db import db
from portal.listing import contains


def relevant_competencies(position: Position) -> list[Competency]:
    """What a position's standard may hold: every active competency of the city-wide dictionary
    (managerial, socio-cultural, and technical ones of any field: the OPD plays no part), and
    whatever the standard holds already (so a since-retired competency can still be seen and
    removed). Ordered by type, then field, then code."""
    held = [item.competency_id for item in position.standard]
    wanted = Competency.is_retired.is_(False)
    if held:
        wanted = sa.or_(wanted, Competency.id.in_(held))
    return list(
        db.session.scalars(
            sa.select(Competency)
            .where(wanted)
            .options(joinedload(Competency.current_version))
            .order_by(Competency.type, Competency.field, Competency.code)
        )
    )


def _scope_positions(stmt, admin: User):
    if admin.is_city_admin:
        return stmt
    return stmt.where(Position.agency_id == admin.admin_agency_id)


def positions_stmt(admin: User, *, q="", agency_id=None, kind=""):
    """Positions the admin may manage, searchable by name, filtered by OPD and kind."""
    stmt = _scope_positions(sa.select(Position).order_by(Position.name, Position.id), admin)
    if q:
        stmt = stmt.where(contains(Position.name, q))
    if agency_id:
        stmt = stmt.where(Position.agency_id == agency_id)
    if kind in {k.value for k in PositionKind}:
        stmt = stmt.where(Position.kind == kind)
    return stmt


def positions(admin: User, *, page=1, per_page=20, **filters):
    """A page of :func:`positions_stmt`."""
    stmt = positions_stmt(admin, **filters)
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def standard_size_column():
    """How many competencies the row's position's standard holds (a column to add to a
    positions statement, so an export counts in the same query)."""
    return (
        sa.select(sa.func.count())
        .where(StandardItem.position_id == Position.id)
        .correlate(Position)
        .scalar_subquery()
    )


def standard_sizes(position_ids) -> dict[int, int]:
    """How many competencies each position's standard holds (one query for a page)."""
    ids = list(position_ids)
    rows = db.session.execute(
        sa.select(StandardItem.position_id, sa.func.count())
        .where(StandardItem.position_id.in_(ids))
        .group_by(StandardItem.position_id)
    )
    return dict(rows.all())


def position_in_scope(admin: User, position_id: int) -> Position | None:
    """One position with its standard; None when there is none such, or it is another OPD's
    position for an OPD admin."""
    if not scope.in_range(position_id):
        return None
    stmt = (
        sa.select(Position)
        .where(Position.id == position_id)
        .options(selectinload(Position.standard))
    )
    return db.session.scalars(_scope_positions(stmt, admin)).first()


def position_name_taken(agency_id: int, name: str, *, exclude_id: int | None = None) -> bool:
    stmt = (
        sa.select(sa.func.count())
        .select_from(Position)
        .where(Position.agency_id == agency_id, sa.func.lower(Position.name) == name.lower())
    )
    if exclude_id:
        stmt = stmt.where(Position.id != exclude_id)
    return db.session.scalar(stmt) > 0


def position_holders(position_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(AsnProfile)
        .where(AsnProfile.position_id == position_id)
    )


def positions_for_choice(admin: User, *, agency_id=None, include_ids=()) -> list[Position]:
    """Active positions for a select (of one OPD if given), plus ``include_ids``."""
    wanted = Position.is_active.is_(True)
    if agency_id:
        wanted = sa.and_(wanted, Position.agency_id == agency_id)
    include = {i for i in include_ids if i}
    if include:
        wanted = sa.or_(wanted, Position.id.in_(include))
    stmt = _scope_positions(sa.select(Position).where(wanted), admin)
    return list(db.session.scalars(stmt.order_by(Position.agency_id, Position.name)))


def position(position_id: int | None) -> Position | None:
    if not position_id or not scope.in_range(position_id):
        return None
    return db.session.scalars(sa.select(Position).where(Position.id == position_id)).first()
