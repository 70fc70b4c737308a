"""What the internship demo writes inside a placement (used by :mod:`portal.demo.internships`):
the daily logbook with its review history, guidance sessions, the final report, and at the end
the evaluation, the final grade and the certificate. Each row follows its workflow table
(``logbook.ENTRY_TRANSITIONS``, ``REPORT_TRANSITIONS``, ``guidance.TRANSITIONS``); the grade
uses the functions of the evaluation service (``rubric_for``, ``weighted_total``,
``final_grade``) and the certificate ``certificates.services.issue_certificate``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from flask import current_app

from portal.certificates.services import issue_certificate
from portal.db import db, utcnow
from portal.demo import internship_story as story
from portal.demo.internship_content import ACTIVITIES
from portal.internships.evaluation import models as ev
from portal.internships.evaluation.services import CERTIFICATE_SOURCE, rubric_for
from portal.internships.guidance import services as guidance_services  # noqa: F401 (its texts)

# The services register the notification texts the demo uses.
from portal.internships.guidance.models import (
    GuidanceAction,
    GuidanceSession,
    SessionMode,
    SessionState,
)
from portal.internships.models import Placement, PlacementStatus
from portal.internships.placements import (
    logbook_services,  # noqa: F401 (its texts)
    report_services,  # noqa: F401
)
from portal.internships.placements.models import (
    EntryState,
    FinalReport,
    LogbookEntry,
    LogbookEvent,
    ReportAction,
    ReportState,
)
from portal.notify import notify
from portal.util import clock, links

ES = EntryState
MINUTES = (450, 450, 450, 480, 420, 390)  # a civil servant's day is 7.5 hours
MODES = (SessionMode.ON_SITE, SessionMode.ON_SITE, SessionMode.ONLINE, SessionMode.PHONE)
ATTACHMENTS = 2  # at most, per placement


def at(day: date, hours: float) -> datetime:
    """``hours`` after midnight UTC of ``day`` (07:00 WIB is 0.0)."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(hours=hours)


@dataclass
class Placed:
    """One placement and the people and texts every record of it needs."""

    placement: Placement
    spec: dict
    position: object
    student: object
    mentor: object
    dpl: object
    last_day: date  # the last day worked so far
    here: str | None  # the placement page
    params: dict  # what notices about it say

    @property
    def active(self) -> bool:
        return self.placement.status == PlacementStatus.ACTIVE


class Records:
    """The placement-level half of the demo builder (``demo._Builder`` adds the rest)."""

    def __init__(self, rng):
        self.rng, self.today = rng, clock.today()
        # Today's first moment in Medan: every date is counted from it, so that two loads on
        # the same day give the same rows whatever the hour.
        self.midnight = clock.local_time(utcnow()).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        self.offer_days = int(current_app.config["INTERNSHIP_OFFER_DAYS"])
        self.counts: Counter = Counter()

    def past(self, moment: datetime) -> datetime:
        """Never later than the start of today (a review of yesterday's entry, not tomorrow)."""
        return min(moment, self.midnight)

    def notice(self, user, key: str, link, when: datetime, *, read: bool, **params) -> None:
        """A notice as the service would have sent it (in the portal; the demo sends no mail)."""
        if user is None:
            return
        row = notify(user, key, link=link, history=True, **params)
        row.created_at = self.past(when)
        row.read_at = self.past(when + timedelta(hours=3)) if read else None
        self.counts["internship notifications"] += 1

    # --- placements ----------------------------------------------------------------------------

    def placements(self) -> list[Placement]:
        """A placement for each accepted offer, in the order they were accepted."""
        keys = {user.id: key for key, user in self.students.items()}
        made = []
        for app, accepted_at in sorted(self.accepted, key=lambda row: row[1]):
            spec = story.PLACEMENTS[keys[app.student_id]]
            position_key = next(k for k, p in self.positions.items() if p.id == app.position_id)
            position = self.positions[position_key]
            mentor = self.people.get(spec.get("mentor")) or self.mentors[position_key][0]
            placement = Placement(
                application_id=app.id,
                student_id=app.student_id,
                position_id=position.id,
                period_id=app.period_id,
                university_id=app.university_id,
                agency_id=app.agency_id,
                mentor_id=mentor.id,
                supervisor_id=self.staff[app.university_id].id,
                starts_on=position.starts_on,
                ends_on=position.ends_on,
                planned_sks=spec["sks"],
                status=PlacementStatus.ACTIVE,
                created_at=accepted_at,
                updated_at=accepted_at,
            )
            last_day = min(position.ends_on, self.today - timedelta(days=1))
            if "ended" in spec:
                last_day = position.starts_on + timedelta(weeks=5, days=2)
                placement.status, placement.end_reason = PlacementStatus.TERMINATED, spec["ended"]
                placement.ended_at = at(last_day, 4)
            elif position.ends_on < self.today:
                placement.status, placement.ended_at = PlacementStatus.COMPLETED, at(last_day, 9)
            placement.updated_at = placement.ended_at or accepted_at
            db.session.add(placement)
            db.session.flush()
            student = next(u for u in self.students.values() if u.id == app.student_id)
            params = {
                "student": student.full_name,
                "position": position.title,
                "agency": self.agencies_by_id[position.agency_id].short_name,
            }
            here = links.link("internships.placement", placement_id=placement.id)
            self.follow(
                Placed(
                    placement,
                    spec,
                    position,
                    student,
                    mentor,
                    self.staff[app.university_id],
                    last_day,
                    here,
                    params,
                ),
                accepted_at,
                ACTIVITIES[position_key],
            )
            made.append(placement)
        return made

    def follow(self, it: Placed, accepted_at: datetime, activities) -> None:
        """Everything that happened in a placement, in the order it happened."""
        self.notice(
            it.mentor,
            "internships.mentee",
            it.here,
            accepted_at,
            read=True,
            start=it.placement.starts_on.isoformat(),
            end=it.placement.ends_on.isoformat(),
            **it.params,
        )
        self.notice(
            it.dpl,
            "internships.supervisor",
            it.here,
            accepted_at + timedelta(days=2),
            read=True,
            **it.params,
        )
        self.logbook(it, activities)
        self.sessions(it)
        self.report(it)
        if it.placement.status == PlacementStatus.COMPLETED:
            self.evaluate(it)
        elif it.placement.status == PlacementStatus.TERMINATED:
            self.notice(
                it.student,
                "internships.placement_terminated",
                it.here,
                it.placement.ended_at,
                read=True,
                reason=it.placement.end_reason,
                **it.params,
            )

    # --- the logbook -----------------------------------------------------------------------------

    def logbook(self, it: Placed, activities) -> None:
        """Weekdays from the start (a few missed); the last week waits for the mentor."""
        rng, days, day = self.rng, [], it.placement.starts_on
        while day <= it.last_day:
            if day.weekday() < 5 and rng.random() > 0.06:
                days.append(day)
            day += timedelta(days=1)
        week_ago = self.today - timedelta(days=7)
        recent = [d for d in days if d >= week_ago] if it.active else []
        returned = recent[0] if it.spec.get("returned") and len(recent) >= 2 else None
        draft = days[-1] if it.spec.get("draft") and recent else None
        attachments = 0
        for day in days:
            state = ES.APPROVED
            if it.active and day >= week_ago:
                state = {draft: ES.DRAFT, returned: ES.RETURNED}.get(day, ES.SUBMITTED)
            attach = state != ES.DRAFT and attachments < ATTACHMENTS and rng.random() < 0.08
            attachments += attach
            entry = self.entry(it, day, state, activities, attach)
            anchor = f"{it.here}#entry-{entry.id}" if it.here else None
            if state == ES.SUBMITTED:
                self.notice(
                    it.mentor,
                    "internships.entry_submitted",
                    anchor,
                    entry.submitted_at,
                    read=False,
                    student=it.student.full_name,
                    day=day.isoformat(),
                )
            elif state == ES.RETURNED:
                self.notice(
                    it.student,
                    "internships.entry_returned",
                    anchor,
                    entry.reviewed_at,
                    read=False,
                    comment=entry.mentor_comment,
                    day=day.isoformat(),
                )

    def entry(self, it: Placed, day: date, state, activities, attach: bool) -> LogbookEntry:
        rng, student, mentor = self.rng, it.student, it.mentor
        activity, output, (low, high) = rng.choice(activities)
        n = rng.randint(low, high)
        activity, output = activity.format(n=n), output.format(n=n)
        written = self.past(at(day, 9 + rng.uniform(0, 1.5)))  # 16:00–17:30 WIB
        entry = LogbookEntry(
            placement_id=it.placement.id,
            day=day,
            minutes=rng.choice(MINUTES),
            activities=activity,
            outputs=output,
            state=state,
            created_at=written,
            updated_at=written,
        )
        if attach:
            entry.attachment_id = self.pdf(
                f"lampiran-{day.isoformat()}.pdf",
                f"Lampiran logbook {day.isoformat()}",
                [activity, output, student.full_name],
                student,
                written,
            ).id
        db.session.add(entry)
        db.session.flush()
        steps = []  # (action, from, to, actor, moment, comment)
        if state != ES.DRAFT:
            steps.append(("submit", ES.DRAFT, ES.SUBMITTED, student, written, None))
        if state == ES.RETURNED or (state == ES.APPROVED and rng.random() < 0.1):
            back = self.past(written + timedelta(hours=rng.uniform(16, 40)))
            steps.append(
                (
                    "return",
                    ES.SUBMITTED,
                    ES.RETURNED,
                    mentor,
                    back,
                    rng.choice(story.RETURN_COMMENTS),
                )
            )
            if state == ES.APPROVED:
                again = back + timedelta(hours=rng.uniform(3, 20))
                steps.append(("submit", ES.RETURNED, ES.SUBMITTED, student, again, None))
        if state == ES.APPROVED:
            comment = rng.choice(story.APPROVE_COMMENTS) if rng.random() < 0.2 else None
            ok = self.past(steps[-1][4] + timedelta(hours=rng.uniform(14, 60)))
            steps.append(("approve", ES.SUBMITTED, ES.APPROVED, mentor, ok, comment))
        for action, before, after, actor, moment, comment in steps:
            db.session.add(
                LogbookEvent(
                    entry_id=entry.id,
                    action=action,
                    from_state=before,
                    to_state=after,
                    actor_id=actor.id,
                    at=moment,
                    note=comment,
                )
            )
            if action == "submit":
                entry.submitted_at = moment
            else:
                entry.mentor_comment, entry.reviewed_by_id, entry.reviewed_at = (
                    comment,
                    actor.id,
                    moment,
                )
            entry.updated_at = moment
        self.counts["logbook entries"] += 1
        return entry

    # --- guidance sessions -----------------------------------------------------------------------

    def sessions(self, it: Placed) -> None:
        """Every second Thursday; the newest may wait for the student, one may be disputed."""
        days, day = [], it.placement.starts_on + timedelta(days=3)
        while day <= it.last_day:
            days.append(day)
            day += timedelta(days=14)
        for n, held in enumerate(days):
            closing = len(days) - n  # 1: the newest
            topic = story.SESSIONS[1 + n % 2]
            if n == 0:
                topic = story.SESSIONS[0]
            elif not it.active and closing <= 2:
                topic = story.SESSIONS[5 - closing]  # the report, then the presentation
            elif it.active and it.spec.get("report") and closing == 1:
                topic = story.SESSIONS[3]
            state = SessionState.CONFIRMED
            if it.active and it.spec.get("logged") and closing == 1:
                state = SessionState.LOGGED
            elif it.spec.get("disputed") and n == 1:
                state = SessionState.DISPUTED
            self.session(it, held, topic, state)

    def session(self, it: Placed, held: date, topic, state: SessionState) -> None:
        rng = self.rng
        topics, competencies, shared, private, actions = topic
        logged = self.past(at(held, 8 + rng.uniform(0, 2)))
        answered = self.past(logged + timedelta(hours=rng.uniform(5, 30)))
        upcoming = held + timedelta(days=14)
        row = GuidanceSession(
            placement_id=it.placement.id,
            mentor_id=it.mentor.id,
            held_on=held,
            duration_minutes=90 if state == SessionState.DISPUTED else rng.choice((45, 60, 90)),
            mode=rng.choice(MODES),
            topics=topics,
            competencies=competencies,
            shared_notes=shared,
            private_notes=private,
            state=state,
            next_meeting_on=upcoming if upcoming <= it.placement.ends_on else None,
            created_at=logged,
            updated_at=logged if state == SessionState.LOGGED else answered,
        )
        if state == SessionState.CONFIRMED:
            row.confirmed_at = answered
        elif state == SessionState.DISPUTED:
            row.disputed_at, row.student_comment = answered, story.DISPUTE_COMMENT
        for text in actions:
            due = held + timedelta(days=7)
            done = state != SessionState.LOGGED and due < self.today and rng.random() < 0.85
            row.actions.append(
                GuidanceAction(
                    text=text, due_on=due, is_done=done, done_at=at(due, 2) if done else None
                )
            )
        db.session.add(row)
        self.counts["guidance sessions"] += 1
        if state == SessionState.LOGGED:
            self.notice(
                it.student,
                "internships.session_logged",
                it.here,
                logged,
                read=False,
                mentor=it.mentor.full_name,
                date=held.isoformat(),
            )
        elif state == SessionState.DISPUTED:
            self.notice(
                it.mentor,
                "internships.session_disputed",
                it.here,
                answered,
                read=not it.active,
                student=it.student.full_name,
                comment=row.student_comment,
                date=held.isoformat(),
            )

    # --- the final report ------------------------------------------------------------------------

    def report(self, it: Placed) -> None:
        """Active: uploaded and waiting when the story says so; completed: approved by both
        (after one return when the story says so); ended early: none."""
        status, told = it.placement.status, it.spec.get("report")
        if status == PlacementStatus.TERMINATED or (it.active and told != "submitted"):
            return
        if it.active:
            sent = self.midnight - timedelta(days=2) + timedelta(hours=10)  # 10:00 WIB
            self.report_version(it, 1, sent)
            self.notice(
                it.mentor,
                "internships.report_uploaded",
                it.here,
                sent,
                read=False,
                version=1,
                **it.params,
            )
            return
        sent, version = at(it.placement.ends_on - timedelta(days=12), 3), 1
        if told == "returned once":
            self.report_version(it, 1, sent, mentor_at=sent + timedelta(days=2), returned=True)
            sent, version = sent + timedelta(days=4), 2
        self.report_version(
            it, version, sent, mentor_at=sent + timedelta(days=1), dpl_at=sent + timedelta(days=3)
        )
        self.notice(
            it.student,
            "internships.report_approved",
            it.here,
            sent + timedelta(days=3),
            read=True,
            version=version,
            **it.params,
        )

    def report_version(
        self,
        it: Placed,
        version: int,
        sent: datetime,
        *,
        mentor_at=None,
        dpl_at=None,
        returned=False,
    ) -> None:
        stored = self.pdf(
            f"laporan-akhir-{it.student.nim}-v{version}.pdf",
            f"Laporan Akhir Magang - {it.student.full_name}",
            [
                f"Versi {version}",
                f"{it.position.title}",
                "Bab 1 Pendahuluan",
                "Bab 2 Profil OPD",
                "Bab 3 Kegiatan dan Hasil",
                "Bab 4 Penutup",
            ],
            it.student,
            sent,
        )
        report = FinalReport(
            placement_id=it.placement.id,
            version=version,
            file_id=stored.id,
            note=story.REPORT_NOTE if version > 1 else "",
            state=ReportState.SUBMITTED,
            uploaded_by_id=it.student.id,
            created_at=sent,
            updated_at=sent,
        )
        if mentor_at:
            report.mentor_decision = ReportAction.RETURN if returned else ReportAction.APPROVE
            report.mentor_reason = story.REPORT_RETURN if returned else None
            report.mentor_decided_by_id, report.mentor_decided_at = it.mentor.id, mentor_at
            report.state = ReportState.RETURNED if returned else ReportState.APPROVED_BY_MENTOR
            report.updated_at = mentor_at
        if dpl_at:
            report.dpl_decision, report.dpl_decided_by_id = ReportAction.APPROVE, it.dpl.id
            report.dpl_decided_at = report.updated_at = dpl_at
            report.state = ReportState.APPROVED
        db.session.add(report)

    # --- the end -------------------------------------------------------------------------------

    def evaluate(self, it: Placed) -> None:
        """Both parts of the grade, the grade (the university's split), the student's feedback
        and the certificate, dated when the last part came in."""
        rng, placement = self.rng, it.placement
        level, academic, placement_rating, mentor_rating = it.spec["scores"]
        rubric = rubric_for(placement.university_id)
        pairs = [(c, max(60, min(100, level + rng.randint(-5, 5)))) for c in rubric.criteria]
        evaluated = at(placement.ends_on - timedelta(days=4), 3)
        scored = at(placement.ends_on + timedelta(days=6), 4)
        total = ev.weighted_total([(s, c.weight) for c, s in pairs])
        grade = ev.final_grade(total, academic, rubric.mentor_weight)
        db.session.add_all(
            [
                ev.MentorEvaluation(
                    placement_id=placement.id,
                    mentor_id=it.mentor.id,
                    total=total,
                    scores=[
                        {"key": c.key, "name": c.name, "weight": c.weight, "score": s}
                        for c, s in pairs
                    ],
                    comment=rng.choice(story.MENTOR_COMMENTS),
                    submitted_at=evaluated,
                    created_at=evaluated,
                    updated_at=evaluated,
                ),
                ev.AcademicScore(
                    placement_id=placement.id,
                    supervisor_id=it.dpl.id,
                    score=academic,
                    comment=story.ACADEMIC_COMMENT,
                    submitted_at=scored,
                    created_at=scored,
                    updated_at=scored,
                ),
                ev.FinalGrade(
                    placement_id=placement.id,
                    mentor_total=total,
                    academic_score=float(academic),
                    mentor_weight=rubric.mentor_weight,
                    grade=grade,
                    computed_at=scored,
                ),
                ev.StudentFeedback(
                    placement_id=placement.id,
                    student_id=it.student.id,
                    mentor_id=it.mentor.id,
                    agency_id=placement.agency_id,
                    placement_rating=placement_rating,
                    mentor_rating=mentor_rating,
                    comment=rng.choice(story.FEEDBACK),
                    created_at=evaluated + timedelta(days=2),
                    updated_at=evaluated + timedelta(days=2),
                ),
            ]
        )
        agency = self.agencies_by_id[placement.agency_id]
        certificate = issue_certificate(
            kind="internship",
            subject=it.student,
            title=f"{it.position.title} — {agency.name}",
            source_type=CERTIFICATE_SOURCE,
            source_id=placement.id,
            starts_on=placement.starts_on,
            ends_on=placement.ends_on,
            agency_id=agency.id,
            issued_on=clock.local_time(scored).date(),
            actor=it.dpl,
        )
        certificate.created_at = certificate.updated_at = scored
        self.counts["certificates"] += 1
        self.notice(
            it.student,
            "internships.graded",
            it.here,
            scored,
            read=it.student.email != story.GRACE,
            grade=f"{grade:.2f}",
            number=certificate.number,
            **it.params,
        )
