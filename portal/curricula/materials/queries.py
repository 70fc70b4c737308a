"""Reads behind the material pages: each loads what the page shows, in a fixed number of queries.

Every loader brings the curriculum with its ``authors``, which the ``workflow`` predicates need.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from portal.curricula.feedback.models import MaterialRating
from portal.curricula.models import Curriculum, CurriculumState, Material, MaterialVersion, Module
from portal.curricula.proposals import workflow
from portal.db import db


def module(module_id: int) -> Module | None:
    """A module with its curriculum and the curriculum's authors (None: no such module)."""
    return db.session.scalars(
        sa.select(Module)
        .where(Module.id == module_id)
        .options(joinedload(Module.curriculum).selectinload(Curriculum.authors))
    ).first()


def material(material_id: int) -> Material | None:
    """A material with its module, curriculum (and authors), current version and its file
    (None: no such material)."""
    return db.session.scalars(
        sa.select(Material)
        .where(Material.id == material_id)
        .options(
            joinedload(Material.module)
            .joinedload(Module.curriculum)
            .selectinload(Curriculum.authors),
            joinedload(Material.current_version).joinedload(MaterialVersion.file),
        )
    ).first()


def version(version_id: int) -> MaterialVersion | None:
    """A version with its file, its material, module, curriculum and the curriculum's authors
    (None: no such version)."""
    return db.session.scalars(
        sa.select(MaterialVersion)
        .where(MaterialVersion.id == version_id)
        .options(
            joinedload(MaterialVersion.file),
            joinedload(MaterialVersion.material)
            .joinedload(Material.module)
            .joinedload(Module.curriculum)
            .selectinload(Curriculum.authors),
        )
    ).first()


def versions(material_id: int) -> list[MaterialVersion]:
    """Every version of a material, newest first, with its file."""
    return list(
        db.session.scalars(
            sa.select(MaterialVersion)
            .where(MaterialVersion.material_id == material_id)
            .options(joinedload(MaterialVersion.file))
            .order_by(MaterialVersion.number.desc())
        )
    )


def own_rating(version_id: int, user_id: int) -> MaterialRating | None:
    """The learner's rating of one version (pre-fills the rating form)."""
    return db.session.scalar(
        sa.select(MaterialRating).where(
            MaterialRating.version_id == version_id, MaterialRating.user_id == user_id
        )
    )


def is_visible(curriculum: Curriculum, user) -> bool:
    """Whether ``user`` may know the curriculum's materials exist: anyone for a published one,
    signed-in users for an archived one, otherwise those who may see the proposal."""
    if curriculum.state == CurriculumState.PUBLISHED:
        return True
    if curriculum.state in workflow.RELEASED and getattr(user, "is_authenticated", False):
        return True
    return workflow.can_view_proposal(curriculum, user)


def can_see_old_versions(curriculum: Curriculum, user) -> bool:
    """Authors and reviewers open every version; learners only the current one."""
    return workflow.can_view_proposal(curriculum, user)
