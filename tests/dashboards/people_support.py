"""Worlds for the dashboard tests of the student, mentor, university and ASN panels: each one
``grow(n)``s, so a test reads the dashboard with a small world and again with a bigger one."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from portal.auth.models import AccountStatus, Role
from portal.competency.assessments.services import record_assessment
from portal.competency.models import AssessmentMethod
from portal.curricula.models import CurriculumState
from portal.curricula.proposals.models import ReviewComment
from portal.db import utcnow
from portal.internships.applications.models import ApplicationState
from portal.internships.guidance.models import GuidanceSession, SessionMode, SessionState
from portal.internships.placements.models import EntryState, ReportState
from portal.notify import Notification
from portal.trainings.evaluation.models import L3Form, Respondent
from portal.trainings.ledger.conversion import Unit
from portal.trainings.ledger.models import EntryState as LedgerState
from portal.trainings.ledger.models import LedgerEntry, LedgerSource
from portal.trainings.models import BatchState, RegistrationState
from portal.trainings.quizzes.models import QuizChoice, QuizKind, QuizQuestion, QuizSet
from portal.util import clock
from tests.internships.placement_support import entry, make_placement, report, today

S = ApplicationState
_seq = itertools.count(1)


class StudentWorld:
    """A student of ``uni`` with a running placement (SKS planned) and open applications."""

    def __init__(self, make, imake, *, locale="en"):
        self.make, self.imake, self.session = make, imake, make.session
        self.uni, self.agency = make.university(), make.agency()
        self.mentor = imake.mentor(self.agency)
        self.student = imake.student(self.uni, locale=locale)
        self.placement = make_placement(
            make,
            imake,
            university=self.uni,
            agency=self.agency,
            mentor=self.mentor,
            student=self.student,
            planned_sks=1,
            starts=-40,
        )
        report(self.session, imake, self.placement, state=ReportState.RETURNED)
        self.day = 1

    def grow(self, n: int) -> None:
        for i in range(n):
            state = [S.SUBMITTED, S.ENDORSED, S.OFFERED, S.REJECTED][i % 4]
            self.imake.application(student=self.student, state=state)
            entry(
                self.session,
                self.placement,
                days_ago=self.day,
                state=[EntryState.APPROVED, EntryState.RETURNED][i % 2],
                minutes=450,
            )
            self.day += 1
            self.session.add(
                Notification(
                    user_id=self.student.id,
                    category="internships",
                    message_key="internships.academic_scored",
                    params={"student": f"Mahasiswa {next(_seq)}"},
                )
            )
        self.session.flush()


class MentorWorld:
    """A mentor with running mentees (entries waiting), sessions this month, and placements
    ending soon without the mentor's evaluation; plus another mentor's mentee at the same OPD."""

    def __init__(self, make, imake, *, locale="en"):
        self.make, self.imake, self.session = make, imake, make.session
        self.uni, self.agency = make.university(), make.agency()
        self.mentor = imake.mentor(self.agency)
        self.mentor.locale = locale
        self.other_mentor = imake.mentor(self.agency)
        self.foreign = make_placement(
            make, imake, university=self.uni, agency=self.agency, mentor=self.other_mentor
        )
        self.foreign_student = self.foreign.student_id
        entry(self.session, self.foreign, state=EntryState.SUBMITTED)
        self.placements = []

    def grow(self, n: int) -> None:
        for i in range(n):
            ends = 5 if i % 2 else 60  # every other one ends within the evaluation window
            p = make_placement(
                self.make,
                self.imake,
                university=self.uni,
                agency=self.agency,
                mentor=self.mentor,
                ends=ends,
            )
            self.placements.append(p)
            entry(self.session, p, days_ago=1, state=EntryState.SUBMITTED)
            entry(self.session, p, days_ago=2, state=EntryState.APPROVED)
            self.session.add(
                GuidanceSession(
                    placement_id=p.id,
                    mentor_id=self.mentor.id,
                    held_on=today().replace(day=1),
                    duration_minutes=60,
                    mode=SessionMode.ON_SITE,
                    topics="Rencana kerja",
                    state=SessionState.LOGGED if i % 2 else SessionState.CONFIRMED,
                )
            )
        self.session.flush()


class UniversityWorld:
    """Staff of university A with students, applications, placements under DPLs and curriculum
    proposals; university B has the same kinds of rows, which A must never see."""

    def __init__(self, make, imake, *, locale="en"):
        self.make, self.imake, self.session = make, imake, make.session
        self.uni, self.other_uni, self.agency = make.university(), make.university(), make.agency()
        self.staff = make.user(
            Role.UNIVERSITY, university=self.uni, locale=locale, full_name="Staf Kampus A"
        )
        self.dpl = make.user(Role.UNIVERSITY, university=self.uni, full_name="Dr. Dosen A")
        self.other_dpl = make.user(
            Role.UNIVERSITY, university=self.other_uni, full_name="Dr. Dosen B"
        )
        self.mentor = imake.mentor(self.agency, limit=100)

    def grow(self, n: int) -> None:
        for i in range(n):
            for uni, dpl in ((self.uni, self.dpl), (self.other_uni, self.other_dpl)):
                self.imake.application(
                    student=self.imake.student(uni), state=[S.SUBMITTED, S.SHORTLISTED][i % 2]
                )
                make_placement(
                    self.make,
                    self.imake,
                    university=uni,
                    agency=self.agency,
                    mentor=self.mentor,
                    supervisor=dpl if i % 2 else None,
                )
                self.make.user(Role.STUDENT, university=uni, status=AccountStatus.PENDING)
                cur = self.make.curriculum(
                    uni, state=[CurriculumState.CHANGES_REQUESTED, CurriculumState.PUBLISHED][i % 2]
                )
                self.session.add(ReviewComment(curriculum_id=cur.id, body="Perbaiki modul 1."))
        self.session.flush()


class AsnWorld:
    """An ASN (PNS) whose position requires level 3 in competencies assessed at level 1 (gap 2)
    or 2 (gap 1), with JP records this year, published curricula and open batches for the gaps,
    and evaluations waiting (L1 surveys, post-tests, L3 forms)."""

    def __init__(self, make, tmake, *, locale="en"):
        self.make, self.tmake, self.session = make, tmake, make.session
        self.agency = make.agency()
        self.competencies, self.levels = [], {}
        self.position = make.position(agency=self.agency, competencies=[], level=3)
        self.boss = make.asn_profile(make.user(Role.ASN, agency=self.agency))
        self.user = make.user(Role.ASN, agency=self.agency, locale=locale)
        self.asn = make.asn_profile(self.user, position=self.position, supervisor=self.boss)
        self.year = today().year

    def _competency(self, level: int):
        from portal.competency.models import StandardItem

        competency = self.make.competency(agency=self.agency, name=f"Kompetensi {next(_seq)}")
        self.session.add(
            StandardItem(
                position_id=self.position.id, competency_id=competency.id, required_level=3
            )
        )
        self.competencies.append(competency)
        self.levels[competency.id] = level
        return competency

    def grow(self, n: int) -> None:
        for i in range(n):
            gap_competency = self._competency(1 if i == 0 else 2)
            self._competency(3)  # meets the standard: no gap, no recommendation
            cur = self.make.curriculum(
                state=CurriculumState.PUBLISHED,
                agency=self.agency,
                competency=gap_competency,
                title=f"Kurikulum {i}",
            )
            self.tmake.batch(
                curriculum=cur,
                title=f"Angkatan {i}",
                start=utcnow().replace(microsecond=0) + timedelta(days=10 + i),
            )
            self._ledger(i)
            self._evaluations()
        self.session.flush()
        record_assessment(
            self.asn,
            actor=None,
            method=AssessmentMethod.UJI_KOMPETENSI,
            assessed_on=clock.today(),
            assessor="UPT",
            levels=dict(self.levels),
        )
        self.session.flush()

    def _ledger(self, i: int) -> None:
        day = date(self.year, 1, 2)
        self.session.add(
            LedgerEntry(
                asn_id=self.asn.id,
                year=self.year,
                source=LedgerSource.EXTERNAL,
                form="seminar",
                title=f"Seminar {i}",
                organiser="Kemendagri",
                started_on=day,
                ended_on=day,
                quantity=1,
                unit=Unit.PER_DAY,
                jp=2.5,
                state=LedgerState.VERIFIED if i % 2 == 0 else LedgerState.SUBMITTED,
            )
        )

    def _evaluations(self) -> None:
        past = utcnow().replace(microsecond=0) - timedelta(days=3)
        running = self.tmake.batch(start=past, state=BatchState.CLOSED)
        reg = self.tmake.registration(running, self.asn, state=RegistrationState.ENROLLED)
        post = QuizSet(batch_id=running.id, kind=QuizKind.POST)
        self.session.add(post)
        self.session.flush()
        question = QuizQuestion(set_id=post.id, text="Apa itu SPBE?")
        question.choices = [QuizChoice(text="Benar", is_correct=True), QuizChoice(text="Salah")]
        self.session.add(question)
        self.session.add(
            L3Form(
                registration_id=reg.id,
                respondent=Respondent.ASN,
                respondent_user_id=self.user.id,
                sent_on=today(),
                due_on=today() + timedelta(days=14),
            )
        )
