"""Reads for the competency admin screens, scoped to what the admin may see.

A city-wide admin sees everything. An OPD admin sees the managerial and socio-cultural catalogue
(read-only), and only the technical competencies, positions and ASN records of its own OPD; any
other OPD's object is "not found" for it. Every page's relationships are loaded here, up front.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from portal.auth.models import User
from portal.competency.models import (
    AsnProfile,
    AsnStatus,
    Competency,
    CompetencyType,
    CompetencyVersion,
    Position,
    PositionKind,
    StandardItem,
)
from portal.competency.nip import normalise_nip
from portal.db import db
from portal.institutions.models import Agency
from portal.listing import any_contains, contains

#: Largest id a URL or filter may name (beyond it no row exists, and SQLite/PostgreSQL overflow).
MAX_ID = 2**31 - 1


def _in_range(obj_id: int) -> bool:
    return 0 < obj_id <= MAX_ID


#: The most rows an export holds (the list is filtered first; a bigger one is cut there).
EXPORT_LIMIT = 50_000


def export_rows(stmt) -> list:
    """The rows of a list's statement for its CSV/XLSX export: no pagination, at most
    :data:`EXPORT_LIMIT`, with the eager loading the statement declares."""
    return list(db.session.execute(stmt.limit(EXPORT_LIMIT)))


# --- agencies ---------------------------------------------------------------------------------------


def agencies_in_scope(admin: User, include_ids=()) -> list[Agency]:
    """The OPDs the admin works with: all active ones (plus ``include_ids``) for a city-wide
    admin, only its own for an OPD admin."""
    if not admin.is_city_admin:
        return list(db.session.scalars(sa.select(Agency).where(Agency.id == admin.admin_agency_id)))
    wanted = Agency.is_active.is_(True)
    include = {i for i in include_ids if i}
    if include:
        wanted = sa.or_(wanted, Agency.id.in_(include))
    return list(db.session.scalars(sa.select(Agency).where(wanted).order_by(Agency.name)))


def agency_names(ids) -> dict[int, Agency]:
    """Agencies by id for the rows of a page (one query whatever the number of rows)."""
    ids = {i for i in ids if i}
    return {a.id: a for a in db.session.scalars(sa.select(Agency).where(Agency.id.in_(ids)))}


# --- catalogue --------------------------------------------------------------------------------------


def _scope_competencies(stmt, admin: User):
    if admin.is_city_admin:
        return stmt
    return stmt.where(
        sa.or_(
            Competency.type != CompetencyType.TECHNICAL,
            Competency.agency_id == admin.admin_agency_id,
        )
    )


def competencies_stmt(admin: User, *, q="", ctype="", status="", agency_id=None):
    """The catalogue, searchable by code and current name, filtered by type, status and OPD."""
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
    return stmt


def competencies(admin: User, *, page=1, per_page=20, **filters):
    """A page of :func:`competencies_stmt`."""
    stmt = competencies_stmt(admin, **filters)
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def competency_in_scope(admin: User, competency_id: int) -> Competency | None:
    """One competency with its current wording and levels; None when there is none such, or
    it is another OPD's technical one."""
    if not _in_range(competency_id):
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


def relevant_competencies(position: Position) -> list[Competency]:
    """What a position's standard may hold: every active managerial and socio-cultural
    competency, the active technical ones of its OPD, and whatever the standard holds already
    (so a since-retired competency can still be seen and removed)."""
    held = [item.competency_id for item in position.standard]
    wanted = sa.and_(
        Competency.is_retired.is_(False),
        sa.or_(
            Competency.type != CompetencyType.TECHNICAL,
            Competency.agency_id == position.agency_id,
        ),
    )
    if held:
        wanted = sa.or_(wanted, Competency.id.in_(held))
    return list(
        db.session.scalars(
            sa.select(Competency)
            .where(wanted)
            .options(joinedload(Competency.current_version))
            .order_by(Competency.type, Competency.code)
        )
    )


def technical_ids(competency_ids) -> set[int]:
    ids = list(competency_ids)
    if not ids:
        return set()
    return set(
        db.session.scalars(
            sa.select(Competency.id).where(
                Competency.id.in_(ids), Competency.type == CompetencyType.TECHNICAL
            )
        )
    )


# --- positions --------------------------------------------------------------------------------------


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
    if not _in_range(position_id):
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
    if not position_id or not 0 < position_id <= MAX_ID:
        return None
    return db.session.scalars(sa.select(Position).where(Position.id == position_id)).first()


def agency(agency_id: int | None) -> Agency | None:
    if not agency_id or not 0 < agency_id <= MAX_ID:
        return None
    return db.session.get(Agency, agency_id)


# --- ASN records ------------------------------------------------------------------------------------


def _scope_asn(stmt, admin: User):
    if admin.is_city_admin:
        return stmt
    return stmt.where(AsnProfile.agency_id == admin.admin_agency_id)


_ASN_LOADS = (
    joinedload(AsnProfile.user),
    joinedload(AsnProfile.position),
    joinedload(AsnProfile.supervisor).joinedload(AsnProfile.user),
)


def asn_records_stmt(admin: User, *, q="", agency_id=None, status="", position_id=None):
    """ASN records the admin may manage, searchable by name or NIP, filtered by OPD, status and
    position; user, position and supervisor are loaded with the page."""
    stmt = (
        sa.select(AsnProfile)
        .join(User, User.id == AsnProfile.user_id)
        .options(*_ASN_LOADS)
        .order_by(User.full_name, AsnProfile.id)
    )
    stmt = _scope_asn(stmt, admin)
    if q:
        match = contains(User.full_name, q)
        digits = normalise_nip(q)
        if digits.isascii() and digits.isdigit():
            match = sa.or_(match, contains(AsnProfile.nip, digits))
        stmt = stmt.where(match)
    if agency_id:
        stmt = stmt.where(AsnProfile.agency_id == agency_id)
    if status in {s.value for s in AsnStatus}:
        stmt = stmt.where(AsnProfile.status == status)
    if position_id:
        stmt = stmt.where(AsnProfile.position_id == position_id)
    return stmt


def asn_records(admin: User, *, page=1, per_page=20, **filters):
    """A page of :func:`asn_records_stmt`."""
    stmt = asn_records_stmt(admin, **filters)
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def asn_in_scope(admin: User, asn_id: int) -> AsnProfile | None:
    """One ASN record with user, position and supervisor; None when there is none such, or it
    is another OPD's for an OPD admin."""
    if not _in_range(asn_id):
        return None
    stmt = sa.select(AsnProfile).where(AsnProfile.id == asn_id).options(*_ASN_LOADS)
    return db.session.scalars(_scope_asn(stmt, admin)).first()


def asn_by_nip(nip: str) -> AsnProfile | None:
    return db.session.scalars(
        sa.select(AsnProfile).where(AsnProfile.nip == nip).options(joinedload(AsnProfile.user))
    ).first()


def nip_taken(nip: str, *, exclude_id: int | None = None) -> bool:
    stmt = sa.select(sa.func.count()).select_from(AsnProfile).where(AsnProfile.nip == nip)
    if exclude_id:
        stmt = stmt.where(AsnProfile.id != exclude_id)
    return db.session.scalar(stmt) > 0


def user_by_email(email: str) -> User | None:
    return db.session.scalars(
        sa.select(User)
        .where(User.email == email.strip().lower())
        .options(selectinload(User.role_rows))
    ).first()


def has_asn_profile(user_id: int) -> bool:
    return (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(AsnProfile).where(AsnProfile.user_id == user_id)
        )
        > 0
    )


def supervisor_chain(start_id: int, *, limit: int = 200) -> list[int]:
    """The ids from ``start_id`` up its supervisor line (stops at the top, a loop, or ``limit``)."""
    chain, seen, current = [], set(), start_id
    while current is not None and current not in seen and len(chain) < limit:
        chain.append(current)
        seen.add(current)
        current = db.session.scalar(
            sa.select(AsnProfile.supervisor_id).where(AsnProfile.id == current)
        )
    return chain
