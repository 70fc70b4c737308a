"""The feedback loop's tables: learners' ratings of material versions and their problem reports."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import TimestampMixin, TitledEnum, UTCDateTime, db, str_enum
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


class FlagKind(TitledEnum):
    TYPO = "typo", _l("Typo")
    OUTDATED_REGULATION = "outdated_regulation", _l("Outdated regulation")
    UNCLEAR = "unclear", _l("Unclear")
    BROKEN = "broken", _l("Broken file or link")


class FlagState(TitledEnum):
    OPEN = "open", _l("Open")
    IN_PROGRESS = "in_progress", _l("In progress")
    FIXED = "fixed", _l("Fixed")
    DECLINED = "declined", _l("Declined")


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
