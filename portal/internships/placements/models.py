"""The intern's daily logbook and the final report (DOMAIN.md §5.2, §5.5), with their workflows
(CONVENTIONS.md §6): one table of steps each, one guard that says why a step is blocked, and
``allowed_*_actions`` so the placement page shows exactly the buttons that would work.

Logbook entry: draft → submitted (the student) → approved (the mentor; locked for good)
                                              ↘ returned with a comment (the mentor) → submitted …
Final report (one row per uploaded version): submitted → approved_by_mentor → approved (the DPL);
the mentor or the DPL may instead return it with a reason, and the student uploads a new version.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import TimestampMixin, UTCDateTime, db, str_enum, utcnow
from portal.errors import InvalidTransition
from portal.i18n import _l
from portal.internships.applications.workflow import MENTOR, STUDENT, placement_parties
from portal.internships.models import Placement, PlacementStatus

DPL = "dpl"

#: Hours a day may hold, in half-hour steps (stored as minutes).
MIN_MINUTES, MAX_MINUTES, STEP_MINUTES = 30, 12 * 60, 30
TEXT_MAX = 2000


def _enum(cls, length=20):
    return str_enum(cls, length)


def parties(placement: Placement, user) -> frozenset[str]:
    """The parties ``user`` acts for on a placement, the DPL (its named supervisor) included."""
    found = set(placement_parties(placement, user))
    if (
        getattr(user, "is_authenticated", False)
        and placement.supervisor_id is not None
        and user.id == placement.supervisor_id
    ):
        found.add(DPL)
    return frozenset(found)


# --- logbook entries ---------------------------------------------------------------------------


class EntryState(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"

    @property
    def title(self):
        return {
            EntryState.DRAFT: _l("Draft"),
            EntryState.SUBMITTED: _l("Waiting for the mentor"),
            EntryState.APPROVED: _l("Approved"),
            EntryState.RETURNED: _l("Returned for changes"),
        }[self]


class EntryAction(enum.StrEnum):
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"

    @property
    def title(self):
        return {
            EntryAction.SUBMIT: _l("Submit to the mentor"),
            EntryAction.APPROVE: _l("Approve"),
            EntryAction.RETURN: _l("Return with a comment"),
        }[self]


ES, EA = EntryState, EntryAction
#: (state, action) -> (next state, the party who may take the step)
ENTRY_TRANSITIONS = {
    (ES.DRAFT, EA.SUBMIT): (ES.SUBMITTED, STUDENT),
    (ES.RETURNED, EA.SUBMIT): (ES.SUBMITTED, STUDENT),
    (ES.SUBMITTED, EA.APPROVE): (ES.APPROVED, MENTOR),
    (ES.SUBMITTED, EA.RETURN): (ES.RETURNED, MENTOR),
}
ENTRY_PARTY_TEXT = {
    STUDENT: _l("Only the student of this placement can submit their logbook."),
    MENTOR: _l("Only the mentor of this placement can review its logbook."),
}
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

    attachment = relationship("StoredFile")

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

    actor = relationship("User")


def placement_closed(placement: Placement) -> InvalidTransition:
    return InvalidTransition(
        _l(
            "This placement is “%(status)s”: its logbook can no longer change.",
            status=placement.status.title,
        )
    )


def check_entry(entry: LogbookEntry, placement: Placement, action: EntryAction, user) -> EntryState:
    """The state ``action`` leads to; raises InvalidTransition saying why when it is blocked."""
    step = ENTRY_TRANSITIONS.get((entry.state, action))
    if step is None:
        raise InvalidTransition(
            _l(
                "“%(action)s” is not possible while the entry is “%(state)s”.",
                action=action.title,
                state=entry.state.title,
            )
        )
    next_state, who = step
    if who not in parties(placement, user):
        raise InvalidTransition(ENTRY_PARTY_TEXT[who])
    if placement.status != PlacementStatus.ACTIVE:
        raise placement_closed(placement)
    return next_state


def allowed_entry_actions(entry: LogbookEntry, placement: Placement, user) -> list[EntryAction]:
    """The steps ``user`` may take on ``entry`` now (the page shows exactly these buttons)."""
    allowed = []
    for action in EntryAction:
        try:
            check_entry(entry, placement, action, user)
        except InvalidTransition:
            continue
        allowed.append(action)
    return allowed


def can_add_entry(placement: Placement, user) -> bool:
    """Only the student writes the logbook, and only while the placement runs."""
    return (
        getattr(user, "is_authenticated", False)
        and user.id == placement.student_id
        and placement.status == PlacementStatus.ACTIVE
    )


# --- the final report --------------------------------------------------------------------------


class ReportState(enum.StrEnum):
    SUBMITTED = "submitted"
    APPROVED_BY_MENTOR = "approved_by_mentor"
    APPROVED = "approved"
    RETURNED = "returned"

    @property
    def title(self):
        return {
            ReportState.SUBMITTED: _l("Waiting for the mentor"),
            ReportState.APPROVED_BY_MENTOR: _l("Approved by the mentor, waiting for the DPL"),
            ReportState.APPROVED: _l("Approved"),
            ReportState.RETURNED: _l("Returned for changes"),
        }[self]


class ReportAction(enum.StrEnum):
    APPROVE = "approve"
    RETURN = "return"

    @property
    def title(self):
        return {ReportAction.APPROVE: _l("Approve"), ReportAction.RETURN: _l("Return")}[self]

    @property
    def needs_reason(self) -> bool:
        return self == ReportAction.RETURN


RS, RA = ReportState, ReportAction
REPORT_TRANSITIONS = {
    (RS.SUBMITTED, RA.APPROVE): (RS.APPROVED_BY_MENTOR, MENTOR),
    (RS.SUBMITTED, RA.RETURN): (RS.RETURNED, MENTOR),
    (RS.APPROVED_BY_MENTOR, RA.APPROVE): (RS.APPROVED, DPL),
    (RS.APPROVED_BY_MENTOR, RA.RETURN): (RS.RETURNED, DPL),
}
REPORT_PARTY_TEXT = {
    MENTOR: _l("Only the mentor of this placement can decide on the report first."),
    DPL: _l("Only the lecturer supervising this placement (DPL) can give the final approval."),
}


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

    file = relationship("StoredFile")
    mentor_decided_by = relationship("User", foreign_keys=[mentor_decided_by_id])
    dpl_decided_by = relationship("User", foreign_keys=[dpl_decided_by_id])

    def __repr__(self) -> str:
        return f"<FinalReport {self.id} v{self.version} {self.state}>"


def report_closed(placement: Placement) -> InvalidTransition:
    return InvalidTransition(
        _l("This placement was ended early: its final report can no longer change.")
    )


def check_report(report: FinalReport, placement: Placement, action: ReportAction, user):
    """The state ``action`` leads to; raises InvalidTransition saying why when it is blocked."""
    step = REPORT_TRANSITIONS.get((report.state, action))
    if step is None:
        raise InvalidTransition(
            _l(
                "“%(action)s” is not possible while the report is “%(state)s”.",
                action=action.title,
                state=report.state.title,
            )
        )
    next_state, who = step
    if who not in parties(placement, user):
        raise InvalidTransition(REPORT_PARTY_TEXT[who])
    if placement.status == PlacementStatus.TERMINATED:
        raise report_closed(placement)
    return next_state


def allowed_report_actions(report: FinalReport, placement: Placement, user) -> list[ReportAction]:
    allowed = []
    for action in ReportAction:
        try:
            check_report(report, placement, action, user)
        except InvalidTransition:
            continue
        allowed.append(action)
    return allowed


def can_upload_report(placement: Placement, latest: FinalReport | None, user) -> bool:
    """The student uploads the first version, or a new one after a return, while the placement
    runs or once it is completed (not after it was ended early)."""
    return (
        getattr(user, "is_authenticated", False)
        and user.id == placement.student_id
        and placement.status != PlacementStatus.TERMINATED
        and (latest is None or latest.state == RS.RETURNED)
    )
