"""The OPD's decisions, offers and their expiry, the student's answer, and who sees which
application: service level, on the real database."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.auth.models import Role
from portal.db import utcnow
from portal.errors import DomainError, InvalidTransition
from portal.internships import lifecycle
from portal.internships.applications import services as apps
from portal.internships.applications import workflow
from portal.internships.applications.models import Application, ApplicationEvent, ApplicationState
from tests.internships.application_support import notices

S = ApplicationState


# --- the OPD and the student's answer ----------------------------------------------------------


def test_an_offer_expires_after_the_configured_days(app, db, make, monkeypatch):
    agency = make.agency()
    opd = make.internships.opd_admin(agency)
    application = make.internships.application(
        make.internships.position(agency), state=S.SHORTLISTED
    )
    monkeypatch.setitem(app.config, "INTERNSHIP_OFFER_DAYS", 3)
    now = utcnow()

    apps.offer_application(application, actor=opd, now=now)

    assert application.offer_expires_at == now + timedelta(days=3)
    assert "internships.offered" in notices(db, application.student)


def test_reject_needs_a_reason_the_student_reads(db, make):
    agency = make.agency()
    opd = make.internships.opd_admin(agency)
    application = make.internships.application(
        make.internships.position(agency), state=S.WAITLISTED
    )
    with pytest.raises(DomainError, match="reason"):
        apps.reject_application(application, actor=opd, reason="")
    apps.reject_application(application, actor=opd, reason="Kuota bidang sudah penuh.")
    assert application.state == S.REJECTED and application.rank is None
    assert application.events[-1].note == "Kuota bidang sudah penuh."
    assert "internships.rejected" in notices(db, application.student)


def test_expired_offers_cannot_be_accepted_and_the_daily_job_closes_them(db, make):
    position = make.internships.position(quota=3)
    now = utcnow()
    late = make.internships.application(
        position, state=S.OFFERED, offer_expires_at=now - timedelta(minutes=1)
    )
    fresh = make.internships.application(
        position, state=S.OFFERED, offer_expires_at=now + timedelta(days=1)
    )

    with pytest.raises(InvalidTransition, match="expired"):
        lifecycle.accept_offer(late, actor=late.student, now=now)
    assert workflow.allowed_actions(late, late.student, now=now) == [
        workflow.ApplicationAction.DECLINE_OFFER
    ]

    assert apps.expire_offers(now) == 1
    assert apps.expire_offers(now) == 0
    assert late.state == S.OFFER_EXPIRED and fresh.state == S.OFFERED
    assert late.events[-1].actor_id is None
    assert "internships.offer_expired" in notices(db, late.student)
    with pytest.raises(InvalidTransition):
        lifecycle.accept_offer(late, actor=late.student, now=now - timedelta(days=1))
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(ApplicationEvent)
            .where(ApplicationEvent.application_id == late.id)
        )
        == 1
    )


def test_the_student_declines_an_offer(db, make):
    agency = make.agency()
    opd = make.internships.opd_admin(agency)
    application = make.internships.application(make.internships.position(agency), state=S.OFFERED)
    apps.decline_offer(application, actor=application.student)
    assert application.state == S.OFFER_DECLINED
    assert notices(db, opd) == ["internships.offer_declined"]


def test_withdrawal_tells_whoever_holds_the_application(db, make):
    agency, university = make.agency(), make.university()
    opd, staff = make.internships.opd_admin(agency), make.internships.university_staff(university)
    position = make.internships.position(agency)
    early = make.internships.application(position, student=make.internships.student(university))
    late = make.internships.application(
        position, student=make.internships.student(university), state=S.SHORTLISTED
    )
    apps.withdraw_application(early, actor=early.student)
    apps.withdraw_application(late, actor=late.student)
    assert notices(db, staff).count("internships.withdrawn") == 1
    assert notices(db, opd).count("internships.withdrawn") == 1


# --- who sees what -----------------------------------------------------------------------------


def test_can_view_and_the_list_clause_agree(db, make):
    university, agency = make.university(), make.agency()
    position = make.internships.position(agency)
    student = make.internships.student(university)
    applications = [
        make.internships.application(position, student=student, state=S.SUBMITTED),
        make.internships.application(
            make.internships.position(agency), student=student, state=S.DECLINED_BY_UNIVERSITY
        ),
        make.internships.application(
            make.internships.position(agency), student=student, state=S.WITHDRAWN
        ),
        make.internships.application(
            make.internships.position(agency), student=student, state=S.SHORTLISTED
        ),
        make.internships.application(make.internships.position(), state=S.ENDORSED),
        make.internships.application(make.internships.position(agency), state=S.OFFERED),
    ]
    users = [
        student,
        make.internships.student(university),
        make.internships.university_staff(university),
        make.internships.university_staff(make.university()),
        make.internships.opd_admin(agency),
        make.internships.opd_admin(make.agency()),
        make.internships.city_admin(),
        make.internships.mentor(agency),
        make.user(Role.ASN),
    ]
    ids = [a.id for a in applications]
    for user in users:
        listed = set(
            db.session.scalars(
                sa.select(Application.id).where(
                    Application.id.in_(ids), Application.visible_to(user)
                )
            )
        )
        assert listed == {a.id for a in applications if a.can_view(user)}, user
    assert not applications[0].can_view(None)


def test_nul_characters_never_reach_the_database(db, make):
    """PostgreSQL refuses NUL in text (QUALITY.md finding 4); the services drop it."""
    agency = make.agency()
    position = make.internships.position(agency)
    application = apps.apply(
        position,
        actor=make.internships.student(),
        motivation="Motivasi\x00 saya.",
        cv=make.internships.cv(),
    )
    staff = make.internships.university_staff(application.student.university)
    apps.decline_application(application, actor=staff, reason="Belum\x00 memenuhi syarat.")
    db.session.expire_all()
    assert application.motivation == "Motivasi saya."
    assert application.decision_reason == "Belum memenuhi syarat."
