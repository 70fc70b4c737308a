"""Attendance: the facilitator's list, the check-in code and its window, and the completion
rule (TRAINING_MIN_ATTENDANCE and the post-test)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.auth.models import User
from portal.db import utcnow
from portal.errors import DomainError
from portal.notify import Notification
from portal.trainings.attendance import services as attendance_services
from portal.trainings.ledger import models as ledger
from portal.trainings.models import Attendance, AttendanceMethod, BatchState, RegistrationState

S = RegistrationState


def user_of(db, profile) -> User:
    return db.session.get(User, profile.user_id)


@pytest.fixture
def one_session(db, make):
    start = utcnow().replace(microsecond=0) + timedelta(days=2)
    batch = make.trainings.batch(start=start, hours=2)
    asn = make.trainings.asn()
    reg = make.trainings.registration(batch, asn, state=S.ENROLLED)
    return batch.sessions[0], reg, user_of(db, asn)


def test_check_in_inside_the_window_records_presence_once(db, one_session):
    session, reg, me = one_session
    at = session.starts_at - timedelta(minutes=15)  # the grace period opens it
    row = attendance_services.check_in(session, session.check_in_code.lower(), actor=me, now=at)
    assert (row.present, row.method, row.registration_id) == (
        True,
        AttendanceMethod.CHECK_IN,
        reg.id,
    )
    again = attendance_services.check_in(
        session, session.check_in_code, actor=me, now=session.ends_at
    )
    assert again.id == row.id
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attendance)) == 1


@pytest.mark.parametrize(
    ("moment", "message"),
    [
        (lambda s: s.starts_at - timedelta(minutes=16), "opens at"),
        (lambda s: s.ends_at + timedelta(seconds=1), "can no longer be used"),
        (lambda s: s.starts_at + timedelta(days=1), "can no longer be used"),  # replayed next day
    ],
    ids=["before-grace", "after-end", "replayed-next-day"],
)
def test_check_in_outside_the_window_is_refused(db, one_session, moment, message):
    session, _reg, me = one_session
    with pytest.raises(DomainError, match=message):
        attendance_services.check_in(session, session.check_in_code, actor=me, now=moment(session))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attendance)) == 0


def test_the_grace_period_is_configurable(app, db, one_session, monkeypatch):
    session, _reg, me = one_session
    monkeypatch.setitem(app.config, "TRAINING_CHECKIN_GRACE_MINUTES", 0)
    with pytest.raises(DomainError, match="opens at"):
        attendance_services.check_in(
            session, session.check_in_code, actor=me, now=session.starts_at - timedelta(minutes=1)
        )
    attendance_services.check_in(session, session.check_in_code, actor=me, now=session.starts_at)


def test_wrong_code_another_sessions_code_or_no_enrolment_is_refused(db, make, one_session):
    session, _reg, me = one_session
    now = session.starts_at
    with pytest.raises(DomainError, match="not right"):
        attendance_services.check_in(session, "AAAAAAAA", actor=me, now=now)
    other = make.trainings.batch().sessions[0]
    with pytest.raises(DomainError, match="not right"):
        attendance_services.check_in(session, other.check_in_code, actor=me, now=now)
    stranger = user_of(db, make.trainings.asn())
    with pytest.raises(DomainError, match="not enrolled"):
        attendance_services.check_in(session, session.check_in_code, actor=stranger, now=now)
    waiting = make.trainings.registration(session.batch, state=S.WAITLISTED, waitlist_position=1)
    with pytest.raises(DomainError, match="not enrolled"):
        attendance_services.check_in(
            session, session.check_in_code, actor=user_of(db, waiting.asn), now=now
        )


def test_the_facilitator_marks_attendance_others_may_not(db, make):
    lecturer = make.trainings.facilitator()
    batch = make.trainings.batch(facilitators=[lecturer])
    reg = make.trainings.registration(batch, state=S.ENROLLED)
    session = batch.sessions[0]
    row = attendance_services.mark_attendance(session, reg, actor=lecturer, present=False)
    assert (row.present, row.method) == (False, AttendanceMethod.FACILITATOR)
    assert attendance_services.mark_attendance(session, reg, actor=lecturer).id == row.id
    assert row.present is True
    for outsider in (
        make.trainings.facilitator(),
        user_of(db, reg.asn),
        user_of(db, reg.asn.supervisor),
    ):
        with pytest.raises(DomainError, match="facilitator"):
            attendance_services.mark_attendance(session, reg, actor=outsider)
    asking = make.trainings.registration(batch)
    with pytest.raises(DomainError, match="enrolled"):
        attendance_services.mark_attendance(session, asking, actor=lecturer)


# --- completion ---------------------------------------------------------------------------------


@pytest.fixture
def finished(db, make):
    """A batch of five past sessions with three enrolled participants attending 5, 4 and 3."""
    lecturer = make.trainings.facilitator()
    start = utcnow().replace(microsecond=0) - timedelta(days=10)
    batch = make.trainings.batch(
        start=start, sessions=5, facilitators=[lecturer], state=BatchState.CLOSED
    )
    regs = [make.trainings.registration(batch, state=S.ENROLLED) for _ in range(3)]
    for reg, attended in zip(regs, (5, 4, 3), strict=True):
        for session in batch.sessions[:attended]:
            attendance_services.mark_attendance(session, reg, actor=lecturer, now=session.starts_at)
    return batch, regs, lecturer


def test_completion_needs_eighty_percent_attendance_and_the_post_test(db, finished, monkeypatch):
    batch, regs, lecturer = finished
    credited = []
    monkeypatch.setattr(
        attendance_services,
        "_credit_hook",
        lambda: lambda reg, *, actor: credited.append((reg.id, actor.id)),
    )
    outcome = attendance_services.complete_batch(
        batch, actor=lecturer, post_test_passed=lambda reg: reg.id != regs[1].id
    )
    assert [r.state for r in regs] == [S.COMPLETED, S.NOT_COMPLETED, S.NOT_COMPLETED]
    assert [r.attendance_rate for r in regs] == [1.0, 0.8, 0.6]
    assert outcome["completed"] == [regs[0]] and batch.state == BatchState.COMPLETED
    assert credited == [(regs[0].id, lecturer.id)]
    keys = db.session.scalars(
        sa.select(Notification.message_key).where(Notification.user_id == regs[2].user_id)
    ).all()
    assert keys == ["trainings.not_completed"]
    with pytest.raises(DomainError):
        attendance_services.complete_batch(batch, actor=lecturer, post_test_passed=bool)


def test_the_attendance_threshold_is_configurable(app, db, finished, monkeypatch):
    batch, regs, lecturer = finished
    monkeypatch.setattr(attendance_services, "_credit_hook", lambda: None)
    monkeypatch.setitem(app.config, "TRAINING_MIN_ATTENDANCE", 0.6)
    attendance_services.complete_batch(batch, actor=lecturer, post_test_passed=lambda r: True)
    assert [r.state for r in regs] == [S.COMPLETED] * 3


def test_a_batch_with_sessions_ahead_or_by_an_outsider_cannot_be_completed(db, make, finished):
    batch, _regs, _lecturer = finished
    with pytest.raises(DomainError, match="facilitator"):
        attendance_services.complete_batch(
            batch, actor=make.trainings.facilitator(), post_test_passed=lambda r: True
        )
    upcoming = make.trainings.batch(facilitators=[_lecturer])
    with pytest.raises(DomainError, match="last session"):
        attendance_services.complete_batch(
            upcoming, actor=_lecturer, post_test_passed=lambda r: True
        )


def test_a_completed_registration_credits_the_jp_ledger(db, finished):
    """Completion credits the JP ledger (portal/trainings/ledger/services.py)."""
    batch, regs, lecturer = finished
    attendance_services.complete_batch(batch, actor=lecturer, post_test_passed=lambda r: True)
    credited = sorted(
        db.session.scalars(
            sa.select(ledger.LedgerEntry.registration_id).where(
                ledger.LedgerEntry.registration_id.in_([r.id for r in regs])
            )
        )
    )
    assert credited == [regs[0].id, regs[1].id]  # the third attended 60 %
