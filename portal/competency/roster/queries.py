"""Reads of the roster import's result page: the import, its people and their invitations."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from portal.auth.models import User
from portal.auth.queries import manageable_by
from portal.competency.roster.models import RosterImport, RosterImportPerson
from portal.db import db

#: the people listed on the result page (the counts cover them all)
SHOWN_PEOPLE = 100


def roster_import(import_id: int, admin: User) -> RosterImport | None:
    """The import, if the admin may see it (its own, or any for a city-wide admin)."""
    if not 0 < import_id < 2**31:
        return None
    found = db.session.scalars(
        sa.select(RosterImport)
        .where(RosterImport.id == import_id)
        .options(joinedload(RosterImport.actor))
    ).one_or_none()
    return found if found is not None and found.can_view(admin) else None


def people_ids(done: RosterImport, admin: User):
    """SELECT of the import's people the admin may manage (an OPD admin: its OPD's)."""
    return (
        sa.select(User.id)
        .join(RosterImportPerson, RosterImportPerson.user_id == User.id)
        .where(RosterImportPerson.import_id == done.id, manageable_by(admin))
    )


def people(ids, *, limit: int = SHOWN_PEOPLE) -> list[User]:
    """The first accounts by name, with their invitation e-mail."""
    return list(
        db.session.scalars(
            sa.select(User)
            .where(User.id.in_(ids))
            .options(selectinload(User.invitation_email))
            .order_by(User.full_name, User.id)
            .limit(limit)
        )
    )
