"""Reads behind the public catalogue: published curricula only, in a fixed number of queries.

Nothing here looks at the visitor: the catalogue is the same for everyone, and a curriculum that
is not published does not exist for it (drafts live on the proposal pages, behind sign-in).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from portal.competency.models import Competency, CompetencyVersion
from portal.curricula.models import (
    Audience,
    Curriculum,
    CurriculumState,
    CurriculumTarget,
    DeliveryMode,
    Module,
)
from portal.db import db
from portal.institutions.models import University
from portal.listing import any_contains


@dataclass(frozen=True)
class CatalogueFilters:
    """What a visitor searched for; every field optional (empty or None = no filter)."""

    q: str = ""
    competency: int | None = None
    audience: str = ""
    mode: str = ""
    university: int | None = None

    @property
    def audience_enum(self) -> Audience | None:
        return Audience(self.audience) if self.audience in set(Audience) else None

    @property
    def mode_enum(self) -> DeliveryMode | None:
        return DeliveryMode(self.mode) if self.mode in set(DeliveryMode) else None


#: Target competencies with their current names, in one query.
_TARGETS = (
    selectinload(Curriculum.targets)
    .joinedload(CurriculumTarget.competency)
    .joinedload(Competency.current_version)
)


def _published():
    return sa.select(Curriculum).where(Curriculum.state == CurriculumState.PUBLISHED)


def _audiences(audience: Audience) -> tuple[Audience, ...]:
    """A curriculum for "ASN and students" is also one for ASN, and one for students."""
    if audience == Audience.BOTH:
        return (Audience.BOTH,)
    return (audience, Audience.BOTH)


def catalogue_statement(filters: CatalogueFilters):
    """The published curricula matching ``filters``, newest first (a statement to paginate)."""
    stmt = _published()
    if filters.q:
        stmt = stmt.where(
            any_contains(
                filters.q, Curriculum.title, Curriculum.summary, Curriculum.learning_outcomes
            )
        )
    if filters.competency:
        stmt = stmt.where(
            sa.exists().where(
                CurriculumTarget.curriculum_id == Curriculum.id,
                CurriculumTarget.competency_id == filters.competency,
            )
        )
    if (audience := filters.audience_enum) is not None:
        stmt = stmt.where(Curriculum.audience.in_(_audiences(audience)))
    if (mode := filters.mode_enum) is not None:
        stmt = stmt.where(Curriculum.mode == mode)
    if filters.university:
        stmt = stmt.where(Curriculum.university_id == filters.university)
    return stmt.options(
        joinedload(Curriculum.university),
        joinedload(Curriculum.agency),
        selectinload(Curriculum.modules),
        _TARGETS,
    ).order_by(Curriculum.published_at.desc().nulls_last(), Curriculum.id.desc())


def catalogue_page(filters: CatalogueFilters, page: int, per_page: int):
    """One page of the catalogue (Flask-SQLAlchemy pagination): count + rows + modules + targets."""
    return db.paginate(catalogue_statement(filters), page=page, per_page=per_page, error_out=False)


def filter_options() -> dict[str, list[tuple[str, str]]]:
    """Choices of the competency and university filters: only those some published curriculum
    has (two queries), sorted by name. Audience and mode are the enums."""
    published = Curriculum.state == CurriculumState.PUBLISHED
    competencies = db.session.execute(
        sa.select(Competency.id, CompetencyVersion.name)
        .join(CompetencyVersion, CompetencyVersion.id == Competency.current_version_id)
        .where(
            sa.exists().where(
                CurriculumTarget.competency_id == Competency.id,
                CurriculumTarget.curriculum_id == Curriculum.id,
                published,
            )
        )
        .order_by(CompetencyVersion.name)
    ).all()
    universities = db.session.execute(
        sa.select(University.id, University.name)
        .where(sa.exists().where(Curriculum.university_id == University.id, published))
        .order_by(University.name)
    ).all()
    return {
        "competency": [(str(row.id), row.name) for row in competencies],
        "university": [(str(row.id), row.name) for row in universities],
        "audience": [(a.value, a.title) for a in Audience],
        "mode": [(m.value, m.title) for m in DeliveryMode],
    }


def published_or_none(curriculum_id: int) -> Curriculum | None:
    """A published curriculum with everything its public page shows (four queries), or None
    when it does not exist or is not published (drafts, proposals in review, archived)."""
    return db.session.scalars(
        _published()
        .where(Curriculum.id == curriculum_id)
        .options(
            joinedload(Curriculum.university),
            joinedload(Curriculum.agency),
            _TARGETS,
            selectinload(Curriculum.modules).selectinload(Module.materials),
        )
    ).first()


def material_ids(curriculum: Curriculum) -> list[int]:
    """The ids of the curriculum's materials, in page order (already loaded: no query)."""
    return [material.id for module in curriculum.modules for material in module.materials]
