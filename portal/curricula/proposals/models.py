"""The history of a proposal: frozen versions taken at each submission, the workflow's events,
and the review threads (comments on the proposal or one module, their replies, resolved or open)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.curricula.models import CurriculumState
from portal.db import TitledEnum, UTCDateTime, db, str_enum, utcnow
from portal.i18n import _l

if TYPE_CHECKING:
    from portal.auth.models import User
    from portal.curricula.models import Module


class CurriculumVersion(db.Model):
    """A frozen copy of the proposal taken at each submission; never changed afterwards."""

    __tablename__ = "curriculum_versions"
    __table_args__ = (sa.UniqueConstraint("curriculum_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    curriculum_id: Mapped[int] = mapped_column(
        sa.ForeignKey("curricula.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column()
    snapshot: Mapped[dict] = mapped_column(sa.JSON)
    frozen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    frozen_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    frozen_by: Mapped[User | None] = relationship("User")


class CurriculumEvent(db.Model):
    """Who moved the proposal, when, from which state to which, and the note."""

    __tablename__ = "curriculum_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    curriculum_id: Mapped[int] = mapped_column(
        sa.ForeignKey("curricula.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(sa.String(30))
    from_state: Mapped[CurriculumState] = mapped_column(str_enum(CurriculumState))
    to_state: Mapped[CurriculumState] = mapped_column(str_enum(CurriculumState))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    note: Mapped[str | None] = mapped_column(sa.Text)

    actor: Mapped[User | None] = relationship("User")


class ThreadState(TitledEnum):
    """A review thread is open until someone taking part in the review resolves it (stored as
    ``ReviewComment.is_resolved``)."""

    OPEN = "open", _l("open")
    RESOLVED = "resolved", _l("resolved")


class ReviewComment(db.Model):
    """A review comment on the whole proposal or one module; replies hang off a thread root."""

    __tablename__ = "review_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    curriculum_id: Mapped[int] = mapped_column(
        sa.ForeignKey("curricula.id", ondelete="CASCADE"), index=True
    )
    module_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("curriculum_modules.id", ondelete="SET NULL"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("review_comments.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(sa.Text)
    is_resolved: Mapped[bool] = mapped_column(default=False)
    resolved_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    author: Mapped[User | None] = relationship("User", foreign_keys=[author_id])
    module: Mapped[Module | None] = relationship("Module")

    @property
    def thread_state(self) -> ThreadState:
        return ThreadState.RESOLVED if self.is_resolved else ThreadState.OPEN

    @thread_state.setter
    def thread_state(self, state: ThreadState) -> None:
        self.is_resolved = state == ThreadState.RESOLVED
