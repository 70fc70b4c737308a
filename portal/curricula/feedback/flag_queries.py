"""Reads of the flag queues: the flags of the curricula a user handles (filtered by state and
text; the queue's export reads the same statement), the flags a learner reported, one flag with
what its page shows, and the versions that could fix it."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload

from portal.auth.models import Role
from portal.curricula.feedback.models import FlagState, MaterialFlag
from portal.curricula.models import Curriculum, CurriculumAuthor, Material, MaterialVersion, Module
from portal.db import db
from portal.listing import any_contains, page_size


def _handled_by(user):
    """SQL condition: curricula whose flags ``user`` handles (as ``workflow.can_handle_feedback``)."""
    authored = sa.exists().where(
        CurriculumAuthor.curriculum_id == Curriculum.id, CurriculumAuthor.user_id == user.id
    )
    if Role.ADMIN in user.roles:
        if user.admin_agency_id is None:
            return sa.true()
        return sa.or_(authored, Curriculum.agency_id == user.admin_agency_id)
    return authored


def _flag_list(stmt):
    return (
        stmt.join(MaterialFlag.material)
        .join(Material.module)
        .join(Module.curriculum)
        .options(
            contains_eager(MaterialFlag.material)
            .contains_eager(Material.module)
            .contains_eager(Module.curriculum),
            joinedload(MaterialFlag.version),
            joinedload(MaterialFlag.fixed_version),
        )
    )


def _search(stmt, q: str):
    if not q:
        return stmt
    return stmt.where(any_contains(q, MaterialFlag.description, Material.title, Curriculum.title))


def flag_queue_stmt(user, *, state: FlagState | None = None, q: str = ""):
    """The flags of every curriculum ``user`` handles, newest first."""
    stmt = _flag_list(sa.select(MaterialFlag)).where(_handled_by(user))
    if state is not None:
        stmt = stmt.where(MaterialFlag.state == state)
    return _search(stmt, q).order_by(MaterialFlag.created_at.desc(), MaterialFlag.id.desc())


def flag_queue(user, *, state: FlagState | None = None, q: str = "", page: int = 1):
    """A page of :func:`flag_queue_stmt`."""
    stmt = flag_queue_stmt(user, state=state, q=q)
    return db.paginate(stmt, page=page, per_page=page_size(), error_out=False)


def my_flags(user, *, page: int = 1):
    """The flags ``user`` reported, newest first (a page of them)."""
    stmt = (
        _flag_list(sa.select(MaterialFlag))
        .where(MaterialFlag.reporter_id == user.id)
        .order_by(MaterialFlag.created_at.desc(), MaterialFlag.id.desc())
    )
    return db.paginate(stmt, page=page, per_page=page_size(), error_out=False)


def flag(flag_id: int) -> MaterialFlag | None:
    """A flag with its material, module, curriculum (and authors), versions and reporter
    (None: no such flag)."""
    return db.session.scalars(
        sa.select(MaterialFlag)
        .where(MaterialFlag.id == flag_id)
        .options(
            joinedload(MaterialFlag.material)
            .joinedload(Material.module)
            .joinedload(Module.curriculum)
            .selectinload(Curriculum.authors),
            joinedload(MaterialFlag.version),
            joinedload(MaterialFlag.fixed_version),
            joinedload(MaterialFlag.reporter),
        )
    ).first()


def newer_versions(flag: MaterialFlag) -> list[MaterialVersion]:
    """Versions of the flagged material newer than the one flagged, newest first."""
    return list(
        db.session.scalars(
            sa.select(MaterialVersion)
            .where(
                MaterialVersion.material_id == flag.material_id,
                MaterialVersion.number > flag.version.number,
            )
            .order_by(MaterialVersion.number.desc())
        )
    )
