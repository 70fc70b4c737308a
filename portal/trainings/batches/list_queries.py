"""The batch list and its export: the batches a user may see (public states, the batches they
manage, facilitate or registered for), filtered by title, state and OPD, newest first."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from portal.auth.models import Role
from portal.curricula.models import AuthorSide, Curriculum, CurriculumAuthor
from portal.db import db
from portal.institutions.models import Agency
from portal.listing import contains
from portal.trainings.batches.queries import EXPORT_LIMIT
from portal.trainings.models import (
    BatchState,
    Registration,
    TrainingBatch,
    batch_facilitators,
    is_city_admin,
)

#: Batch states every signed-in user may see.
PUBLIC_STATES = (BatchState.OPEN, BatchState.CLOSED, BatchState.COMPLETED)


def _managed_condition(user):
    """Batches ``user`` manages: every one for a city admin, the partner OPD's for an OPD admin,
    the curriculum's for its agency co-author."""
    if is_city_admin(user):
        return sa.true()
    coauthor = sa.select(CurriculumAuthor.curriculum_id).where(
        CurriculumAuthor.user_id == user.id, CurriculumAuthor.side == AuthorSide.AGENCY
    )
    condition = TrainingBatch.curriculum_id.in_(coauthor)
    if Role.ADMIN in user.roles and user.admin_agency_id is not None:
        own = sa.select(Curriculum.id).where(Curriculum.agency_id == user.admin_agency_id)
        condition = condition | TrainingBatch.curriculum_id.in_(own)
    return condition


def _visible_condition(user):
    facilitated = sa.select(batch_facilitators.c.batch_id).where(
        batch_facilitators.c.user_id == user.id
    )
    registered = sa.select(Registration.batch_id).where(Registration.user_id == user.id)
    return (
        TrainingBatch.state.in_(PUBLIC_STATES)
        | _managed_condition(user)
        | TrainingBatch.id.in_(facilitated)
        | TrainingBatch.id.in_(registered)
    )


def batch_list_stmt(user, *, q: str = "", state: str = "", agency_id: int | None = None):
    """Batches ``user`` may see, newest first; ``agency_id``: open to that OPD (no OPD target or
    that one among them). The list page's and its export's statement."""
    stmt = sa.select(TrainingBatch).where(_visible_condition(user))
    if q:
        stmt = stmt.where(contains(TrainingBatch.title, q))
    if state in {s.value for s in BatchState}:
        stmt = stmt.where(TrainingBatch.state == state)
    if agency_id is not None:
        stmt = stmt.where(
            ~TrainingBatch.target_agencies.any()
            | TrainingBatch.target_agencies.any(Agency.id == agency_id)
        )
    stmt = stmt.options(
        joinedload(TrainingBatch.curriculum),
        selectinload(TrainingBatch.sessions),
        selectinload(TrainingBatch.target_agencies),
        selectinload(TrainingBatch.target_positions),
    ).order_by(TrainingBatch.id.desc())
    return stmt


def batch_list(user, *, page: int = 1, per_page: int = 20, **filters):
    """A page of :func:`batch_list_stmt`."""
    return db.paginate(
        batch_list_stmt(user, **filters), page=page, per_page=per_page, error_out=False
    )


def batch_list_export(user, *, limit: int = EXPORT_LIMIT, **filters) -> list[TrainingBatch]:
    """Every batch of the list (same scope and filters), for the CSV/XLSX export."""
    return list(db.session.scalars(batch_list_stmt(user, **filters).limit(limit)).unique())
