"""Training batches scheduled from published curricula, their sessions, the ASN registrations
(with the supervisor's approval, capacity and a waiting list) and attendance.

``TrainingBatch.seats_taken`` is only ever changed by one conditional UPDATE in the services
(``… SET seats_taken = seats_taken + 1 WHERE seats_taken < capacity``); the check constraint and
the unique constraints here are the second line (QUALITY.md G8). The registration workflow is in
``workflow.py``.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import Role
from portal.db import TimestampMixin, TitledEnum, UTCDateTime, db, str_enum, utcnow
from portal.i18n import _l

if TYPE_CHECKING:
    from portal.auth.models import User
    from portal.competency.models import AsnProfile, Position
    from portal.curricula.models import Curriculum
    from portal.institutions.models import Agency


def signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def is_city_admin(user) -> bool:
    """An admin of the whole city (BKPSDM), not of one OPD."""
    return signed_in(user) and Role.ADMIN in user.roles and user.admin_agency_id is None


def is_admin_for(user, agency_id: int | None) -> bool:
    """A city-wide admin, or the admin of this OPD."""
    return (
        signed_in(user)
        and Role.ADMIN in user.roles
        and (user.admin_agency_id is None or user.admin_agency_id == agency_id)
    )


# --- batches ------------------------------------------------------------------------------------


class BatchState(TitledEnum):
    DRAFT = "draft", _l("Draft")
    OPEN = "open", _l("Open for registration")  # registration open (within its window)
    CLOSED = "closed", _l("Registration closed")  # registration closed, the training runs
    COMPLETED = "completed", _l("Completed")
    CANCELLED = "cancelled", _l("Cancelled")


batch_target_agencies = sa.Table(
    "training_batch_agencies",
    db.metadata,
    sa.Column(
        "batch_id", sa.ForeignKey("training_batches.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("agency_id", sa.ForeignKey("agencies.id", ondelete="CASCADE"), primary_key=True),
)

batch_target_positions = sa.Table(
    "training_batch_positions",
    db.metadata,
    sa.Column(
        "batch_id", sa.ForeignKey("training_batches.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("position_id", sa.ForeignKey("positions.id", ondelete="CASCADE"), primary_key=True),
)

batch_facilitators = sa.Table(
    "training_batch_facilitators",
    db.metadata,
    sa.Column(
        "batch_id", sa.ForeignKey("training_batches.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class TrainingBatch(TimestampMixin, db.Model):
    """One run of a published curriculum: capacity, registration window, JP, facilitators.

    Empty target lists mean "every OPD" / "every position".
    """

    __tablename__ = "training_batches"
    __table_args__ = (
        sa.CheckConstraint("capacity >= 1", name="capacity_positive"),
        sa.CheckConstraint("seats_taken >= 0 AND seats_taken <= capacity", name="seats_in_range"),
        sa.CheckConstraint("jp >= 1", name="jp_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    curriculum_id: Mapped[int] = mapped_column(sa.ForeignKey("curricula.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    capacity: Mapped[int] = mapped_column()
    seats_taken: Mapped[int] = mapped_column(default=0)
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    jp: Mapped[int] = mapped_column()
    state: Mapped[BatchState] = mapped_column(
        str_enum(BatchState), default=BatchState.DRAFT, index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    curriculum: Mapped[Curriculum] = relationship("Curriculum")
    sessions: Mapped[list[TrainingSession]] = relationship(
        back_populates="batch", cascade="all, delete-orphan", order_by="TrainingSession.starts_at"
    )
    target_agencies: Mapped[list[Agency]] = relationship("Agency", secondary=batch_target_agencies)
    target_positions: Mapped[list[Position]] = relationship(
        "Position", secondary=batch_target_positions
    )
    facilitators: Mapped[list[User]] = relationship(
        "User", secondary=batch_facilitators, order_by="User.id"
    )

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.seats_taken, 0)

    def is_facilitator(self, user) -> bool:
        return signed_in(user) and any(f.id == user.id for f in self.facilitators)

    def registration_is_open(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        return (
            self.state == BatchState.OPEN
            and (self.registration_opens_at is None or self.registration_opens_at <= now)
            and (self.registration_closes_at is None or now <= self.registration_closes_at)
        )

    def __repr__(self) -> str:
        return f"<TrainingBatch {self.id} {self.state} {self.seats_taken}/{self.capacity}>"


class TrainingSession(db.Model):
    """One meeting of a batch; times are entered in Asia/Jakarta and stored in UTC."""

    __tablename__ = "training_sessions"
    __table_args__ = (sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training_batches.id", ondelete="CASCADE"), index=True
    )
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    place: Mapped[str | None] = mapped_column(sa.String(200))
    online_link: Mapped[str | None] = mapped_column(sa.String(500))
    check_in_code: Mapped[str] = mapped_column(sa.String(16))

    batch: Mapped[TrainingBatch] = relationship(back_populates="sessions")


# --- registrations -----------------------------------------------------------------------------


class RegistrationState(TitledEnum):
    REQUESTED = "requested", _l("Waiting for the supervisor's approval")  # waits for the supervisor
    DECLINED = "declined", _l("Declined by the supervisor")
    ENROLLED = "enrolled", _l("Enrolled")  # approved, with a seat
    WAITLISTED = "waitlisted", _l("On the waiting list")  # approved, no seat yet
    COMPLETED = "completed", _l("Completed")
    NOT_COMPLETED = "not_completed", _l("Not completed")
    CANCELLED = "cancelled", _l("Cancelled")

    @property
    def is_active(self) -> bool:
        return self in ACTIVE_STATES


#: Registrations still in play (they count for clashes and cannot be made twice).
ACTIVE_STATES = frozenset(
    {RegistrationState.REQUESTED, RegistrationState.ENROLLED, RegistrationState.WAITLISTED}
)


class Registration(TimestampMixin, db.Model):
    """An ASN's place in a batch. ``user_id`` and ``agency_id`` are copied from the ASN record
    so predicates and list scoping need no join. ``waitlist_position`` is set only while on the
    waiting list (lowest first); ``has_clash`` flags sessions overlapping the ASN's other active
    registrations when the registration was made or approved."""

    __tablename__ = "training_registrations"
    __table_args__ = (
        sa.UniqueConstraint("batch_id", "asn_id", name="uq_training_registrations_once"),
        sa.UniqueConstraint(
            "batch_id", "waitlist_position", name="uq_training_registrations_waitlist"
        ),
        sa.CheckConstraint(
            "waitlist_position IS NULL OR waitlist_position >= 1", name="waitlist_positive"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training_batches.id", ondelete="CASCADE"), index=True
    )
    asn_id: Mapped[int] = mapped_column(
        sa.ForeignKey("asn_profiles.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    state: Mapped[RegistrationState] = mapped_column(
        str_enum(RegistrationState), default=RegistrationState.REQUESTED, index=True
    )
    nominated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    waitlist_position: Mapped[int | None] = mapped_column()
    has_clash: Mapped[bool] = mapped_column(default=False)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_reason: Mapped[str | None] = mapped_column(sa.Text)
    attendance_rate: Mapped[float | None] = mapped_column()  # set at completion

    batch: Mapped[TrainingBatch] = relationship()
    asn: Mapped[AsnProfile] = relationship("AsnProfile")
    user: Mapped[User] = relationship("User", foreign_keys=[user_id])
    events: Mapped[list[RegistrationEvent]] = relationship(
        cascade="all, delete-orphan", order_by="RegistrationEvent.id"
    )

    def __repr__(self) -> str:
        return f"<Registration {self.id} {self.state}>"


class RegistrationEvent(db.Model):
    """One step of a registration's history: who (None = automatic), when, from, to, note."""

    __tablename__ = "training_registration_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training_registrations.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(sa.String(20))
    from_state: Mapped[RegistrationState | None] = mapped_column(str_enum(RegistrationState))
    to_state: Mapped[RegistrationState] = mapped_column(str_enum(RegistrationState))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    note: Mapped[str | None] = mapped_column(sa.Text)

    actor: Mapped[User | None] = relationship("User")


# --- attendance --------------------------------------------------------------------------------


class AttendanceMethod(TitledEnum):
    FACILITATOR = "facilitator", _l("Marked by the facilitator")
    CHECK_IN = "check_in", _l("Checked in with the session code")


class Attendance(db.Model):
    """Whether one registration attended one session, and how that was recorded."""

    __tablename__ = "training_attendance"
    __table_args__ = (
        sa.UniqueConstraint("session_id", "registration_id", name="uq_training_attendance_once"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training_sessions.id", ondelete="CASCADE"), index=True
    )
    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training_registrations.id", ondelete="CASCADE"), index=True
    )
    present: Mapped[bool] = mapped_column(default=True)
    method: Mapped[AttendanceMethod] = mapped_column(str_enum(AttendanceMethod, 12))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
