"""Reads of the feedback loop: rating statistics, comments and open flags per material, the
authors' summary and the ratings export. The flag queues are in
:mod:`~portal.curricula.feedback.flag_queries`.

Every function runs a fixed number of queries whatever the number of materials and ratings
(QUALITY.md P4). Ratings stay anonymous unless the learner chose to show their name: the learner's
name is only ever selected through ``CASE WHEN show_name``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from portal.auth.models import User
from portal.curricula.feedback.models import FlagState, MaterialFlag, MaterialRating
from portal.curricula.models import Curriculum, Material, MaterialVersion, Module
from portal.db import db

UNRESOLVED = (FlagState.OPEN, FlagState.IN_PROGRESS)
COMMENTS_PER_MATERIAL = 20


@dataclass(frozen=True)
class Thresholds:
    min_for_average: int = 3
    min_for_flag: int = 5
    improvement_below: float = 3.0


def thresholds() -> Thresholds:
    """The feedback thresholds from the configuration (defaults: 3 ratings, 5 ratings, 3.0)."""
    cfg = current_app.config
    return Thresholds(
        min_for_average=int(cfg.get("FEEDBACK_MIN_RATINGS_FOR_AVERAGE", 3)),
        min_for_flag=int(cfg.get("FEEDBACK_MIN_RATINGS_FOR_FLAG", 5)),
        improvement_below=float(cfg.get("FEEDBACK_IMPROVEMENT_THRESHOLD", 3.0)),
    )


@dataclass(frozen=True)
class MaterialStats:
    """Ratings of a material's current version (or of several materials, combined).

    Averages and the distribution are None below ``min_for_average`` ratings: with one or two
    ratings they would give away what a learner rated.
    """

    count: int = 0
    sums: tuple[int, int, int, int] = (0, 0, 0, 0)  # overall, relevance, clarity, difficulty
    distribution: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0)  # overall = 1 … 5
    open_flags: int = 0
    limits: Thresholds = field(default_factory=Thresholds)

    @property
    def has_average(self) -> bool:
        return self.count >= self.limits.min_for_average

    def _mean(self, index: int) -> float | None:
        return round(self.sums[index] / self.count, 1) if self.has_average else None

    @property
    def average(self) -> float | None:
        return self._mean(0)

    @property
    def relevance(self) -> float | None:
        return self._mean(1)

    @property
    def clarity(self) -> float | None:
        return self._mean(2)

    @property
    def difficulty(self) -> float | None:
        return self._mean(3)

    @property
    def needs_improvement(self) -> bool:
        """Averaging below the threshold (3.0) over at least ``min_for_flag`` (5) ratings."""
        return (
            self.count >= self.limits.min_for_flag
            and self.sums[0] / self.count < self.limits.improvement_below
        )

    @property
    def distribution_rows(self) -> list[tuple[int, int, int]]:
        """(score, ratings, percent) from 5 down to 1; empty below ``min_for_average``."""
        if not self.has_average:
            return []
        return [
            (score, n, round(n * 100 / self.count))
            for score, n in reversed(list(enumerate(self.distribution, start=1)))
        ]

    @classmethod
    def combine(cls, parts, limits: Thresholds | None = None) -> MaterialStats:
        parts = list(parts)
        return cls(
            count=sum(p.count for p in parts),
            sums=tuple(sum(p.sums[i] for p in parts) for i in range(4)),
            distribution=tuple(sum(p.distribution[i] for p in parts) for i in range(5)),
            open_flags=sum(p.open_flags for p in parts),
            limits=limits or (parts[0].limits if parts else Thresholds()),
        )


def material_stats(material_ids) -> dict[int, MaterialStats]:
    """Statistics over each material's CURRENT version, and its unresolved flags, in one query.

    Every id asked for that exists gets an entry (zero ratings included).
    """
    ids = sorted({int(i) for i in material_ids})
    if not ids:
        return {}
    m, v, r = Material, MaterialVersion, MaterialRating
    open_flags = (
        sa.select(sa.func.count(MaterialFlag.id))
        .where(MaterialFlag.material_id == m.id, MaterialFlag.state.in_(UNRESOLVED))
        .correlate(m)
        .scalar_subquery()
    )
    columns = [sa.func.count(r.id)]
    columns += [
        sa.func.coalesce(sa.func.sum(c), 0)
        for c in (r.overall, r.relevance, r.clarity, r.difficulty)
    ]
    columns += [
        sa.func.coalesce(sa.func.sum(sa.case((r.overall == k, 1), else_=0)), 0) for k in range(1, 6)
    ]
    stmt = (
        sa.select(m.id, *columns, open_flags)
        .select_from(m)
        .outerjoin(v, sa.and_(v.material_id == m.id, v.number == m.version_count))
        .outerjoin(r, r.version_id == v.id)
        .where(m.id.in_(ids))
        .group_by(m.id)
    )
    limits = thresholds()
    result = {}
    for row in db.session.execute(stmt):
        values = [int(x or 0) for x in row[1:]]
        result[row[0]] = MaterialStats(
            count=values[0],
            sums=tuple(values[1:5]),
            distribution=tuple(values[5:10]),
            open_flags=values[10],
            limits=limits,
        )
    return result


@dataclass(frozen=True)
class Comment:
    material_id: int
    version_number: int
    overall: int
    text: str
    learner: str | None  # None: anonymous (the learner did not choose to show their name)
    at: datetime


def comments_for(material_ids, per_material: int = COMMENTS_PER_MATERIAL) -> dict[int, list]:
    """The newest comments on each material's current version (one query), anonymous unless
    the learner chose ``show_name``."""
    ids = sorted({int(i) for i in material_ids})
    if not ids:
        return {}
    m, v, r = Material, MaterialVersion, MaterialRating
    rank = sa.func.row_number().over(
        partition_by=r.material_id, order_by=(r.updated_at.desc(), r.id.desc())
    )
    inner = (
        sa.select(
            r.material_id,
            v.number.label("number"),
            r.overall,
            r.comment,
            sa.case((r.show_name.is_(True), User.full_name), else_=sa.null()).label("learner"),
            r.updated_at,
            rank.label("rank"),
        )
        .join(v, v.id == r.version_id)
        .join(m, sa.and_(m.id == r.material_id, m.version_count == v.number))
        .join(User, User.id == r.user_id)
        .where(r.material_id.in_(ids), r.comment.is_not(None), r.comment != "")
        .subquery()
    )
    rows = db.session.execute(
        sa.select(inner).where(inner.c.rank <= per_material).order_by(inner.c.rank)
    )
    found: dict[int, list] = {i: [] for i in ids}
    for row in rows:
        found[row.material_id].append(
            Comment(
                row.material_id, row.number, row.overall, row.comment, row.learner, row.updated_at
            )
        )
    return found


def open_flags_for(material_ids) -> dict[int, list[MaterialFlag]]:
    """Unresolved flags of these materials (one query), oldest first, with the version."""
    ids = sorted({int(i) for i in material_ids})
    found: dict[int, list] = {i: [] for i in ids}
    if not ids:
        return found
    flags = db.session.scalars(
        sa.select(MaterialFlag)
        .where(MaterialFlag.material_id.in_(ids), MaterialFlag.state.in_(UNRESOLVED))
        .options(joinedload(MaterialFlag.version))
        .order_by(MaterialFlag.created_at, MaterialFlag.id)
    )
    for flag in flags:
        found[flag.material_id].append(flag)
    return found


@dataclass
class MaterialFeedback:
    material: Material
    stats: MaterialStats
    comments: list[Comment]
    flags: list[MaterialFlag]


@dataclass
class CurriculumFeedback:
    curriculum: Curriculum
    materials: list[MaterialFeedback]
    total: MaterialStats

    @property
    def needs_improvement(self) -> list[MaterialFeedback]:
        return [m for m in self.materials if m.stats.needs_improvement]


def curriculum(curriculum_id: int) -> Curriculum | None:
    """A curriculum with its authors (what the workflow predicates need); None: none such."""
    return db.session.scalars(
        sa.select(Curriculum)
        .where(Curriculum.id == curriculum_id)
        .options(selectinload(Curriculum.authors))
    ).first()


def curriculum_feedback(curriculum: Curriculum) -> CurriculumFeedback:
    """Per material and for the whole curriculum: average, distribution, count, comments and
    unresolved flags (five queries whatever the number of materials and ratings)."""
    materials = list(
        db.session.scalars(
            sa.select(Material)
            .join(Material.module)
            .where(Module.curriculum_id == curriculum.id)
            .options(contains_eager(Material.module), joinedload(Material.current_version))
            .order_by(Module.position, Material.position, Material.id)
        ).unique()
    )
    ids = [m.id for m in materials]
    stats = material_stats(ids)
    comments = comments_for(ids)
    flags = open_flags_for(ids)
    limits = thresholds()
    rows = [
        MaterialFeedback(
            m, stats.get(m.id, MaterialStats(limits=limits)), comments[m.id], flags[m.id]
        )
        for m in materials
    ]
    return CurriculumFeedback(
        curriculum, rows, MaterialStats.combine([r.stats for r in rows], limits)
    )


def export_rows(curriculum: Curriculum) -> list:
    """Every rating of the curriculum's materials (all versions), for the CSV/XLSX export; the
    learner's name only where they chose to show it (None otherwise)."""
    m, v, r = Material, MaterialVersion, MaterialRating
    return list(
        db.session.execute(
            sa.select(
                Module.position.label("module_position"),
                Module.title.label("module"),
                m.title.label("material"),
                v.number.label("version"),
                r.updated_at,
                r.overall,
                r.relevance,
                r.clarity,
                r.difficulty,
                r.comment,
                sa.case((r.show_name.is_(True), User.full_name), else_=sa.null()).label("learner"),
            )
            .select_from(r)
            .join(v, v.id == r.version_id)
            .join(m, m.id == r.material_id)
            .join(Module, Module.id == m.module_id)
            .join(User, User.id == r.user_id)
            .where(Module.curriculum_id == curriculum.id)
            .order_by(Module.position, m.position, m.id, v.number, r.id)
        )
    )
