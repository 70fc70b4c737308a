"""Applications for internship positions and their history (the workflow is in ``workflow.py``)."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import Role
from portal.db import TimestampMixin, UTCDateTime, db, str_enum, utcnow
from portal.i18n import _l
from portal.internships.models import (
    InternshipPosition,
    is_opd_admin,
    is_university_staff,
    signed_in,
)

if TYPE_CHECKING:
    from portal.auth.models import User
    from portal.uploads import StoredFile


# --- applications ------------------------------------------------------------------------------


class ApplicationState(enum.StrEnum):
    SUBMITTED = "submitted"
    ENDORSED = "endorsed"
    DECLINED_BY_UNIVERSITY = "declined_by_university"
    SHORTLISTED = "shortlisted"
    WAITLISTED = "waitlisted"
    OFFERED = "offered"
    ACCEPTED = "accepted"
    OFFER_DECLINED = "offer_declined"
    OFFER_EXPIRED = "offer_expired"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"

    @property
    def title(self):
        return STATE_TITLES[self]

    @property
    def is_open(self) -> bool:
        return self in OPEN_STATES


STATE_TITLES = {
    ApplicationState.SUBMITTED: _l("Waiting for the university's endorsement"),
    ApplicationState.ENDORSED: _l("Endorsed by the university"),
    ApplicationState.DECLINED_BY_UNIVERSITY: _l("Declined by the university"),
    ApplicationState.SHORTLISTED: _l("Shortlisted"),
    ApplicationState.WAITLISTED: _l("On the waiting list"),
    ApplicationState.OFFERED: _l("Offer made"),
    ApplicationState.ACCEPTED: _l("Offer accepted"),
    ApplicationState.OFFER_DECLINED: _l("Offer declined"),
    ApplicationState.OFFER_EXPIRED: _l("Offer expired"),
    ApplicationState.REJECTED: _l("Not accepted"),
    ApplicationState.WITHDRAWN: _l("Withdrawn"),
}

#: Applications still in play: they count towards the limit per period and hold a rank.
OPEN_STATES = frozenset(
    {
        ApplicationState.SUBMITTED,
        ApplicationState.ENDORSED,
        ApplicationState.SHORTLISTED,
        ApplicationState.WAITLISTED,
        ApplicationState.OFFERED,
    }
)


class Application(TimestampMixin, db.Model):
    """A student's application for one position, ranked among their open ones (1 = first choice).

    ``university_id`` and ``agency_id`` are copied from the student and the position when the
    application is made, so scoping a list or checking a predicate needs no join.
    ``rank`` is cleared when the application closes; the unique (student, period, rank) with
    ranks 1…limit is what keeps the number of open applications per period within the limit,
    even when two are sent at the same moment.
    """

    __tablename__ = "internship_applications"
    __table_args__ = (
        sa.UniqueConstraint("student_id", "position_id", name="uq_internship_applications_once"),
        sa.UniqueConstraint(
            "student_id", "period_id", "rank", name="uq_internship_applications_rank"
        ),
        sa.CheckConstraint("rank IS NULL OR rank >= 1", name="rank_positive"),
        sa.CheckConstraint(
            "semester IS NULL OR (semester >= 1 AND semester <= 14)", name="semester_range"
        ),
        sa.CheckConstraint("gpa IS NULL OR (gpa >= 0 AND gpa <= 4)", name="gpa_range"),
        sa.CheckConstraint(
            "opd_score IS NULL OR (opd_score >= 0 AND opd_score <= 100)", name="opd_score_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    position_id: Mapped[int] = mapped_column(
        sa.ForeignKey("internship_positions.id", ondelete="CASCADE"), index=True
    )
    period_id: Mapped[int] = mapped_column(sa.ForeignKey("internship_periods.id"), index=True)
    university_id: Mapped[int] = mapped_column(sa.ForeignKey("universities.id"), index=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    rank: Mapped[int | None] = mapped_column()
    motivation: Mapped[str] = mapped_column(sa.Text)
    cv_file_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("stored_files.id", ondelete="SET NULL")
    )
    state: Mapped[ApplicationState] = mapped_column(
        str_enum(ApplicationState), default=ApplicationState.SUBMITTED, index=True
    )
    endorsed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # reached the OPD
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    offer_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    decision_reason: Mapped[str | None] = mapped_column(sa.Text)  # declined or rejected: why
    # What the student states for the OPD's ranking (the university vouches by endorsing).
    semester: Mapped[int | None] = mapped_column(sa.SmallInteger)
    gpa: Mapped[float | None] = mapped_column(sa.Numeric(3, 2, asdecimal=False))
    # A matching round (``internships/matching``): the OPD's score of the applicant (higher
    # first), or not acceptable at all; after the match, what became of this preference, which
    # choice it was, and the mentor whose room the match set aside for it.
    opd_score: Mapped[float | None] = mapped_column(sa.Numeric(5, 2, asdecimal=False))
    opd_unacceptable: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    match_outcome: Mapped[str | None] = mapped_column(sa.String(20))
    match_choice: Mapped[int | None] = mapped_column(sa.SmallInteger)
    matched_mentor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    student: Mapped[User] = relationship("User", foreign_keys=[student_id])
    position: Mapped[InternshipPosition] = relationship()
    cv_file: Mapped[StoredFile | None] = relationship("StoredFile")
    events: Mapped[list[ApplicationEvent]] = relationship(
        cascade="all, delete-orphan", order_by="ApplicationEvent.id"
    )

    @property
    def reached_opd(self) -> bool:
        """Endorsed at some point: only such applications are ever shown to the OPD."""
        return self.endorsed_at is not None

    def can_view(self, user) -> bool:
        """The student sees their own; university staff their students'; the OPD's admins (and
        city-wide admins) only applications the university endorsed."""
        if not signed_in(user):
            return False
        if user.id == self.student_id:
            return True
        if is_university_staff(user, self.university_id):
            return True
        return self.reached_opd and is_opd_admin(user, self.agency_id)

    @classmethod
    def visible_to(cls, user):
        """The same rule as :meth:`can_view` as a WHERE clause, for list queries."""
        if not signed_in(user):
            return sa.false()
        rules = [cls.student_id == user.id]
        if Role.UNIVERSITY in user.roles and user.university_id is not None:
            rules.append(cls.university_id == user.university_id)
        if Role.ADMIN in user.roles:
            opd = cls.endorsed_at.is_not(None)
            if user.admin_agency_id is not None:
                opd = sa.and_(opd, cls.agency_id == user.admin_agency_id)
            rules.append(opd)
        return sa.or_(*rules)

    @classmethod
    def sent(cls, position, student, *, rank: int | None, motivation: str, cv) -> Application:
        """The application of ``student`` for ``position`` as sent (submitted, with the CV file
        ``cv``), not yet in the session. Checks nothing: ``services.apply`` does, before it
        calls this (the demo data builds past applications with it too)."""
        return cls(
            student_id=student.id,
            position_id=position.id,
            period_id=position.period_id,
            university_id=student.university_id,
            agency_id=position.agency_id,
            rank=rank,
            motivation=motivation,
            cv_file_id=cv.id,
            state=ApplicationState.SUBMITTED,
        )

    def __repr__(self) -> str:
        return f"<Application {self.id} {self.state}>"


class ApplicationEvent(db.Model):
    """One step of an application's history: who (None = the daily job), when, from, to, note."""

    __tablename__ = "internship_application_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("internship_applications.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(sa.String(20))
    from_state: Mapped[ApplicationState | None] = mapped_column(str_enum(ApplicationState))
    to_state: Mapped[ApplicationState] = mapped_column(str_enum(ApplicationState))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    note: Mapped[str | None] = mapped_column(sa.Text)

    actor: Mapped[User | None] = relationship("User")
