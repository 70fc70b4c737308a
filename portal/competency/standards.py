"""Where a position's suggested standard comes from (issue 17, point 3): the kind of position or the
JF jenjang gives the levels (Permen PANRB 38/2017; DOMAIN.md §1.5), the jabatan gives the
technical competencies (its field, or what the same jabatan already holds in another OPD), never
the OPD's own list. Reads only; ``services.default_standard`` writes the standard."""

from __future__ import annotations

import sqlalchemy as sa

from portal.competency import fields
from portal.competency.fields import TechnicalField
from portal.competency.models import (
    JENJANG_DEFAULT_LEVELS,
    MANAGERIAL_RULE_OF_THUMB,
    Competency,
    CompetencyType,
    JenjangLevel,
    Position,
    PositionKind,
    StandardItem,
)
from portal.db import db


def jenjang_levels() -> dict[str, tuple[int, int]]:
    """Every JF jenjang → (managerial/socio-cultural level, technical level): the configured
    table over the documented defaults."""
    levels = dict(JENJANG_DEFAULT_LEVELS)
    for row in db.session.scalars(sa.select(JenjangLevel)):
        levels[row.jenjang] = (row.managerial_level, row.technical_level)
    return levels


def rule_levels(position: Position, jenjang: dict | None = None) -> tuple[int, int]:
    """(managerial and socio-cultural level, technical level) the rule suggests for the position:
    a JF's come from its jenjang (configurable), the others' from the kind of position."""
    if position.kind == PositionKind.FUNGSIONAL and position.jenjang:
        table = jenjang if jenjang is not None else jenjang_levels()
        if position.jenjang in table:
            return table[position.jenjang]
    level = MANAGERIAL_RULE_OF_THUMB[position.kind]
    return level, max(level, 2)


def same_jabatan(name: str, *, exclude_id: int | None = None):
    """A statement over the positions of the same jabatan (same name, any OPD)."""
    stmt = sa.select(Position).where(sa.func.lower(Position.name) == name.strip().lower())
    if exclude_id:
        stmt = stmt.where(Position.id != exclude_id)
    return stmt


def jabatan_profile(
    name: str, kind: PositionKind, agency, *, exclude_id: int | None = None
) -> tuple[TechnicalField | None, str | None]:
    """(field, instansi pembina) a position of this jabatan gets when the admin leaves them blank:
    for a jabatan fungsional, the same jabatan in another OPD; else a known JF; else the OPD's
    urusan (a structural or pelaksana position serves its OPD's affairs, and "Kepala Bidang"
    names a different jabatan in every OPD)."""
    if kind == PositionKind.FUNGSIONAL:
        other = db.session.scalars(
            same_jabatan(name, exclude_id=exclude_id)
            .where(Position.kind == PositionKind.FUNGSIONAL, Position.field.is_not(None))
            .order_by(Position.id)
            .limit(1)
        ).first()
        if other is not None:
            return other.field, other.pembina
    known = fields.jabatan(name)
    if known is not None:
        return known
    if agency is None:
        return None, None
    return fields.agency_field(agency.name, agency.short_name), None


def jabatan_technical_ids(position: Position) -> list[int]:
    """The technical competencies the same jabatan (same name and field) already holds in another
    OPD (the first such position's), so every Pranata Komputer shares one technical standard;
    [] when none has (and for any position but a jabatan fungsional)."""
    if position.kind != PositionKind.FUNGSIONAL:
        return []
    rows = db.session.execute(
        sa.select(StandardItem.position_id, StandardItem.competency_id)
        .join(Competency, Competency.id == StandardItem.competency_id)
        .join(Position, Position.id == StandardItem.position_id)
        .where(
            sa.func.lower(Position.name) == position.name.strip().lower(),
            Position.id != position.id,
            Position.kind == PositionKind.FUNGSIONAL,
            Position.field == position.field if position.field else Position.field.is_(None),
            Competency.type == CompetencyType.TECHNICAL,
            Competency.is_retired.is_(False),
        )
        .order_by(StandardItem.position_id, StandardItem.competency_id)
    ).all()
    if not rows:
        return []
    first = rows[0][0]
    return [competency_id for position_id, competency_id in rows if position_id == first]
