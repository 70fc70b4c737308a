"""The feedback loop's tables: learners' ratings of material versions and their problem reports."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import TimestampMixin, UTCDateTime, db, str_enum
from portal.i18n import _l

if TYPE_CHECKING:
    from portal.auth.models import User
    from portal.curricula.models import Material, MaterialVersion


class MaterialRating(TimestampMixin, db.Model):
    """One learner's rating of one material version (editable, one per user and version)."""

    __tablename__ = "material_ratings"
    __table_args__ = (
        sa.UniqueConstraint("version_id", "user_id"),
        sa.CheckConstraint("overall BETWEEN 1 AND 5", name="overall_range"),
        sa.CheckConstraint("relevance BETWEEN 1 AND 5", name="relevance_range"),
        sa.CheckConstraint("clarity BETWEEN 1 AND 5", name="clarity_range"),
        sa.CheckConstraint("difficulty BETWEEN 1 AND 5", name="difficulty_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("material_versions.id", ondelete="CASCADE"), index=True
    )
    material_id: Mapped[int] = mapped_column(
        sa.ForeignKey("curriculum_materials.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    overall: Mapped[int] = mapped_column()
    relevance: Mapped[int] = mapped_column()
    clarity: Mapped[int] = mapped_column()
    difficulty: Mapped[int] = mapped_column()
    comment: Mapped[str | None] = mapped_column(sa.Text)
    show_name: Mapped[bool] = mapped_column(default=False)

    user: Mapped[User] = relationship("User")


class FlagKind(enum.StrEnum):
    TYPO = "typo"
    OUTDATED_REGULATION = "outdated_regulation"
    UNCLEAR = "unclear"
    BROKEN = "broken"

    @property
    def title(self):
        return {
            FlagKind.TYPO: _l("Typo"),
            FlagKind.OUTDATED_REGULATION: _l("Outdated regulation"),
            FlagKind.UNCLEAR: _l("Unclear"),
            FlagKind.BROKEN: _l("Broken file or link"),
        }[self]


class FlagState(enum.StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    FIXED = "fixed"
    DECLINED = "declined"

    @property
    def title(self):
        return {
            FlagState.OPEN: _l("Open"),
            FlagState.IN_PROGRESS: _l("In progress"),
            FlagState.FIXED: _l("Fixed"),
            FlagState.DECLINED: _l("Declined"),
        }[self]


class MaterialFlag(TimestampMixin, db.Model):
    """A problem a learner reports on a material version; the authors work it to a close."""

    __tablename__ = "material_flags"

    id: Mapped[int] = mapped_column(primary_key=True)
    material_id: Mapped[int] = mapped_column(
        sa.ForeignKey("curriculum_materials.id", ondelete="CASCADE"), index=True
    )
    version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("material_versions.id", ondelete="CASCADE")
    )
    reporter_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[FlagKind] = mapped_column(str_enum(FlagKind))
    description: Mapped[str] = mapped_column(sa.Text)
    state: Mapped[FlagState] = mapped_column(
        str_enum(FlagState, 12), default=FlagState.OPEN, index=True
    )
    resolution_note: Mapped[str | None] = mapped_column(sa.Text)
    fixed_version_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("material_versions.id", ondelete="SET NULL")
    )
    handled_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    material: Mapped[Material] = relationship("Material")
    version: Mapped[MaterialVersion] = relationship("MaterialVersion", foreign_keys=[version_id])
    fixed_version: Mapped[MaterialVersion | None] = relationship(
        "MaterialVersion", foreign_keys=[fixed_version_id]
    )
    reporter: Mapped[User | None] = relationship("User", foreign_keys=[reporter_id])
