"""Applying, the limit of open applications per period, the university's endorsement, the OPD's
decisions, offers and their expiry: service level, on the real database."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from portal.audit import AuditEvent
from portal.auth.models import AccountStatus, Role
from portal.db import utcnow
from portal.errors import DomainError, InvalidTransition
from portal.internships import application_services as apps
from portal.internships import placement_services as placements
from portal.internships import workflow
from portal.internships.applications import Application, ApplicationEvent, ApplicationState
from portal.internships.models import PositionState
from portal.notify import Notification

S = ApplicationState


def notices(db, user) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(Notification.message_key)
            .where(Notification.user_id == user.id)
            .order_by(Notification.id)
        )
    )


def apply(imake, position, student, **kw):
    return apps.apply(position, actor=student, motivation="Saya tertarik pada SPBE.",
                      cv=imake.cv(student), **kw)  # fmt: skip


# --- applying ----------------------------------------------------------------------------------


def test_a_verified_student_applies_and_the_university_hears_of_it(db, make, imake, outbox):
    university = make.university()
    staff = imake.university_staff(university)
    student = imake.student(university, full_name="Dinda Aulia Putri")
    position = imake.position(title="Magang Bidang Aplikasi Informatika")

    application = apply(imake, position, student)

    assert application.state == S.SUBMITTED and application.rank == 1
    assert (application.university_id, application.agency_id) == (university.id, position.agency_id)
    [event] = application.events
    assert (event.action, event.from_state, event.to_state, event.actor_id) == (
        workflow.APPLY, None, S.SUBMITTED, student.id,
    )  # fmt: skip
    assert notices(db, staff) == ["internships.submitted"]
    [mail] = outbox(staff.email)
    assert "Dinda Aulia Putri" in mail.body_text
    assert db.session.scalar(
        sa.select(AuditEvent.id).where(AuditEvent.action == "internship.application")
    )


@pytest.mark.parametrize("who", ["pending", "rejected", "deactivated", "asn", "university"])
def test_only_verified_students_apply(make, imake, who):
    position = imake.position()
    if who in ("pending", "rejected"):
        user = imake.student(status=AccountStatus(who))
    elif who == "deactivated":
        user = imake.student(is_active_flag=False)
    else:
        user = make.user(Role(who))
    with pytest.raises(DomainError, match="verified"):
        apply(imake, position, user)


@pytest.mark.parametrize("state", [PositionState.DRAFT, PositionState.CLOSED])
def test_only_published_positions_take_applications(imake, state):
    with pytest.raises(DomainError, match="not open"):
        apply(imake, imake.position(state=state), imake.student())


def test_the_deadline_is_the_last_day_in_medan(imake):
    position = imake.position()
    wib = ZoneInfo("Asia/Jakarta")
    last_minute = datetime.combine(position.application_deadline, time(23, 59), wib)
    apply(imake, position, imake.student(), now=last_minute.astimezone(ZoneInfo("UTC")))
    with pytest.raises(DomainError, match="deadline"):
        apply(imake, position, imake.student(), now=last_minute + timedelta(minutes=2))


def test_one_application_per_position(imake):
    position, student = imake.position(), imake.student()
    apply(imake, position, student)
    with pytest.raises(DomainError, match="already applied"):
        apply(imake, position, student)


def test_the_cv_is_the_students_own_pdf(db, imake):
    import io

    from werkzeug.datastructures import FileStorage

    from portal import uploads

    position, student, other = imake.position(), imake.student(), imake.student()
    png = uploads.store(FileStorage(io.BytesIO(b"\x89PNG\r\n\x1a\n0000"), filename="cv.png"),
                        allowed=("png",), actor=student)  # fmt: skip
    for cv in (None, png, imake.cv(other)):
        with pytest.raises(DomainError, match="PDF"):
            apps.apply(position, actor=student, motivation="Motivasi.", cv=cv)
    with pytest.raises(DomainError, match="motivation"):
        apps.apply(position, actor=student, motivation="  ", cv=imake.cv(student))


def english(app, message) -> str:
    """A refusal as an English-speaking user reads it (placeholders filled in)."""
    with app.test_request_context(headers={"Accept-Language": "en"}):
        return str(message)


def test_at_most_three_open_applications_per_period(app, db, imake):
    student = imake.student()
    period, other_period = imake.period(), imake.period()
    positions = [imake.position(period=period) for _ in range(5)]
    first, second, third = (apply(imake, p, student) for p in positions[:3])
    assert [first.rank, second.rank, third.rank] == [1, 2, 3]

    with pytest.raises(DomainError) as refused:
        apply(imake, positions[3], student)
    assert english(app, refused.value.message) == (
        "You already have 3 open applications in this period; withdraw one first."
    )
    apply(imake, imake.position(period=other_period), student)  # another period: its own limit

    apps.withdraw_application(second, actor=student)  # frees a slot and its rank
    assert second.rank is None
    fourth = apply(imake, positions[3], student)
    assert fourth.rank == 2
    with pytest.raises(DomainError, match="open applications in this period"):
        apply(imake, positions[4], student)


def test_decided_applications_do_not_count(imake):
    student, period = imake.student(), imake.period()
    for state in (S.DECLINED_BY_UNIVERSITY, S.REJECTED, S.OFFER_EXPIRED, S.WITHDRAWN):
        imake.application(imake.position(period=period), student=student, state=state)
    imake.application(imake.position(period=period), student=student, state=S.OFFERED)
    imake.application(imake.position(period=period), student=student, state=S.WAITLISTED)
    apply(imake, imake.position(period=period), student)
    with pytest.raises(DomainError, match="open applications in this period"):
        apply(imake, imake.position(period=period), student)


def test_preference_ranks_are_unique_among_open_applications(imake):
    student, period = imake.student(), imake.period()
    apply(imake, imake.position(period=period), student, rank=2)
    with pytest.raises(DomainError, match="is already given"):
        apply(imake, imake.position(period=period), student, rank=2)
    for bad in (0, 4):
        with pytest.raises(DomainError, match="between 1 and"):
            apply(imake, imake.position(period=period), student, rank=bad)
    assert apply(imake, imake.position(period=period), student).rank == 1


def test_the_database_holds_the_rank_rule_too(db, imake):
    """Two applications sent at the same moment with the same rank cannot both be stored."""
    student, period = imake.student(), imake.period()
    imake.application(imake.position(period=period), student=student, rank=1)
    with pytest.raises(sa.exc.IntegrityError), db.session.begin_nested():
        imake.application(imake.position(period=period), student=student, rank=1)


def test_the_limit_follows_the_configuration(app, imake, monkeypatch):
    monkeypatch.setitem(app.config, "INTERNSHIP_MAX_OPEN_APPLICATIONS", 1)
    student, period = imake.student(), imake.period()
    apply(imake, imake.position(period=period), student)
    with pytest.raises(DomainError, match="open applications in this period"):
        apply(imake, imake.position(period=period), student)


# --- the university ----------------------------------------------------------------------------


def test_endorsing_shows_the_application_to_the_opd(db, make, imake):
    agency = make.agency()
    opd = imake.opd_admin(agency)
    application = imake.application(imake.position(agency))
    staff = imake.university_staff(application.student.university)
    assert not application.can_view(opd)

    apps.endorse_application(application, actor=staff)

    assert application.state == S.ENDORSED and application.reached_opd
    assert application.can_view(opd)
    assert notices(db, opd) == ["internships.new_endorsed"]
    assert "internships.endorsed" in notices(db, application.student)


def test_declined_applications_never_reach_the_opd(db, make, imake):
    agency = make.agency()
    opd, city = imake.opd_admin(agency), imake.city_admin()
    position = imake.position(agency)
    declined = imake.application(position)
    staff = imake.university_staff(declined.student.university)

    with pytest.raises(DomainError, match="reason"):
        apps.decline_application(declined, actor=staff, reason="  ")
    assert declined.state == S.SUBMITTED
    apps.decline_application(declined, actor=staff, reason="IPK belum memenuhi syarat.")
    endorsed = imake.application(position, state=S.ENDORSED)

    assert declined.decision_reason == "IPK belum memenuhi syarat."
    assert "internships.declined" in notices(db, declined.student)
    assert notices(db, opd) == []
    for admin in (opd, city):
        queue = set(
            db.session.scalars(sa.select(Application.id).where(Application.visible_to(admin)))
        )
        assert queue == {endorsed.id}
        assert not declined.can_view(admin)
        assert workflow.allowed_actions(declined, admin) == []
        with pytest.raises(InvalidTransition):
            apps.shortlist_application(declined, actor=admin)


def test_bulk_endorse_counts_and_says_why_per_item(app, db, make, imake):
    university = make.university()
    staff = imake.university_staff(university)
    position = imake.position()
    mine = [imake.application(position, student=imake.student(university)) for _ in range(3)]
    already = imake.application(position, student=imake.student(university), state=S.ENDORSED)
    foreign = imake.application(position)  # another university's student

    result = apps.bulk_endorse([a.id for a in mine] + [already.id, foreign.id, 999_999],
                               actor=staff)  # fmt: skip

    assert sorted(result.endorsed) == sorted(a.id for a in mine)
    assert set(result.refused) == {already.id, foreign.id, 999_999}
    why = {i: english(app, text) for i, text in result.refused.items()}
    assert why[already.id] == (
        "“Endorse” is not possible while the application is “Endorsed by the university”."
    )
    assert why[foreign.id] == "This application is not among your students' applications."
    assert why[999_999] == why[foreign.id]  # whether it exists does not leak
    assert foreign.state == S.SUBMITTED and not foreign.reached_opd
    assert all(a.state == S.ENDORSED for a in mine)


# --- the OPD and the student's answer ----------------------------------------------------------


def test_an_offer_expires_after_the_configured_days(app, db, make, imake, monkeypatch):
    agency = make.agency()
    opd = imake.opd_admin(agency)
    application = imake.application(imake.position(agency), state=S.SHORTLISTED)
    monkeypatch.setitem(app.config, "INTERNSHIP_OFFER_DAYS", 3)
    now = utcnow()

    apps.offer_application(application, actor=opd, now=now)

    assert application.offer_expires_at == now + timedelta(days=3)
    assert "internships.offered" in notices(db, application.student)


def test_reject_needs_a_reason_the_student_reads(db, make, imake):
    agency = make.agency()
    opd = imake.opd_admin(agency)
    application = imake.application(imake.position(agency), state=S.WAITLISTED)
    with pytest.raises(DomainError, match="reason"):
        apps.reject_application(application, actor=opd, reason="")
    apps.reject_application(application, actor=opd, reason="Kuota bidang sudah penuh.")
    assert application.state == S.REJECTED and application.rank is None
    assert application.events[-1].note == "Kuota bidang sudah penuh."
    assert "internships.rejected" in notices(db, application.student)


def test_expired_offers_cannot_be_accepted_and_the_daily_job_closes_them(db, imake):
    position = imake.position(quota=3)
    now = utcnow()
    late = imake.application(position, state=S.OFFERED, offer_expires_at=now - timedelta(minutes=1))
    fresh = imake.application(position, state=S.OFFERED, offer_expires_at=now + timedelta(days=1))

    with pytest.raises(InvalidTransition, match="expired"):
        placements.accept_offer(late, actor=late.student, now=now)
    assert workflow.allowed_actions(late, late.student, now=now) == [
        workflow.ApplicationAction.DECLINE_OFFER
    ]

    assert apps.expire_offers(now) == 1
    assert apps.expire_offers(now) == 0
    assert late.state == S.OFFER_EXPIRED and fresh.state == S.OFFERED
    assert late.events[-1].actor_id is None
    assert "internships.offer_expired" in notices(db, late.student)
    with pytest.raises(InvalidTransition):
        placements.accept_offer(late, actor=late.student, now=now - timedelta(days=1))
    assert db.session.scalar(
        sa.select(sa.func.count()).select_from(ApplicationEvent).where(
            ApplicationEvent.application_id == late.id
        )
    ) == 1  # fmt: skip


def test_the_student_declines_an_offer(db, make, imake):
    agency = make.agency()
    opd = imake.opd_admin(agency)
    application = imake.application(imake.position(agency), state=S.OFFERED)
    apps.decline_offer(application, actor=application.student)
    assert application.state == S.OFFER_DECLINED
    assert notices(db, opd) == ["internships.offer_declined"]


def test_withdrawal_tells_whoever_holds_the_application(db, make, imake):
    agency, university = make.agency(), make.university()
    opd, staff = imake.opd_admin(agency), imake.university_staff(university)
    position = imake.position(agency)
    early = imake.application(position, student=imake.student(university))
    late = imake.application(position, student=imake.student(university), state=S.SHORTLISTED)
    apps.withdraw_application(early, actor=early.student)
    apps.withdraw_application(late, actor=late.student)
    assert notices(db, staff).count("internships.withdrawn") == 1
    assert notices(db, opd).count("internships.withdrawn") == 1


# --- who sees what -----------------------------------------------------------------------------


def test_can_view_and_the_list_clause_agree(db, make, imake):
    university, agency = make.university(), make.agency()
    position = imake.position(agency)
    student = imake.student(university)
    applications = [
        imake.application(position, student=student, state=S.SUBMITTED),
        imake.application(imake.position(agency), student=student, state=S.DECLINED_BY_UNIVERSITY),
        imake.application(imake.position(agency), student=student, state=S.WITHDRAWN),
        imake.application(imake.position(agency), student=student, state=S.SHORTLISTED),
        imake.application(imake.position(), state=S.ENDORSED),
        imake.application(imake.position(agency), state=S.OFFERED),
    ]
    users = [
        student, imake.student(university), imake.university_staff(university),
        imake.university_staff(make.university()), imake.opd_admin(agency),
        imake.opd_admin(make.agency()), imake.city_admin(), imake.mentor(agency),
        make.user(Role.ASN),
    ]  # fmt: skip
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


def test_nul_characters_never_reach_the_database(db, make, imake):
    """PostgreSQL refuses NUL in text (QUALITY.md finding 4); the services drop it."""
    agency = make.agency()
    position = imake.position(agency)
    application = apps.apply(position, actor=imake.student(), motivation="Motivasi\x00 saya.",
                             cv=imake.cv())  # fmt: skip
    staff = imake.university_staff(application.student.university)
    apps.decline_application(application, actor=staff, reason="Belum\x00 memenuhi syarat.")
    db.session.expire_all()
    assert application.motivation == "Motivasi saya."
    assert application.decision_reason == "Belum memenuhi syarat."
