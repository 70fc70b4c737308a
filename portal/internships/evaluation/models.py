"""Evaluation of a placement (DOMAIN.md §5.3): the university's rubric, the mentor's scores, the
DPL's academic score, the final grade, and the student's feedback on the placement and mentor.

Weights are each university's decision: a rubric holds its criteria (weights summing to 100)
and the split between the mentor's part and the academic part. A university without a rubric
uses ``DEFAULT_CRITERIA`` (the field-supervisor items of §5.3) and a 60/40 split. The mentor's
scores keep a copy of the criteria they were given, so a later rubric change never alters a
grade already given.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import TimestampMixin, UTCDateTime, db
from portal.i18n import _l

if TYPE_CHECKING:
    from portal.auth.models import User
    from portal.internships.models import Placement


#: The default criteria: (key, title, weight); weights sum to 100.
DEFAULT_CRITERIA = (
    ("attendance", _l("Attendance and discipline"), 15),
    ("attitude", _l("Attitude and personality"), 15),
    ("teamwork", _l("Teamwork and communication"), 15),
    ("mastery", _l("Knowledge and technical skills"), 20),
    ("initiative", _l("Initiative and creativity"), 10),
    ("timeliness", _l("Timely completion of tasks"), 10),
    ("results", _l("Quality of the work"), 15),
)
DEFAULT_TITLES = {key: title for key, title, _weight in DEFAULT_CRITERIA}
DEFAULT_MENTOR_WEIGHT = 60
SCORE_MIN, SCORE_MAX = 0, 100
RATING_MIN, RATING_MAX = 1, 5


@dataclass(frozen=True)
class Criterion:
    """One criterion as a page shows it: a default one (``key``) or a university's own."""

    key: str | None
    name: str
    weight: int

    @property
    def title(self):
        return DEFAULT_TITLES.get(self.key, self.name) if self.key else self.name

    @property
    def ident(self) -> str:
        return self.key or self.name.casefold()


@dataclass(frozen=True)
class RubricView:
    """The rubric in force for a university (its own, or the default)."""

    criteria: tuple[Criterion, ...]
    mentor_weight: int
    is_default: bool

    @property
    def academic_weight(self) -> int:
        return 100 - self.mentor_weight


def default_rubric() -> RubricView:
    return RubricView(
        criteria=tuple(Criterion(key, str(key), weight) for key, _t, weight in DEFAULT_CRITERIA),
        mentor_weight=DEFAULT_MENTOR_WEIGHT,
        is_default=True,
    )


def weighted_total(scores: list[tuple[int, int]]) -> float:
    """Σ score × weight ÷ 100 for (score, weight) pairs whose weights sum to 100 (2 decimals)."""
    return round(sum(score * weight for score, weight in scores) / 100, 2)


def final_grade(mentor_total: float, academic: float, mentor_weight: int) -> float:
    """The final grade: the mentor's part and the academic part, weighted (2 decimals)."""
    return round((mentor_total * mentor_weight + academic * (100 - mentor_weight)) / 100, 2)


class Rubric(TimestampMixin, db.Model):
    """A university's rubric: the mentor's criteria and the mentor/academic split."""

    __tablename__ = "internship_rubrics"
    __table_args__ = (
        sa.CheckConstraint("mentor_weight >= 0 AND mentor_weight <= 100", name="weight_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    university_id: Mapped[int] = mapped_column(
        sa.ForeignKey("universities.id", ondelete="CASCADE"), unique=True
    )
    mentor_weight: Mapped[int] = mapped_column(default=DEFAULT_MENTOR_WEIGHT)
    updated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    criteria: Mapped[list[RubricCriterion]] = relationship(
        back_populates="rubric",
        cascade="all, delete-orphan",
        order_by="RubricCriterion.position",
    )

    def view(self) -> RubricView:
        return RubricView(
            criteria=tuple(Criterion(None, c.name, c.weight) for c in self.criteria),
            mentor_weight=self.mentor_weight,
            is_default=False,
        )


class RubricCriterion(db.Model):
    __tablename__ = "internship_rubric_criteria"
    __table_args__ = (
        sa.UniqueConstraint("rubric_id", "position"),
        sa.CheckConstraint("weight >= 1 AND weight <= 100", name="weight_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rubric_id: Mapped[int] = mapped_column(
        sa.ForeignKey("internship_rubrics.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column()
    name: Mapped[str] = mapped_column(sa.String(120))
    weight: Mapped[int] = mapped_column()

    rubric: Mapped[Rubric] = relationship(back_populates="criteria")


class MentorEvaluation(TimestampMixin, db.Model):
    """The mentor's scores (0–100 per criterion) with a copy of the criteria, and the total."""

    __tablename__ = "internship_mentor_evaluations"
    __table_args__ = (sa.CheckConstraint("total >= 0 AND total <= 100", name="total_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("internship_placements.id", ondelete="CASCADE"), unique=True
    )
    mentor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    #: [{"key": "attendance" | None, "name": str, "weight": int, "score": int}, …]
    scores: Mapped[list] = mapped_column(sa.JSON, default=list)
    total: Mapped[float] = mapped_column(sa.Float)
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())

    def criteria_scores(self) -> list[tuple[Criterion, int]]:
        return [
            (Criterion(row.get("key"), row.get("name", ""), int(row["weight"])), int(row["score"]))
            for row in self.scores or []
        ]


class AcademicScore(TimestampMixin, db.Model):
    """The DPL's academic score (0–100) for the placement."""

    __tablename__ = "internship_academic_scores"
    __table_args__ = (sa.CheckConstraint("score >= 0 AND score <= 100", name="score_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("internship_placements.id", ondelete="CASCADE"), unique=True
    )
    supervisor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    score: Mapped[int] = mapped_column()
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())


class FinalGrade(db.Model):
    """The final grade, computed once both parts exist and the placement is completed."""

    __tablename__ = "internship_final_grades"
    __table_args__ = (
        sa.CheckConstraint("grade >= 0 AND grade <= 100", name="grade_range"),
        sa.CheckConstraint("mentor_weight >= 0 AND mentor_weight <= 100", name="weight_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("internship_placements.id", ondelete="CASCADE"), unique=True
    )
    mentor_total: Mapped[float] = mapped_column(sa.Float)
    academic_score: Mapped[float] = mapped_column(sa.Float)
    mentor_weight: Mapped[int] = mapped_column()
    grade: Mapped[float] = mapped_column(sa.Float)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime())

    @property
    def academic_weight(self) -> int:
        return 100 - self.mentor_weight


class StudentFeedback(TimestampMixin, db.Model):
    """The student's ratings (1–5) of the placement and of the mentor, given once and final."""

    __tablename__ = "internship_student_feedback"
    __table_args__ = (
        sa.CheckConstraint("placement_rating BETWEEN 1 AND 5", name="placement_rating_range"),
        sa.CheckConstraint("mentor_rating BETWEEN 1 AND 5", name="mentor_rating_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("internship_placements.id", ondelete="CASCADE"), unique=True
    )
    student_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    mentor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    placement_rating: Mapped[int] = mapped_column()
    mentor_rating: Mapped[int] = mapped_column()
    comment: Mapped[str] = mapped_column(sa.Text, default="")

    placement: Mapped[Placement] = relationship("Placement")
    student: Mapped[User | None] = relationship("User", foreign_keys=[student_id])
    mentor: Mapped[User | None] = relationship("User", foreign_keys=[mentor_id])
