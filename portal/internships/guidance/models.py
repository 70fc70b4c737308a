"""Co-signed guidance sessions (DOMAIN.md §5.5): the mentor logs a session, the student confirms
it or disputes it with a comment; agreed actions hang off the session.

One table of steps (CONVENTIONS.md §6): the mentor edits a session until the student confirms
it (an edit of a disputed session sends it back for confirmation); the student answers a logged
session. ``private_notes`` are the mentor's alone: only ``can_see_private`` users get them.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import TimestampMixin, UTCDateTime, db, str_enum
from portal.errors import InvalidTransition
from portal.i18n import _l
from portal.internships.models import Placement, PlacementStatus, signed_in


def _enum(cls, length=20):
    return str_enum(cls, length)


class SessionMode(enum.StrEnum):
    ON_SITE = "on_site"
    ONLINE = "online"
    PHONE = "phone"

    @property
    def title(self):
        return {
            SessionMode.ON_SITE: _l("On site"),
            SessionMode.ONLINE: _l("Online"),
            SessionMode.PHONE: _l("Phone"),
        }[self]


class SessionState(enum.StrEnum):
    LOGGED = "logged"
    CONFIRMED = "confirmed"
    DISPUTED = "disputed"

    @property
    def title(self):
        return {
            SessionState.LOGGED: _l("Waiting for the student"),
            SessionState.CONFIRMED: _l("Confirmed"),
            SessionState.DISPUTED: _l("Disputed"),
        }[self]

    @property
    def badge(self) -> str:
        return {"logged": "warning", "confirmed": "success", "disputed": "danger"}[self.value]


class SessionAction(enum.StrEnum):
    EDIT = "edit"
    CONFIRM = "confirm"
    DISPUTE = "dispute"

    @property
    def title(self):
        return {
            SessionAction.EDIT: _l("Edit"),
            SessionAction.CONFIRM: _l("Confirm"),
            SessionAction.DISPUTE: _l("Dispute"),
        }[self]


MENTOR, STUDENT = "mentor", "student"
S, A = SessionState, SessionAction

#: (state, action) -> (next state, the party who may take the step)
TRANSITIONS: dict[tuple[SessionState, SessionAction], tuple[SessionState, str]] = {
    (S.LOGGED, A.EDIT): (S.LOGGED, MENTOR),
    (S.DISPUTED, A.EDIT): (S.LOGGED, MENTOR),
    (S.LOGGED, A.CONFIRM): (S.CONFIRMED, STUDENT),
    (S.LOGGED, A.DISPUTE): (S.DISPUTED, STUDENT),
}
PARTY_TEXT = {
    MENTOR: _l("Only the mentor who logged the session can change it."),
    STUDENT: _l("Only the student of this placement can confirm or dispute the session."),
}


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
    mentor = relationship("User", foreign_keys=[mentor_id])
    actions: Mapped[list[GuidanceAction]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="GuidanceAction.id"
    )

    # The predicates need ``placement`` loaded (the queries load it with the session).

    def parties(self, user) -> frozenset[str]:
        if not signed_in(user):
            return frozenset()
        found = set()
        if user.id == self.mentor_id:
            found.add(MENTOR)
        if user.id == self.placement.student_id:
            found.add(STUDENT)
        return frozenset(found)

    def can_view(self, user) -> bool:
        """The mentor, the student and the placement's DPL see the session."""
        return signed_in(user) and (
            bool(self.parties(user)) or user.id == self.placement.supervisor_id
        )

    def can_see_private(self, user) -> bool:
        """Private notes are for the mentor who wrote them, nobody else."""
        return signed_in(user) and user.id == self.mentor_id

    def check(self, action: SessionAction, user) -> SessionState:
        """The state ``action`` leads to; raises InvalidTransition saying why it is blocked."""
        step = TRANSITIONS.get((self.state, action))
        if step is None:
            if self.state == S.CONFIRMED:
                raise InvalidTransition(
                    _l("The student confirmed this session; it can no longer change.")
                )
            raise InvalidTransition(
                _l(
                    "“%(action)s” is not possible while the session is “%(state)s”.",
                    action=action.title,
                    state=self.state.title,
                )
            )
        next_state, who = step
        if who not in self.parties(user):
            raise InvalidTransition(PARTY_TEXT[who])
        return next_state

    def allowed(self, user) -> list[SessionAction]:
        """The steps ``user`` may take now (pages show exactly these)."""
        found = []
        for (state, action), _step in TRANSITIONS.items():
            if state == self.state:
                try:
                    self.check(action, user)
                except InvalidTransition:
                    continue
                found.append(action)
        return found

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
