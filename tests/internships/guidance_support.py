"""Placements, guidance sessions and evaluations made directly (states set by hand) for the
guidance, evaluation and certificate tests: ``gmake`` on top of ``make`` and ``imake``."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from portal.auth.models import Role
from portal.db import utcnow
from portal.internships.applications.models import ApplicationState
from portal.internships.evaluation.models import AcademicScore, MentorEvaluation, StudentFeedback
from portal.internships.guidance.models import (
    GuidanceAction,
    GuidanceSession,
    SessionMode,
    SessionState,
)
from portal.internships.models import Placement, PlacementStatus


def local_today() -> date:
    """Today in Medan (WIB), as the services see it."""
    return datetime.now(ZoneInfo("Asia/Jakarta")).date()


class GuidanceFactories:
    def __init__(self, make, imake):
        self.make, self.imake, self.session = make, imake, make.session

    def placement(
        self,
        *,
        student=None,
        mentor=None,
        supervisor="new",
        university=None,
        agency=None,
        status=PlacementStatus.ACTIVE,
        starts_on=None,
        ends_on=None,
        title=None,
    ) -> Placement:
        """An accepted application's placement: running since 60 days, ending in 30 (unless
        told otherwise), with a DPL of the student's university unless ``supervisor=None``."""
        today = local_today()
        university = university or (student.university if student else self.make.university())
        agency = agency or (mentor.agency if mentor else self.make.agency())
        mentor = mentor or self.imake.mentor(agency)
        student = student or self.imake.student(university)
        starts_on = starts_on or today - timedelta(days=60)
        ends_on = ends_on or today + timedelta(days=30)
        kw = {"title": title} if title else {}
        position = self.imake.position(
            agency, mentors=[mentor], starts_on=starts_on, ends_on=ends_on, **kw
        )
        application = self.imake.application(
            position, student=student, state=ApplicationState.ACCEPTED
        )
        if supervisor == "new":
            supervisor = self.make.user(Role.UNIVERSITY, university=university)
        obj = Placement(
            application_id=application.id,
            student_id=student.id,
            position_id=position.id,
            period_id=position.period_id,
            university_id=student.university_id,
            agency_id=agency.id,
            mentor_id=mentor.id,
            supervisor_id=supervisor.id if supervisor else None,
            starts_on=starts_on,
            ends_on=ends_on,
            status=status,
            ended_at=utcnow() if status != PlacementStatus.ACTIVE else None,
        )
        self.session.add(obj)
        self.session.flush()
        return obj

    def session_row(
        self, placement, *, state=SessionState.LOGGED, held_on=None, minutes=60, actions=(), **kw
    ) -> GuidanceSession:
        obj = GuidanceSession(
            placement_id=placement.id,
            mentor_id=placement.mentor_id,
            held_on=held_on or local_today() - timedelta(days=3),
            duration_minutes=minutes,
            mode=kw.pop("mode", SessionMode.ON_SITE),
            topics=kw.pop("topics", "Review rancangan dashboard & etika data pribadi warga"),
            competencies=kw.pop("competencies", "Integritas, Komunikasi"),
            shared_notes=kw.pop("shared_notes", "Perbaiki filter per kecamatan."),
            private_notes=kw.pop("private_notes", "Catatan pribadi mentor."),
            state=state,
            confirmed_at=utcnow() if state == SessionState.CONFIRMED else None,
            **kw,
        )
        obj.actions = [GuidanceAction(text=text, due_on=None) for text in actions]
        self.session.add(obj)
        self.session.flush()
        return obj

    def mentor_evaluation(self, placement, *, total=80.0) -> MentorEvaluation:
        obj = MentorEvaluation(
            placement_id=placement.id,
            mentor_id=placement.mentor_id,
            scores=[{"key": None, "name": "Kinerja", "weight": 100, "score": int(total)}],
            total=total,
            submitted_at=utcnow(),
        )
        self.session.add(obj)
        self.session.flush()
        return obj

    def academic(self, placement, *, score=70) -> AcademicScore:
        obj = AcademicScore(
            placement_id=placement.id,
            supervisor_id=placement.supervisor_id,
            score=score,
            submitted_at=utcnow(),
        )
        self.session.add(obj)
        self.session.flush()
        return obj

    def feedback(self, placement, *, placement_rating=4, mentor_rating=5, comment=""):
        obj = StudentFeedback(
            placement_id=placement.id,
            student_id=placement.student_id,
            mentor_id=placement.mentor_id,
            agency_id=placement.agency_id,
            placement_rating=placement_rating,
            mentor_rating=mentor_rating,
            comment=comment,
        )
        self.session.add(obj)
        self.session.flush()
        return obj


@pytest.fixture
def gmake(make):
    return GuidanceFactories(make, make.internships)


def add_guidance_world(w, make, imake) -> None:
    """Objects of the guidance, evaluation and certificate pages for the world of
    ``tests/support/worlds/crawl.py`` (the integrator can call this from ``world()``):

    - ``w.placement_e3 = {"own": …, "other": …}``: the world's student at the world's OPD with
      the world's mentor and the world's university user as DPL; "other" is all at B.
    - ``w.guidance_session``: a logged session of each placement (the mentor may still edit it).
    - ``w.certificate``: ``{"student": …, "asn": …, "other": …}`` certificates (the student's, an
      ASN's training one, and one of a student at B).

    URL fillers: ``placement_id`` → ``w.placement_e3[owner].id``; ``session_id`` →
    ``w.guidance_session[owner].id``; ``number`` → ``w.certificate["student"].number``;
    ``certificate_id`` → "other": ``w.certificate["other"]``, else the acting role's own
    (``w.certificate["asn"]`` for the ASN, the student's for everyone else).
    """
    from portal.certificates.services import issue_certificate

    g = GuidanceFactories(make, imake)
    other_student = make.user(Role.STUDENT, university=w.other_uni)
    other_mentor = make.user(Role.MENTOR, agency=w.other_agency)
    w.placement_e3 = {
        "own": g.placement(
            student=w.student,
            mentor=w.mentor,
            supervisor=w.university,
            agency=w.agency,
            university=w.uni,
        ),
        "other": g.placement(
            student=other_student,
            mentor=other_mentor,
            supervisor=w.other_university,
            agency=w.other_agency,
            university=w.other_uni,
        ),
    }
    w.guidance_session = {owner: g.session_row(p) for owner, p in w.placement_e3.items()}

    def cert(user, source_id, kind="internship"):
        return issue_certificate(
            kind=kind,
            subject=user,
            title="Magang — Diskominfo",
            source_type=f"world_{kind}",
            source_id=source_id,
            agency_id=w.agency.id,
        )

    w.certificate = {
        "student": cert(w.student, w.placement_e3["own"].id),
        "asn": cert(w.asn, 1, kind="training"),
        "other": cert(other_student, w.placement_e3["other"].id),
    }
