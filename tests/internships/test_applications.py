"""Applying, the limit of open applications per period and the university's endorsement: service
level, on the real database. (The OPD's decisions, offers and who sees what:
test_application_decisions.py.)"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from portal.audit import AuditEvent
from portal.auth.models import AccountStatus, Role
from portal.errors import DomainError, InvalidTransition
from portal.internships.applications import services as apps
from portal.internships.applications import workflow
from portal.internships.applications.models import Application, ApplicationState
from portal.internships.models import PositionState
from tests.internships.application_support import apply, notices

S = ApplicationState


# --- applying ----------------------------------------------------------------------------------


def test_a_verified_student_applies_and_the_university_hears_of_it(db, make, outbox):
    university = make.university()
    staff = make.internships.university_staff(university)
    student = make.internships.student(university, full_name="Dinda Aulia Putri")
    position = make.internships.position(title="Magang Bidang Aplikasi Informatika")

    application = apply(make.internships, position, student)

    assert application.state == S.SUBMITTED and application.rank == 1
    assert (application.university_id, application.agency_id) == (university.id, position.agency_id)
    [event] = application.events
    assert (event.action, event.from_state, event.to_state, event.actor_id) == (
        workflow.APPLY,
        None,
        S.SUBMITTED,
        student.id,
    )
    assert notices(db, staff) == ["internships.submitted"]
    [mail] = outbox(staff.email)
    assert "Dinda Aulia Putri" in mail.body_text
    assert db.session.scalar(
        sa.select(AuditEvent.id).where(AuditEvent.action == "internship.application")
    )


@pytest.mark.parametrize("who", ["pending", "rejected", "deactivated", "asn", "university"])
def test_only_verified_students_apply(make, who):
    position = make.internships.position()
    if who in ("pending", "rejected"):
        user = make.internships.student(status=AccountStatus(who))
    elif who == "deactivated":
        user = make.internships.student(is_active_flag=False)
    else:
        user = make.user(Role(who))
    with pytest.raises(DomainError, match="verified"):
        apply(make.internships, position, user)


@pytest.mark.parametrize("state", [PositionState.DRAFT, PositionState.CLOSED])
def test_only_published_positions_take_applications(make, state):
    with pytest.raises(DomainError, match="not open"):
        apply(make.internships, make.internships.position(state=state), make.internships.student())


def test_the_deadline_is_the_last_day_in_medan(make):
    position = make.internships.position()
    wib = ZoneInfo("Asia/Jakarta")
    last_minute = datetime.combine(position.application_deadline, time(23, 59), wib)
    apply(
        make.internships,
        position,
        make.internships.student(),
        now=last_minute.astimezone(ZoneInfo("UTC")),
    )
    with pytest.raises(DomainError, match="deadline"):
        apply(
            make.internships,
            position,
            make.internships.student(),
            now=last_minute + timedelta(minutes=2),
        )


def test_one_application_per_position(make):
    position, student = make.internships.position(), make.internships.student()
    apply(make.internships, position, student)
    with pytest.raises(DomainError, match="already applied"):
        apply(make.internships, position, student)


def test_the_cv_is_the_students_own_pdf(db, make):
    import io

    from werkzeug.datastructures import FileStorage

    from portal import uploads

    position, student, other = (
        make.internships.position(),
        make.internships.student(),
        make.internships.student(),
    )
    png = uploads.store(
        FileStorage(io.BytesIO(b"\x89PNG\r\n\x1a\n0000"), filename="cv.png"),
        allowed=("png",),
        actor=student,
    )
    for cv in (None, png, make.internships.cv(other)):
        with pytest.raises(DomainError, match="PDF"):
            apps.apply(position, actor=student, motivation="Motivasi.", cv=cv)
    with pytest.raises(DomainError, match="motivation"):
        apps.apply(position, actor=student, motivation="  ", cv=make.internships.cv(student))


def in_english(app, message) -> str:
    """A refusal as an English-speaking user reads it (placeholders filled in)."""
    with app.test_request_context(headers={"Accept-Language": "en"}):
        return str(message)


def test_at_most_three_open_applications_per_period(app, db, make):
    student = make.internships.student()
    period, other_period = make.internships.period(), make.internships.period()
    positions = [make.internships.position(period=period) for _ in range(5)]
    first, second, third = (apply(make.internships, p, student) for p in positions[:3])
    assert [first.rank, second.rank, third.rank] == [1, 2, 3]

    with pytest.raises(DomainError) as refused:
        apply(make.internships, positions[3], student)
    assert in_english(app, refused.value.message) == (
        "You already have 3 open applications in this period; withdraw one first."
    )
    apply(
        make.internships, make.internships.position(period=other_period), student
    )  # another period: its own limit

    apps.withdraw_application(second, actor=student)  # frees a slot and its rank
    assert second.rank is None
    fourth = apply(make.internships, positions[3], student)
    assert fourth.rank == 2
    with pytest.raises(DomainError, match="open applications in this period"):
        apply(make.internships, positions[4], student)


def test_decided_applications_do_not_count(make):
    student, period = make.internships.student(), make.internships.period()
    for state in (S.DECLINED_BY_UNIVERSITY, S.REJECTED, S.OFFER_EXPIRED, S.WITHDRAWN):
        make.internships.application(
            make.internships.position(period=period), student=student, state=state
        )
    make.internships.application(
        make.internships.position(period=period), student=student, state=S.OFFERED
    )
    make.internships.application(
        make.internships.position(period=period), student=student, state=S.WAITLISTED
    )
    apply(make.internships, make.internships.position(period=period), student)
    with pytest.raises(DomainError, match="open applications in this period"):
        apply(make.internships, make.internships.position(period=period), student)


def test_preference_ranks_are_unique_among_open_applications(make):
    student, period = make.internships.student(), make.internships.period()
    apply(make.internships, make.internships.position(period=period), student, rank=2)
    with pytest.raises(DomainError, match="is already given"):
        apply(make.internships, make.internships.position(period=period), student, rank=2)
    for bad in (0, 4):
        with pytest.raises(DomainError, match="between 1 and"):
            apply(make.internships, make.internships.position(period=period), student, rank=bad)
    assert apply(make.internships, make.internships.position(period=period), student).rank == 1


def test_the_database_holds_the_rank_rule_too(db, make):
    """Two applications sent at the same moment with the same rank cannot both be stored."""
    student, period = make.internships.student(), make.internships.period()
    make.internships.application(make.internships.position(period=period), student=student, rank=1)
    with pytest.raises(sa.exc.IntegrityError), db.session.begin_nested():
        make.internships.application(
            make.internships.position(period=period), student=student, rank=1
        )


def test_the_limit_follows_the_configuration(app, make, monkeypatch):
    monkeypatch.setitem(app.config, "INTERNSHIP_MAX_OPEN_APPLICATIONS", 1)
    student, period = make.internships.student(), make.internships.period()
    apply(make.internships, make.internships.position(period=period), student)
    with pytest.raises(DomainError, match="open applications in this period"):
        apply(make.internships, make.internships.position(period=period), student)


# --- the university ----------------------------------------------------------------------------


def test_endorsing_shows_the_application_to_the_opd(db, make):
    agency = make.agency()
    opd = make.internships.opd_admin(agency)
    application = make.internships.application(make.internships.position(agency))
    staff = make.internships.university_staff(application.student.university)
    assert not application.can_view(opd)

    apps.endorse_application(application, actor=staff)

    assert application.state == S.ENDORSED and application.reached_opd
    assert application.can_view(opd)
    assert notices(db, opd) == ["internships.new_endorsed"]
    assert "internships.endorsed" in notices(db, application.student)


def test_declined_applications_never_reach_the_opd(db, make):
    agency = make.agency()
    opd, city = make.internships.opd_admin(agency), make.internships.city_admin()
    position = make.internships.position(agency)
    declined = make.internships.application(position)
    staff = make.internships.university_staff(declined.student.university)

    with pytest.raises(DomainError, match="reason"):
        apps.decline_application(declined, actor=staff, reason="  ")
    assert declined.state == S.SUBMITTED
    apps.decline_application(declined, actor=staff, reason="IPK belum memenuhi syarat.")
    endorsed = make.internships.application(position, state=S.ENDORSED)

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


def test_bulk_endorse_counts_and_says_why_per_item(app, db, make):
    university = make.university()
    staff = make.internships.university_staff(university)
    position = make.internships.position()
    mine = [
        make.internships.application(position, student=make.internships.student(university))
        for _ in range(3)
    ]
    already = make.internships.application(
        position, student=make.internships.student(university), state=S.ENDORSED
    )
    foreign = make.internships.application(position)  # another university's student

    result = apps.bulk_endorse(
        [a.id for a in mine] + [already.id, foreign.id, 999_999], actor=staff
    )

    assert sorted(result.endorsed) == sorted(a.id for a in mine)
    assert set(result.refused) == {already.id, foreign.id, 999_999}
    why = {i: in_english(app, text) for i, text in result.refused.items()}
    assert why[already.id] == (
        "“Endorse” is not possible while the application is “Endorsed by the university”."
    )
    assert why[foreign.id] == "This application is not among your students' applications."
    assert why[999_999] == why[foreign.id]  # whether it exists does not leak
    assert foreign.state == S.SUBMITTED and not foreign.reached_opd
    assert all(a.state == S.ENDORSED for a in mine)
