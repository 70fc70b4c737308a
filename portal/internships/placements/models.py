"""The intern's daily logbook and the final report (DOMAIN.md §5.2, §5.5): their tables, states
and actions, and who may write them. Their workflows (the tables of steps) are in ``workflow.py``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import TimestampMixin, TitledEnum, UTCDateTime, db, str_enum, utcnow
from portal.i18n import _l
from portal.internships.models import Placement, PlacementStatus

if TYPE_CHECKING:
    from portal.auth.models import User
    from portal.uploads import StoredFile

#: Hours a day may hold, in half-hour steps (stored as minutes).
MIN_MINUTES, MAX_MINUTES, STEP_MINUTES = 30, 12 * 60, 30
TEXT_MAX = 2000


def _enum(cls, length=20):
    return str_enum(cls, length)


# --- logbook entries ---------------------------------------------------------------------------


class EntryState(TitledEnum):
    DRAFT = "draft", _l("Draft")
    SUBMITTED = "submitted", _l("Waiting for the mentor")
    APPROVED = "approved", _l("Approved")
    RETURNED = "returned", _l("Returned for changes")


class EntryAction(TitledEnum):
    SUBMIT = "submit", _l("Submit to the mentor")
    APPROVE = "approve", _l("Approve")
    RETURN = "return", _l("Return with a comment")


ES = EntryState
#: States in which the student may still change an entry.
EDITABLE = frozenset({ES.DRAFT, ES.RETURNED})


class LogbookEntry(TimestampMixin, db.Model):
    """One day of work: what the intern did and produced, and how long; one entry per day."""

    __tablename__ = "internship_logbook_entries"
    __table_args__ = (
        sa.UniqueConstraint("placement_id", "day", name="uq_internship_logbook_entries_day"),
        sa.CheckConstraint(
            f"minutes >= {MIN_MINUTES} AND minutes <= {MAX_MINUTES}", name="minutes_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("internship_placements.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[date] = mapped_column(sa.Date)
    minutes: Mapped[int] = mapped_column()
    activities: Mapped[str] = mapped_column(sa.Text)
    outputs: Mapped[str] = mapped_column(sa.Text, default="")
    attachment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("stored_files.id", ondelete="SET NULL")
    )
    state: Mapped[EntryState] = mapped_column(_enum(EntryState), default=ES.DRAFT, index=True)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    mentor_comment: Mapped[str | None] = mapped_column(sa.Text)  # the last review's comment
    reviewed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    attachment: Mapped[StoredFile | None] = relationship("StoredFile")

    @property
    def hours(self) -> float:
        return self.minutes / 60

    def can_view(self, placement: Placement, user) -> bool:
        """Whoever shares the placement page; a draft only for the student who writes it."""
        if not placement.can_view(user):
            return False
        return self.state != ES.DRAFT or user.id == placement.student_id

    def can_edit(self, placement: Placement, user) -> bool:
        """The student changes an entry while it is a draft or returned, and the placement runs."""
        return (
            user.id == placement.student_id
            and self.state in EDITABLE
            and placement.status == PlacementStatus.ACTIVE
        )

    def __repr__(self) -> str:
        return f"<LogbookEntry {self.id} {self.day} {self.state}>"


class LogbookEvent(db.Model):
    """One step of an entry's history: who, when, from, to, and the comment."""

    __tablename__ = "internship_logbook_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        sa.ForeignKey("internship_logbook_entries.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(sa.String(20))
    from_state: Mapped[EntryState] = mapped_column(_enum(EntryState))
    to_state: Mapped[EntryState] = mapped_column(_enum(EntryState))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    note: Mapped[str | None] = mapped_column(sa.Text)

    actor: Mapped[User | None] = relationship("User")


def can_add_entry(placement: Placement, user, today: date | None = None) -> bool:
    """Only the student writes the logbook, and only while the placement runs (with ``today``:
    and from its first day on, see :func:`logbook_opens_on`)."""
    return (
        getattr(user, "is_authenticated", False)
        and user.id == placement.student_id
        and placement.status == PlacementStatus.ACTIVE
        and (today is None or logbook_opens_on(placement, today) is None)
    )


def logbook_opens_on(placement: Placement, today: date) -> date | None:
    """The day the logbook opens, while the placement has not started yet (None: it is open):
    an entry is for a day of the placement that has come."""
    return placement.starts_on if today < placement.starts_on else None


# --- the final report --------------------------------------------------------------------------


class ReportState(TitledEnum):
    SUBMITTED = "submitted", _l("Waiting for the mentor")
    APPROVED_BY_MENTOR = "approved_by_mentor", _l("Approved by the mentor, waiting for the DPL")
    APPROVED = "approved", _l("Approved")
    RETURNED = "returned", _l("Returned for changes")


class ReportAction(TitledEnum):
    APPROVE = "approve", _l("Approve")
    RETURN = "return", _l("Return")

    @property
    def needs_reason(self) -> bool:
        return self == ReportAction.RETURN


RS = ReportState


class FinalReport(TimestampMixin, db.Model):
    """One uploaded version of the final report (laporan akhir) with the two decisions on it.

    A returned version stays as it was; the student uploads the next version. The row is its
    own history: who uploaded it when, and who of the mentor and the DPL decided what, and why.
    """

    __tablename__ = "internship_final_reports"
    __table_args__ = (
        sa.UniqueConstraint("placement_id", "version", name="uq_internship_final_reports_version"),
        sa.CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("internship_placements.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column()
    file_id: Mapped[int] = mapped_column(sa.ForeignKey("stored_files.id"))
    note: Mapped[str] = mapped_column(sa.Text, default="")  # the student's, e.g. what changed
    state: Mapped[ReportState] = mapped_column(_enum(ReportState), default=RS.SUBMITTED)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    mentor_decision: Mapped[ReportAction | None] = mapped_column(_enum(ReportAction, 10))
    mentor_reason: Mapped[str | None] = mapped_column(sa.Text)
    mentor_decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    mentor_decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    dpl_decision: Mapped[ReportAction | None] = mapped_column(_enum(ReportAction, 10))
    dpl_reason: Mapped[str | None] = mapped_column(sa.Text)
    dpl_decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    dpl_decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    file: Mapped[StoredFile] = relationship("StoredFile")
    mentor_decided_by: Mapped[User | None] = relationship(
        "User", foreign_keys=[mentor_decided_by_id]
    )
    dpl_decided_by: Mapped[User | None] = relationship("User", foreign_keys=[dpl_decided_by_id])

    def __repr__(self) -> str:
        return f"<FinalReport {self.id} v{self.version} {self.state}>"


def can_upload_report(placement: Placement, latest: FinalReport | None, user) -> bool:
    """The student uploads the first version, or a new one after a return, while the placement
    runs or once it is completed (not after it was ended early)."""
    return (
        getattr(user, "is_authenticated", False)
        and user.id == placement.student_id
        and placement.status != PlacementStatus.TERMINATED
        and (latest is None or latest.state == RS.RETURNED)
    )
