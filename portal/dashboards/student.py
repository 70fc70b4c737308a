"""The student's panel: applications with the next step, the current placement (logbook due
today, entries returned, credit readiness, final report and evaluations) and the latest unread
notifications. At most seven queries, whatever the number of applications or logbook entries."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from portal.auth.models import User
from portal.db import db
from portal.i18n import _l
from portal.institutions.models import Agency
from portal.internships.applications.models import OPEN_STATES, Application, ApplicationState
from portal.internships.credit import queries as credit_queries
from portal.internships.credit.rules import Credit
from portal.internships.evaluation import queries as evaluation_queries
from portal.internships.evaluation import services as evaluation_services
from portal.internships.models import InternshipPosition, Placement, PlacementStatus
from portal.internships.placements.logbook_numbers import Readiness, readiness
from portal.internships.placements.models import EntryState, FinalReport, LogbookEntry, ReportState
from portal.internships.settings import UniversitySettings, effective_hours_per_sks
from portal.notify import Notification
from portal.util import clock

S = ApplicationState
NOTIFICATIONS_SHOWN = 5
OPEN_SHOWN = 10

#: What an open application waits for: (who acts, the sentence the student reads).
NEXT_STEPS = {
    S.SUBMITTED: ("university", _l("Waiting for your university to endorse it.")),
    S.ENDORSED: ("opd", _l("Endorsed: waiting for the OPD's decision.")),
    S.SHORTLISTED: ("opd", _l("Shortlisted: waiting for the OPD's decision.")),
    S.WAITLISTED: ("opd", _l("On the waiting list: the OPD may still make you an offer.")),
    S.OFFERED: ("student", _l("You have an offer: accept or decline it.")),
}


@dataclass
class ApplicationRow:
    id: int
    state: ApplicationState
    rank: int | None
    offer_expires_at: datetime | None
    position: str
    agency: str

    @property
    def waits_on(self) -> str:
        return NEXT_STEPS[self.state][0]

    @property
    def next_step(self):
        return NEXT_STEPS[self.state][1]

    @property
    def is_mine_to_act(self) -> bool:
        return self.waits_on == "student"


@dataclass
class PlacementCard:
    placement: Placement
    position: str
    agency: str
    mentor: str
    today: date
    has_today_entry: bool
    today_in_period: bool
    returned: int
    drafts: int
    waiting: int
    approved_days: int
    readiness: Readiness
    report_state: ReportState | None
    report_version: int | None
    evaluation: object  # evaluation_queries.EvaluationState
    evaluation_opens_on: date
    evaluation_open: bool
    credit: Credit | None = None  # under the university's credit scheme, when it has one

    @property
    def is_active(self) -> bool:
        return self.placement.status == PlacementStatus.ACTIVE

    @property
    def logbook_due(self) -> bool:
        """Today is a day of the placement and has no entry yet."""
        return self.is_active and self.today_in_period and not self.has_today_entry

    @property
    def days_left(self) -> int:
        return (self.placement.ends_on - self.today).days

    @property
    def feedback_due(self) -> bool:
        return self.evaluation_open and self.evaluation.feedback is None


def _applications(user) -> list:
    return db.session.execute(
        sa.select(
            Application.id,
            Application.state,
            Application.rank,
            Application.offer_expires_at,
            InternshipPosition.title,
            Agency.short_name,
        )
        .join(InternshipPosition, InternshipPosition.id == Application.position_id)
        .join(Agency, Agency.id == Application.agency_id)
        .where(Application.student_id == user.id)
        .order_by(Application.updated_at.desc(), Application.id.desc())
    ).all()


def _current_placement(user):
    """The running placement, else the latest completed one (never a terminated one)."""
    mentor = aliased(User)
    return db.session.execute(
        sa.select(
            Placement,
            InternshipPosition.title,
            Agency.name,
            mentor.full_name,
            UniversitySettings.hours_per_sks,
        )
        .join(InternshipPosition, InternshipPosition.id == Placement.position_id)
        .join(Agency, Agency.id == Placement.agency_id)
        .join(mentor, mentor.id == Placement.mentor_id)
        .outerjoin(UniversitySettings, UniversitySettings.university_id == Placement.university_id)
        .where(Placement.student_id == user.id, Placement.status != PlacementStatus.TERMINATED)
        .order_by(
            sa.case((Placement.status == PlacementStatus.ACTIVE, 0), else_=1),
            Placement.starts_on.desc(),
            Placement.id.desc(),
        )
        .limit(1)
    ).first()


def _placement_card(row) -> PlacementCard:
    placement, position, agency, mentor, override = row
    today = clock.today()
    entries = db.session.execute(
        sa.select(LogbookEntry.day, LogbookEntry.minutes, LogbookEntry.state).where(
            LogbookEntry.placement_id == placement.id
        )
    ).all()
    states = Counter(e.state for e in entries)
    report = db.session.execute(
        sa.select(FinalReport.state, FinalReport.version)
        .where(FinalReport.placement_id == placement.id)
        .order_by(FinalReport.version.desc())
        .limit(1)
    ).first()
    hours = effective_hours_per_sks(override)
    evaluation = evaluation_queries.state(placement)
    readiness_now = readiness(entries, planned_sks=placement.planned_sks, hours_per_sks=hours)
    scheme = credit_queries.scheme_for(placement.university_id)
    credit = None
    if scheme is not None:
        score = evaluation.grade.grade if evaluation.grade is not None else None
        credit = Credit(scheme, placement, today, readiness_now.approved_minutes, score)
    return PlacementCard(
        placement=placement,
        position=position,
        agency=agency,
        mentor=mentor,
        today=today,
        has_today_entry=any(e.day == today for e in entries),
        today_in_period=placement.starts_on <= today <= placement.ends_on,
        returned=states[EntryState.RETURNED],
        drafts=states[EntryState.DRAFT],
        waiting=states[EntryState.SUBMITTED],
        approved_days=states[EntryState.APPROVED],
        readiness=readiness_now,
        report_state=report.state if report else None,
        report_version=report.version if report else None,
        evaluation=evaluation,
        evaluation_opens_on=evaluation_services.opens_on(placement),
        evaluation_open=evaluation_services.is_open(placement, today),
        credit=credit,
    )


def _unread_notifications(user) -> list[Notification]:
    return list(
        db.session.scalars(
            sa.select(Notification)
            .where(Notification.user_id == user.id, Notification.read_at.is_(None))
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(NOTIFICATIONS_SHOWN)
        )
    )


def build(user) -> dict:
    """The student's figures (see the module docstring)."""
    rows = [ApplicationRow(*r) for r in _applications(user)]
    open_rows = [r for r in rows if r.state in OPEN_STATES]
    # The offers first (the student must act), then the rest in the order they last moved.
    open_rows.sort(key=lambda r: not r.is_mine_to_act)
    by_state = Counter(r.state for r in rows)
    found = _current_placement(user)
    return {
        "applications_total": len(rows),
        "by_state": [(state, by_state[state]) for state in ApplicationState if by_state[state]],
        "open_applications": open_rows[:OPEN_SHOWN],
        "open_total": len(open_rows),
        "offers": sum(1 for r in open_rows if r.is_mine_to_act),
        "placement": _placement_card(found) if found else None,
        "notifications": _unread_notifications(user),
    }
