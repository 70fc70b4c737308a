"""Co-signed guidance sessions (DOMAIN.md §5.5): the mentor logs a session, the student confirms
it or disputes it with a comment; agreed actions hang off the session. The table of steps is in
``workflow.py``. ``private_notes`` are the mentor's alone: only ``can_see_private`` users get them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import TimestampMixin, TitledEnum, UTCDateTime, db, str_enum
from portal.i18n import _l
from portal.internships.models import Placement, PlacementStatus, signed_in

if TYPE_CHECKING:
    from portal.auth.models import User


def _enum(cls, length=20):
    return str_enum(cls, length)


class SessionMode(TitledEnum):
    ON_SITE = "on_site", _l("On site")
    ONLINE = "online", _l("Online")
    PHONE = "phone", _l("Phone")


class SessionState(TitledEnum):
    LOGGED = "logged", _l("Waiting for the student")
    CONFIRMED = "confirmed", _l("Confirmed")
    DISPUTED = "disputed", _l("Disputed")

    @property
    def badge(self) -> str:
        return {"logged": "warning", "confirmed": "success", "disputed": "danger"}[self.value]


class SessionAction(TitledEnum):
    EDIT = "edit", _l("Edit")
    CONFIRM = "confirm", _l("Confirm")
    DISPUTE = "dispute", _l("Dispute")


class GuidanceSession(TimestampMixin, db.Model):
    """One guidance session of a placement, as the mentor logged it and the student answered."""

    __tablename__ = "guidance_sessions"
    __table_args__ = (
        sa.CheckConstraint(
            "duration_minutes >= 5 AND duration_minutes <= 600", name="duration_range"
        ),
        sa.Index("ix_guidance_sessions_mentor_held", "mentor_id", "held_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("internship_placements.id", ondelete="CASCADE"), index=True
    )
    mentor_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    held_on: Mapped[date] = mapped_column(sa.Date)
    duration_minutes: Mapped[int] = mapped_column()
    mode: Mapped[SessionMode] = mapped_column(_enum(SessionMode, 10))
    topics: Mapped[str] = mapped_column(sa.Text)
    competencies: Mapped[str] = mapped_column(sa.String(500), default="")
    shared_notes: Mapped[str] = mapped_column(sa.Text, default="")
    private_notes: Mapped[str] = mapped_column(sa.Text, default="")
    next_meeting_on: Mapped[date | None] = mapped_column(sa.Date)
    state: Mapped[SessionState] = mapped_column(
        _enum(SessionState, 12), default=SessionState.LOGGED, index=True
    )
    student_comment: Mapped[str | None] = mapped_column(sa.Text)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    disputed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    placement: Mapped[Placement] = relationship()
    mentor: Mapped[User] = relationship("User", foreign_keys=[mentor_id])
    actions: Mapped[list[GuidanceAction]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="GuidanceAction.id"
    )

    # The predicates need ``placement`` loaded (the queries load it with the session).

    def can_view(self, user) -> bool:
        """The mentor, the student and the placement's DPL see the session."""
        return signed_in(user) and user.id in (
            self.mentor_id,
            self.placement.student_id,
            self.placement.supervisor_id,
        )

    def can_see_private(self, user) -> bool:
        """Private notes are for the mentor who wrote them, nobody else."""
        return signed_in(user) and user.id == self.mentor_id

    def __repr__(self) -> str:
        return f"<GuidanceSession {self.id} {self.state}>"


class GuidanceAction(db.Model):
    """An action agreed in a session, with an optional due date; ticked off when done."""

    __tablename__ = "guidance_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("guidance_sessions.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(sa.String(300))
    due_on: Mapped[date | None] = mapped_column(sa.Date)
    is_done: Mapped[bool] = mapped_column(default=False)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    session: Mapped[GuidanceSession] = relationship(back_populates="actions")


def can_view_sessions(placement: Placement, user) -> bool:
    """Who reads a placement's sessions: its mentor, its student and its DPL."""
    return signed_in(user) and user.id in (
        placement.mentor_id,
        placement.student_id,
        placement.supervisor_id,
    )


def can_log_session(placement: Placement, user) -> bool:
    """The placement's mentor logs sessions while the placement is active."""
    return (
        signed_in(user)
        and user.id == placement.mentor_id
        and placement.status == PlacementStatus.ACTIVE
    )
