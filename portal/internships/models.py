"""Internships (magang, DOMAIN.md §5): periods, positions an OPD offers with their mentors, and
the placements that accepted offers become (applications are in ``applications.py``).

Counters that many people change at once (a position's ``seats_taken``, a mentor's
``active_mentees``) are only ever changed by one conditional UPDATE in the services; the unique
constraints here are the second line (QUALITY.md G8).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import AccountStatus, Role
from portal.db import TimestampMixin, TitledEnum, UTCDateTime, db, str_enum
from portal.i18n import _l

if TYPE_CHECKING:
    from portal.auth.models import User
    from portal.institutions.models import Agency


if TYPE_CHECKING:
    from portal.internships.applications.models import Application


# --- who is who --------------------------------------------------------------------------------


def signed_in(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def is_opd_admin(user, agency_id: int | None) -> bool:
    """A city-wide admin, or the admin of this OPD."""
    return (
        signed_in(user)
        and Role.ADMIN in user.roles
        and (user.admin_agency_id is None or user.admin_agency_id == agency_id)
    )


def is_university_staff(user, university_id: int | None) -> bool:
    """University staff of this university."""
    return (
        signed_in(user)
        and Role.UNIVERSITY in user.roles
        and university_id is not None
        and user.university_id == university_id
    )


def is_verified_student(user) -> bool:
    """A student whose university verified the account (and which is not deactivated)."""
    return (
        signed_in(user)
        and Role.STUDENT in user.roles
        and user.status == AccountStatus.ACTIVE
        and user.is_active
        and user.university_id is not None
    )


# --- periods and positions ---------------------------------------------------------------------


class WorkMode(TitledEnum):
    ON_SITE = "on_site", _l("On site")
    HYBRID = "hybrid", _l("Hybrid")


class PositionState(TitledEnum):
    DRAFT = "draft", _l("Draft")
    PUBLISHED = "published", _l("Open for applications")
    CLOSED = "closed", _l("Closed")


class IntakeMode(TitledEnum):
    """How a period's seats are given: offers one by one as applications come (rolling), or one
    matching round that places the whole cohort by everyone's preferences (``matching/``)."""

    ROLLING = "rolling", _l("Rolling (offers one by one)")
    MATCHING = "matching", _l("Matching round")


class InternshipPeriod(TimestampMixin, db.Model):
    """A named internship period ("Semester Genap 2026"); the open-application limit counts
    per period and a student has at most one placement in each.

    In a period in matching mode, students rank up to ``preference_limit`` positions until
    ``preferences_close_on`` (their applications are the preferences), the OPDs score the
    applicants, and a city-wide admin runs and publishes the match; ``matched_at`` is when it
    was published, after which the period takes applications as a rolling one."""

    __tablename__ = "internship_periods"
    __table_args__ = (
        sa.CheckConstraint("ends_on >= starts_on", name="dates_order"),
        sa.CheckConstraint(
            "preference_limit >= 1 AND preference_limit <= 10", name="preference_limit_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100), unique=True)
    starts_on: Mapped[date] = mapped_column(sa.Date)
    ends_on: Mapped[date] = mapped_column(sa.Date)
    intake_mode: Mapped[IntakeMode] = mapped_column(
        str_enum(IntakeMode, 10), default=IntakeMode.ROLLING, server_default="rolling"
    )
    preference_limit: Mapped[int] = mapped_column(default=5, server_default="5")
    preferences_close_on: Mapped[date | None] = mapped_column(sa.Date)  # last day, Asia/Jakarta
    matched_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def in_matching_round(self) -> bool:
        """Preferences are collected and the seats wait for the match (not yet published)."""
        return self.intake_mode == IntakeMode.MATCHING and self.matched_at is None

    def __repr__(self) -> str:
        return f"<InternshipPeriod {self.name}>"


class InternshipPosition(TimestampMixin, db.Model):
    """An internship an OPD offers in one period, with a quota of seats."""

    __tablename__ = "internship_positions"
    __table_args__ = (
        sa.CheckConstraint("quota >= 1", name="quota_positive"),
        sa.CheckConstraint("seats_taken >= 0 AND seats_taken <= quota", name="seats_within_quota"),
        sa.CheckConstraint("ends_on >= starts_on", name="dates_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("internship_periods.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    unit: Mapped[str] = mapped_column(sa.String(200), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    tasks: Mapped[str] = mapped_column(sa.Text, default="")
    wanted_majors: Mapped[str] = mapped_column(sa.Text, default="")
    wanted_skills: Mapped[str] = mapped_column(sa.Text, default="")
    quota: Mapped[int] = mapped_column()
    seats_taken: Mapped[int] = mapped_column(default=0)  # only changed by conditional UPDATEs
    starts_on: Mapped[date] = mapped_column(sa.Date)
    ends_on: Mapped[date] = mapped_column(sa.Date)
    location: Mapped[str] = mapped_column(sa.String(200), default="")
    mode: Mapped[WorkMode] = mapped_column(str_enum(WorkMode, 10), default=WorkMode.ON_SITE)
    application_deadline: Mapped[date] = mapped_column(sa.Date)  # last day, Asia/Jakarta
    work_plan_item: Mapped[str] = mapped_column(sa.String(300), default="")  # programme/activity
    state: Mapped[PositionState] = mapped_column(
        str_enum(PositionState, 10), default=PositionState.DRAFT, index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    agency: Mapped[Agency] = relationship("Agency")
    period: Mapped[InternshipPeriod] = relationship()
    mentors: Mapped[list[PositionMentor]] = relationship(
        back_populates="position", cascade="all, delete-orphan", order_by="PositionMentor.id"
    )

    @property
    def seats_left(self) -> int:
        return max(self.quota - self.seats_taken, 0)

    def can_view(self, user) -> bool:
        """Published and closed positions are public; a draft only for its OPD's admins."""
        return self.state != PositionState.DRAFT or is_opd_admin(user, self.agency_id)

    def can_manage(self, user) -> bool:
        """The admins of the position's OPD and city-wide admins edit, publish and close it."""
        return is_opd_admin(user, self.agency_id)

    def __repr__(self) -> str:
        return f"<InternshipPosition {self.id} {self.title!r}>"


class MentorCapacity(db.Model):
    """How many interns one mentor (an ASN) may guide at once, and how many they guide now."""

    __tablename__ = "mentor_capacities"
    __table_args__ = (
        sa.CheckConstraint("mentee_limit >= 0", name="limit_not_negative"),
        sa.CheckConstraint("active_mentees >= 0", name="active_not_negative"),
    )

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    mentee_limit: Mapped[int] = mapped_column()
    active_mentees: Mapped[int] = mapped_column(default=0)  # only changed by conditional UPDATEs

    user: Mapped[User] = relationship("User")


class PositionMentor(db.Model):
    """A mentor named for a position (an ASN with the mentor role in the position's OPD)."""

    __tablename__ = "position_mentors"
    __table_args__ = (sa.UniqueConstraint("position_id", "mentor_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(
        sa.ForeignKey("internship_positions.id", ondelete="CASCADE"), index=True
    )
    mentor_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)

    position: Mapped[InternshipPosition] = relationship(back_populates="mentors")
    mentor: Mapped[User] = relationship("User")


# --- placements --------------------------------------------------------------------------------


class PlacementStatus(TitledEnum):
    ACTIVE = "active", _l("Active")
    COMPLETED = "completed", _l("Completed")
    TERMINATED = "terminated", _l("Terminated")


class Placement(TimestampMixin, db.Model):
    """An accepted offer: the student at the OPD with an ASN mentor and a lecturer (DPL)."""

    __tablename__ = "internship_placements"
    __table_args__ = (
        sa.UniqueConstraint("student_id", "period_id", name="uq_internship_placements_period"),
        sa.CheckConstraint("ends_on >= starts_on", name="dates_order"),
        sa.CheckConstraint(
            "planned_sks IS NULL OR (planned_sks >= 0 AND planned_sks <= 40)", name="sks_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("internship_applications.id"), unique=True
    )
    student_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    position_id: Mapped[int] = mapped_column(sa.ForeignKey("internship_positions.id"), index=True)
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("internship_periods.id"), index=True)
    university_id: Mapped[int] = mapped_column(sa.ForeignKey("universities.id"), index=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    mentor_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    supervisor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    starts_on: Mapped[date] = mapped_column(sa.Date)
    ends_on: Mapped[date] = mapped_column(sa.Date)
    status: Mapped[PlacementStatus] = mapped_column(
        str_enum(PlacementStatus, 12), default=PlacementStatus.ACTIVE, index=True
    )
    end_reason: Mapped[str | None] = mapped_column(sa.Text)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    planned_sks: Mapped[int | None] = mapped_column()

    application: Mapped[Application] = relationship()
    student: Mapped[User] = relationship("User", foreign_keys=[student_id])
    mentor: Mapped[User] = relationship("User", foreign_keys=[mentor_id])
    supervisor: Mapped[User | None] = relationship("User", foreign_keys=[supervisor_id])
    position: Mapped[InternshipPosition] = relationship()

    def hours_needed(self, hours_per_sks: int) -> int | None:
        """Hours of work the planned SKS need (1 SKS = ``hours_per_sks`` hours)."""
        return None if self.planned_sks is None else self.planned_sks * hours_per_sks

    def can_view(self, user) -> bool:
        """The student, the mentor, the DPL, staff of the student's university, and the admins of
        the OPD (or city-wide) share the placement page; nobody else sees it."""
        if not signed_in(user):
            return False
        return (
            user.id in (self.student_id, self.mentor_id, self.supervisor_id)
            or is_university_staff(user, self.university_id)
            or is_opd_admin(user, self.agency_id)
        )

    def __repr__(self) -> str:
        return f"<Placement {self.id} {self.status}>"
