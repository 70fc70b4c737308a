"""ASN records: reads, scoped to what the admin may see (another OPD's object is None: "not
found")."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from portal.auth.models import User
from portal.auth.queries import manageable_by
from portal.competency import scope
from portal.competency.models import (
    AsnProfile,
    AsnStatus,
)
from portal.competency.nip import normalise_nip
from portal.db import db
from portal.listing import contains


def _scope_asn(stmt, admin: User):
    if admin.is_city_admin:
        return stmt
    return stmt.where(AsnProfile.agency_id == admin.admin_agency_id)


_ASN_LOADS = (
    joinedload(AsnProfile.user).selectinload(User.invitation_email),
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


def asn_user_ids(admin: User, **filters):
    """SELECT of the accounts of the filtered ASN records that the admin may manage (for the
    invitations sent together from the list)."""
    stmt = asn_records_stmt(admin, **filters).where(manageable_by(admin))
    return stmt.with_only_columns(AsnProfile.user_id).order_by(None)


def asn_records(admin: User, *, page=1, per_page=20, **filters):
    """A page of :func:`asn_records_stmt`."""
    stmt = asn_records_stmt(admin, **filters)
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def asn_in_scope(admin: User, asn_id: int) -> AsnProfile | None:
    """One ASN record with user, position and supervisor; None when there is none such, or it
    is another OPD's for an OPD admin."""
    if not scope.in_range(asn_id):
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
