"""A university's credit scheme for internships (DOMAIN.md §5.1: "Do not hard-code 20 SKS";
Permendikbudristek 53/2023 lets *magang* fill the study load, each university converting it by
its own rule), the courses (*mata kuliah*) a placement converts into, and its letter-grade scale.

One scheme per university. A university without one keeps the portal's older rule (the planned
SKS times the hours per SKS of ``portal.internships.settings``).
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import TimestampMixin, TitledEnum, db, str_enum
from portal.i18n import _l

#: Permendikbud 3/2020: up to 2 semesters (≈ 40 SKS) outside the study programme.
SKS_MAX = 40
WEEKS_MAX = 52
HOURS_PER_SKS_MAX = 200
CODE_MAX, NAME_MAX, PKS_MAX, LETTER_MAX = 20, 200, 100, 3
POINTS_MAX = 4.0
MAX_COURSES, MAX_BANDS = 12, 12


class CreditKind(TitledEnum):
    SEMESTER = "semester", _l("Semester placement: at least N weeks earn M SKS")
    HOURS = "hours", _l("Hours per SKS: every H approved hours earn 1 SKS, up to M")


class CreditScheme(TimestampMixin, db.Model):
    """How one university turns a placement into SKS, under which PKS."""

    __tablename__ = "internship_credit_schemes"
    __table_args__ = (
        sa.CheckConstraint(f"sks >= 1 AND sks <= {SKS_MAX}", name="sks_range"),
        sa.CheckConstraint(
            f"min_weeks IS NULL OR (min_weeks >= 1 AND min_weeks <= {WEEKS_MAX})",
            name="weeks_range",
        ),
        sa.CheckConstraint(
            f"hours_per_sks IS NULL OR (hours_per_sks >= 1 AND hours_per_sks <= {HOURS_PER_SKS_MAX})",
            name="hours_range",
        ),
        sa.CheckConstraint(
            "(kind = 'semester' AND min_weeks IS NOT NULL) "
            "OR (kind = 'hours' AND hours_per_sks IS NOT NULL)",
            name="kind_figures",
        ),
        sa.CheckConstraint(
            "pks_signed_on IS NULL OR pks_valid_until IS NULL OR pks_valid_until >= pks_signed_on",
            name="pks_dates",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    university_id: Mapped[int] = mapped_column(
        sa.ForeignKey("universities.id", ondelete="CASCADE"), unique=True
    )
    kind: Mapped[CreditKind] = mapped_column(str_enum(CreditKind, 10))
    #: semester: the SKS a placement of ``min_weeks`` earns; hours: the most it can earn
    sks: Mapped[int] = mapped_column()
    min_weeks: Mapped[int | None] = mapped_column()
    hours_per_sks: Mapped[int | None] = mapped_column()
    pks_number: Mapped[str] = mapped_column(sa.String(PKS_MAX), default="")
    pks_signed_on: Mapped[date | None] = mapped_column(sa.Date)
    pks_valid_until: Mapped[date | None] = mapped_column(sa.Date)
    updated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    courses: Mapped[list[CreditCourse]] = relationship(
        back_populates="scheme", cascade="all, delete-orphan", order_by="CreditCourse.position"
    )
    bands: Mapped[list[GradeBand]] = relationship(
        back_populates="scheme", cascade="all, delete-orphan", order_by="GradeBand.min_score.desc()"
    )

    @property
    def courses_sks(self) -> int:
        return sum(c.sks for c in self.courses)

    def pks_valid_on(self, day: date) -> bool:
        """Whether the PKS covers ``day`` (an open end or start counts as covering)."""
        return (self.pks_signed_on is None or self.pks_signed_on <= day) and (
            self.pks_valid_until is None or day <= self.pks_valid_until
        )

    def __repr__(self) -> str:
        return f"<CreditScheme {self.university_id} {self.kind}>"


class CreditCourse(db.Model):
    """A course (*mata kuliah*) the placement converts into, with its SKS."""

    __tablename__ = "internship_credit_courses"
    __table_args__ = (
        sa.UniqueConstraint("scheme_id", "code"),
        sa.CheckConstraint(f"sks >= 1 AND sks <= {SKS_MAX}", name="sks_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_id: Mapped[int] = mapped_column(
        sa.ForeignKey("internship_credit_schemes.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column()
    code: Mapped[str] = mapped_column(sa.String(CODE_MAX))
    name: Mapped[str] = mapped_column(sa.String(NAME_MAX))
    sks: Mapped[int] = mapped_column()

    scheme: Mapped[CreditScheme] = relationship(back_populates="courses")


class GradeBand(db.Model):
    """One row of the letter-grade scale: a final score of at least ``min_score`` is ``letter``."""

    __tablename__ = "internship_grade_bands"
    __table_args__ = (
        sa.UniqueConstraint("scheme_id", "letter"),
        sa.CheckConstraint("min_score >= 0 AND min_score <= 100", name="score_range"),
        sa.CheckConstraint(
            f"points IS NULL OR (points >= 0 AND points <= {POINTS_MAX})", name="points_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_id: Mapped[int] = mapped_column(
        sa.ForeignKey("internship_credit_schemes.id", ondelete="CASCADE"), index=True
    )
    min_score: Mapped[int] = mapped_column()
    letter: Mapped[str] = mapped_column(sa.String(LETTER_MAX))
    points: Mapped[float | None] = mapped_column(sa.Float)

    scheme: Mapped[CreditScheme] = relationship(back_populates="bands")
