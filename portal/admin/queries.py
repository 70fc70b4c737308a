"""Reads for the admin screens, always scoped to what the admin may see."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from portal.audit import AuditEvent
from portal.auth.invitations import InvitationState, state_is
from portal.auth.models import AccountStatus, Role, User, UserRole
from portal.auth.queries import manageable_by
from portal.db import db
from portal.institutions.models import Agency, University
from portal.listing import any_contains, contains

#: The most rows an export holds (the list is filtered first; a bigger one is cut there).
EXPORT_LIMIT = 50_000


def export_rows(stmt) -> list:
    """The rows of a list's statement for its CSV/XLSX export: no pagination, at most
    :data:`EXPORT_LIMIT`, with the eager loading the statement declares."""
    return list(db.session.scalars(stmt.limit(EXPORT_LIMIT)))


def institutions_stmt(model, *, q: str = "", status: str = "", kind: str = ""):
    """Universities or agencies, searchable by name and short name, filtered by status."""
    stmt = sa.select(model).order_by(model.name)
    if q:
        stmt = stmt.where(any_contains(q, model.name, model.short_name))
    if status == "active":
        stmt = stmt.where(model.is_active.is_(True))
    elif status == "inactive":
        stmt = stmt.where(model.is_active.is_(False))
    if kind and model is Agency:
        stmt = stmt.where(Agency.kind == kind)
    return stmt


def institutions(model, *, page=1, per_page=20, **filters):
    """A page of :func:`institutions_stmt`."""
    stmt = institutions_stmt(model, **filters)
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def _active_or(model, include_ids):
    wanted = model.is_active.is_(True)
    if include_ids:
        wanted = sa.or_(wanted, model.id.in_(include_ids))
    return list(db.session.scalars(sa.select(model).where(wanted).order_by(model.name)))


def all_universities(include_ids=()) -> list[University]:
    """Active universities, plus the ones named in ``include_ids`` even if inactive."""
    return _active_or(University, include_ids)


def all_agencies(include_ids=()) -> list[Agency]:
    """Active agencies, plus the ones named in ``include_ids`` even if inactive."""
    return _active_or(Agency, include_ids)


def scope_users(stmt, admin: User):
    """An OPD admin sees only what it may manage: the ASN and mentors of its own OPD
    (the same rule as ``User.can_be_managed_by``)."""
    if admin.is_city_admin:
        return stmt
    return stmt.where(manageable_by(admin))


def users_stmt(admin: User, *, q="", role="", status="", invitation=""):
    """Accounts the admin may manage, with their roles, institutions and invitation e-mail
    loaded up front; ``invitation`` keeps those whose invitation is in that state."""
    stmt = (
        sa.select(User)
        .options(
            selectinload(User.role_rows),
            selectinload(User.university),
            selectinload(User.agency),
            selectinload(User.admin_agency),
            selectinload(User.invitation_email),
        )
        .order_by(User.full_name, User.id)
    )
    stmt = scope_users(stmt, admin)
    if q:
        stmt = stmt.where(any_contains(q, User.full_name, User.email))
    if role in {r.value for r in Role}:
        stmt = stmt.where(User.id.in_(sa.select(UserRole.user_id).where(UserRole.role == role)))
    if status == "inactive":
        stmt = stmt.where(User.is_active_flag.is_(False))
    elif status == "invited":
        stmt = stmt.where(User.password_hash.is_(None), User.is_active_flag.is_(True))
    elif status in {s.value for s in AccountStatus}:
        stmt = stmt.where(
            User.status == status,
            User.is_active_flag.is_(True),
            User.password_hash.is_not(None),
        )
    if invitation in {s.value for s in InvitationState}:
        stmt = stmt.where(state_is(InvitationState(invitation)))
    return stmt


def user_ids(stmt):
    """The ids of a list's statement (for counting and bulk steps over every page)."""
    return stmt.with_only_columns(User.id).order_by(None)


def users(admin: User, *, page=1, per_page=20, **filters):
    """A page of :func:`users_stmt`."""
    return db.paginate(users_stmt(admin, **filters), page=page, per_page=per_page, error_out=False)


def audit_events_stmt(
    admin: User,
    *,
    action="",
    actor="",
    since: datetime | None = None,
    until: datetime | None = None,
):
    """The audit trail, newest first; an OPD admin sees only events about its own OPD's accounts."""
    stmt = (
        sa.select(AuditEvent)
        .options(selectinload(AuditEvent.actor))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )
    if not admin.is_city_admin:
        own = sa.select(User.id).where(User.agency_id == admin.admin_agency_id)
        stmt = stmt.where(
            sa.or_(
                AuditEvent.actor_id.in_(own),
                sa.and_(AuditEvent.target_type == "user", AuditEvent.target_id.in_(own)),
            )
        )
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    if actor:
        stmt = stmt.where(
            AuditEvent.actor_id.in_(sa.select(User.id).where(contains(User.email, actor)))
        )
    if since:
        stmt = stmt.where(AuditEvent.at >= since)
    if until:
        stmt = stmt.where(AuditEvent.at < until)
    return stmt


def audit_events(admin: User, *, page=1, per_page=50, **filters):
    """A page of :func:`audit_events_stmt`."""
    stmt = audit_events_stmt(admin, **filters)
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)
