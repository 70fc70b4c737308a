"""Worlds of the internship and training export tests: two sides, A and B (a university, an OPD
and their people each), whose names, e-mails, NIM, NIP and titles all carry the side's tag, so
that an export by side A can be searched for anything of side B."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import sqlalchemy as sa

from portal.auth.models import Role
from portal.curricula.models import CurriculumState
from portal.db import utcnow
from portal.internships.applications.models import ApplicationState
from portal.internships.evaluation.models import StudentFeedback
from portal.internships.guidance.models import GuidanceSession, SessionMode
from portal.internships.models import Placement
from portal.trainings.models import BatchState, RegistrationState
from portal.trainings.quizzes.models import QuizAttempt, QuizKind, QuizSet
from portal.trainings.recognition import services as recognition_services
from portal.trainings.recognition.models import (
    AwardKind,
    AwardNomination,
    ProposalState,
    RecognitionProposal,
    RecognitionRule,
)
from portal.util import clock
from tests.trainings.ledger_support import submit


def _english(*users) -> None:
    for user in users:
        user.locale = "en"


# --- internships ---------------------------------------------------------------------------------


def _internship_side(make, imake, tag: str, period) -> SimpleNamespace:
    low = tag.lower()
    s = SimpleNamespace(tag=tag)
    s.uni = make.university(name=f"Universitas {tag}", short_name=f"UNI{tag}")
    s.agency = make.agency(name=f"Dinas {tag}", short_name=f"OPD{tag}")
    s.staff = make.user(
        Role.UNIVERSITY,
        university=s.uni,
        full_name=f"Dosen {tag}",
        email=f"dosen.{low}@example.com",
    )
    s.student = imake.student(
        s.uni, full_name=f"Mahasiswa {tag}", email=f"mhs.{low}@example.com", nim=f"NIM{tag}{tag}77"
    )
    s.opd = make.user(
        Role.ADMIN,
        admin_agency=s.agency,
        full_name=f"Admin {tag}",
        email=f"admin.{low}@example.com",
    )
    s.mentor = imake.mentor(s.agency)
    s.mentor.full_name = f"Mentor {tag}"
    s.position = imake.position(
        s.agency,
        period=period,
        mentors=[s.mentor],
        title=f"Magang {tag}",
        starts_on=period.starts_on,
        ends_on=period.ends_on,
    )
    s.placement = _placement(imake, s, s.student, s.mentor, supervisor=s.staff)
    # A second intern of the same OPD and university, with another mentor and no DPL.
    s.other_mentor = imake.mentor(s.agency)
    s.other_mentor.full_name = f"Pembimbing Lain {tag}"
    s.other_student = imake.student(
        s.uni, full_name=f"Siswa Lain {tag}", email=f"lain.{low}@example.com"
    )
    s.other_placement = _placement(imake, s, s.other_student, s.other_mentor)
    for placement, mentor in ((s.placement, s.mentor), (s.other_placement, s.other_mentor)):
        imake.session.add(
            StudentFeedback(
                placement_id=placement.id,
                student_id=placement.student_id,
                mentor_id=mentor.id,
                agency_id=s.agency.id,
                placement_rating=4,
                mentor_rating=5,
                comment=f"Komentar {tag}",
            )
        )
        imake.session.add(
            GuidanceSession(
                placement_id=placement.id,
                mentor_id=mentor.id,
                held_on=date(2026, 3, 2),
                duration_minutes=60,
                mode=SessionMode.ON_SITE,
                topics=f"Topik {tag}",
                private_notes=f"Rahasia {tag}",
            )
        )
    _english(s.staff, s.student, s.opd, s.mentor, s.other_mentor, s.other_student)
    return s


def _placement(imake, side, student, mentor, supervisor=None) -> Placement:
    application = imake.application(side.position, student=student, state=ApplicationState.ACCEPTED)
    placement = Placement(
        application_id=application.id,
        student_id=student.id,
        position_id=side.position.id,
        period_id=side.position.period_id,
        university_id=side.uni.id,
        agency_id=side.agency.id,
        mentor_id=mentor.id,
        supervisor_id=supervisor.id if supervisor else None,
        starts_on=side.position.starts_on,
        ends_on=side.position.ends_on,
    )
    imake.session.add(placement)
    imake.session.flush()
    return placement


def internship_world(make, tags: str = "AB") -> SimpleNamespace:
    """Sides A and B (see the module; other ``tags`` for more rows); one shared period; a city
    admin."""
    imake = make.internships
    today = clock.today()
    period = imake.period(
        name=f"Periode Ekspor {tags}",
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=60),
    )
    w = SimpleNamespace(period=period, imake=imake)
    w.a = _internship_side(make, imake, tags[0], period)
    w.b = _internship_side(make, imake, tags[1], period)
    w.city_admin = imake.city_admin()
    _english(w.city_admin)
    make.session.flush()
    return w


# --- trainings -----------------------------------------------------------------------------------


def _training_side(make, tmake, tag: str, rule) -> SimpleNamespace:
    low = tag.lower()
    s = SimpleNamespace(tag=tag)
    s.uni = make.university(name=f"Universitas {tag}", short_name=f"UNI{tag}")
    s.agency = make.agency(name=f"Dinas {tag}", short_name=f"OPD{tag}")
    s.opd = make.user(
        Role.ADMIN,
        admin_agency=s.agency,
        full_name=f"Admin {tag}",
        email=f"admin.{low}@example.com",
    )
    s.facilitator = make.user(
        Role.UNIVERSITY,
        university=s.uni,
        full_name=f"Dosen {tag}",
        email=f"dosen.{low}@example.com",
    )
    s.staff = make.user(Role.UNIVERSITY, university=s.uni, full_name=f"Staf {tag}")
    user = make.user(
        Role.ASN, agency=s.agency, full_name=f"Pegawai {tag}", email=f"asn.{low}@example.com"
    )
    s.asn = make.asn_profile(
        user,
        supervisor=make.asn_profile(
            make.user(Role.ASN, agency=s.agency, full_name=f"Atasan {tag}")
        ),
    )
    curriculum = make.curriculum(
        s.uni, agency=s.agency, state=CurriculumState.PUBLISHED, title=f"Kurikulum {tag}"
    )
    start = utcnow().replace(microsecond=0) - timedelta(hours=5)
    s.batch = tmake.batch(
        curriculum=curriculum, title=f"Pelatihan {tag}", start=start, facilitators=[s.facilitator]
    )
    s.draft = tmake.batch(curriculum=curriculum, title=f"Draf {tag}", state=BatchState.DRAFT)
    s.registration = tmake.registration(s.batch, s.asn, state=RegistrationState.ENROLLED)
    post = QuizSet(batch_id=s.batch.id, kind=QuizKind.POST)
    make.session.add(post)
    make.session.flush()
    make.session.add(
        QuizAttempt(set_id=post.id, registration_id=s.registration.id, score=90.0, passed=True)
    )
    s.entry = submit(s.asn, title=f"Seminar {tag}")
    make.session.add(
        RecognitionProposal(
            asn_id=s.asn.id,
            agency_id=s.agency.id,
            rule_id=rule.id,
            period=2026,
            title=f"Penghargaan {tag}",
            state=ProposalState.PROPOSED,
        )
    )
    make.session.add(
        AwardNomination(
            asn_id=s.asn.id,
            agency_id=s.agency.id,
            award=AwardKind.PEGAWAI_TELADAN,
            category=f"Kategori {tag}",
            year=2026,
            justification="Berprestasi.",
        )
    )
    _english(s.opd, s.facilitator, s.staff, user)
    return s


def training_world(make, tags: str = "AB") -> SimpleNamespace:
    """Sides A and B: each an OPD (partner of its curriculum), a university facilitator, an ASN
    enrolled in the side's open batch with a passed post-test to record, a record to verify, a
    recognition proposal and a nomination; a draft batch; a city admin."""
    tmake = make.trainings
    rule = make.session.scalars(sa.select(RecognitionRule).order_by(RecognitionRule.id)).first()
    if rule is None:
        recognition_services.seed_rules()
        rule = make.session.scalars(sa.select(RecognitionRule).order_by(RecognitionRule.id)).first()
    w = SimpleNamespace(tmake=tmake, rule=rule)
    w.a = _training_side(make, tmake, tags[0], rule)
    w.b = _training_side(make, tmake, tags[1], rule)
    w.city_admin = make.user(Role.ADMIN, full_name="Admin Kota")
    _english(w.city_admin)
    make.session.flush()
    return w
