"""Scheduling batches, registering, the supervisor's decision, the waiting list, cancellations
and clashes (service level), with the workflow triples (QUALITY.md G5)."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
import sqlalchemy as sa

from portal.auth.models import Role, User
from portal.curricula.models import CurriculumState
from portal.db import utcnow
from portal.errors import DomainError, InvalidTransition
from portal.notify import Notification
from portal.trainings.batches import services as batch_services
from portal.trainings.models import BatchState, RegistrationEvent, RegistrationState
from portal.trainings.registrations import services as registration_services
from portal.trainings.registrations import workflow
from portal.trainings.registrations.workflow import RegistrationAction

S = RegistrationState


def notices(db, user) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(Notification.message_key)
            .where(Notification.user_id == user.id)
            .order_by(Notification.id)
        )
    )


def user_of(db, profile) -> User:
    return db.session.get(User, profile.user_id)


# --- scheduling ---------------------------------------------------------------------------------


def test_an_admin_schedules_a_batch_with_the_curriculum_jp(db, make):
    curriculum = make.curriculum(state=CurriculumState.PUBLISHED, modules=3)
    lecturer = make.trainings.facilitator()
    batch = batch_services.schedule_batch(
        curriculum, actor=make.trainings.admin(), capacity=25, facilitators=[lecturer]
    )
    assert (batch.jp, batch.state, batch.capacity, batch.seats_taken) == (
        6,
        BatchState.DRAFT,
        25,
        0,
    )
    assert notices(db, lecturer) == ["trainings.facilitator"]
    with pytest.raises(DomainError, match="session"):
        batch_services.open_batch(batch, actor=make.trainings.admin())
    session = batch_services.add_session(
        batch,
        actor=make.trainings.admin(),
        on=utcnow().date(),
        starts=time(8, 0),
        ends=time(12, 0),
        place="Aula",
    )
    assert session.starts_at.hour == 1  # 08:00 WIB is 01:00 UTC
    assert len(session.check_in_code) == 8
    batch_services.open_batch(batch, actor=make.trainings.admin())
    assert batch.state == BatchState.OPEN


def test_the_agency_coauthor_may_schedule_the_university_author_may_not(db, make):
    agency_person = make.user(Role.ASN)
    curriculum = make.curriculum(state=CurriculumState.PUBLISHED, agency_author=agency_person)
    batch = batch_services.schedule_batch(curriculum, actor=agency_person, capacity=5, jp=12)
    assert batch.jp == 12
    lead = db.session.get(User, curriculum.created_by_id)
    with pytest.raises(DomainError):
        batch_services.schedule_batch(curriculum, actor=lead, capacity=5)
    with pytest.raises(DomainError):
        batch_services.schedule_batch(curriculum, actor=make.user(Role.ASN), capacity=5)


def test_a_curriculum_not_published_cannot_be_scheduled(db, make):
    curriculum = make.curriculum(state=CurriculumState.APPROVED)
    with pytest.raises(DomainError, match="published"):
        batch_services.schedule_batch(curriculum, actor=make.trainings.admin(), capacity=5)


def test_facilitators_must_be_university_lecturers(db, make):
    curriculum = make.curriculum(state=CurriculumState.PUBLISHED)
    with pytest.raises(DomainError, match="lecturers"):
        batch_services.schedule_batch(
            curriculum, actor=make.trainings.admin(), capacity=5, facilitators=[make.user(Role.ASN)]
        )


# --- registering and deciding --------------------------------------------------------------------


def test_register_approve_enrol_with_history_and_notices(db, make):
    batch, asn = make.trainings.batch(capacity=2), make.trainings.asn()
    me, boss = user_of(db, asn), user_of(db, asn.supervisor)
    reg = registration_services.register(batch, actor=me)
    assert reg.state == S.REQUESTED and not reg.has_clash
    assert notices(db, boss) == ["trainings.requested"]
    assert workflow.allowed_actions(reg, boss) == [
        RegistrationAction.APPROVE,
        RegistrationAction.DECLINE,
    ]
    assert workflow.allowed_actions(reg, me) == [RegistrationAction.CANCEL]
    registration_services.approve(reg, actor=boss)
    assert reg.state == S.ENROLLED and batch.seats_taken == 1
    assert notices(db, me) == ["trainings.registered", "trainings.enrolled"]
    steps = db.session.scalars(
        sa.select(RegistrationEvent.action)
        .where(RegistrationEvent.registration_id == reg.id)
        .order_by(RegistrationEvent.id)
    ).all()
    assert steps == ["register", "approve"]


def test_an_admin_nominates_and_the_supervisor_still_decides(db, make):
    batch, asn = make.trainings.batch(), make.trainings.asn()
    admin = make.trainings.admin()
    reg = registration_services.nominate(batch, asn, actor=admin)
    assert reg.nominated_by_id == admin.id and reg.state == S.REQUESTED
    assert notices(db, user_of(db, asn)) == ["trainings.nominated"]
    with pytest.raises(InvalidTransition, match="supervisor"):
        registration_services.approve(reg, actor=admin)
    other_opd_admin = make.trainings.admin(agency=make.trainings.make.agency())
    with pytest.raises(DomainError):
        registration_services.nominate(batch, make.trainings.asn(), actor=other_opd_admin)


def test_decline_needs_a_reason_that_the_asn_reads(db, make):
    batch, asn = make.trainings.batch(), make.trainings.asn()
    reg = make.trainings.registration(batch, asn)
    boss = user_of(db, asn.supervisor)
    with pytest.raises(DomainError, match="reason"):
        registration_services.decline(reg, actor=boss, reason="  \x00 ")
    registration_services.decline(reg, actor=boss, reason="Beban kerja akhir tahun.")
    assert reg.state == S.DECLINED and reg.decision_reason == "Beban kerja akhir tahun."
    assert notices(db, user_of(db, asn)) == ["trainings.declined"]


def test_registration_refusals(db, make):
    asn = make.trainings.asn()
    me = user_of(db, asn)
    closed = make.trainings.batch(registration_closes_at=utcnow() - timedelta(days=1))
    with pytest.raises(DomainError, match="not open"):
        registration_services.register(closed, actor=me)
    with pytest.raises(DomainError, match="not open"):
        registration_services.register(make.trainings.batch(state=BatchState.DRAFT), actor=me)
    batch = make.trainings.batch()
    registration_services.register(batch, actor=me)
    with pytest.raises(DomainError, match="already registered"):
        registration_services.register(batch, actor=me)
    lonely = make.trainings.make.asn_profile()  # no supervisor
    with pytest.raises(DomainError, match="supervisor"):
        registration_services.register(batch, actor=user_of(db, lonely))
    with pytest.raises(DomainError, match="ASN record"):
        registration_services.register(batch, actor=make.trainings.make.user(Role.ASN))


def test_target_agencies_and_positions_limit_who_may_register(db, make):
    agency = make.trainings.make.agency()
    position = make.trainings.make.position(agency=agency)
    batch = make.trainings.batch()
    batch.target_agencies = [agency]
    batch.target_positions = [position]
    db.session.flush()
    with pytest.raises(DomainError, match="other OPD"):
        registration_services.register(batch, actor=user_of(db, make.trainings.asn()))
    with pytest.raises(DomainError, match="other positions"):
        registration_services.register(batch, actor=user_of(db, make.trainings.asn(agency=agency)))
    fits = make.trainings.asn(agency=agency, position=position)
    assert registration_services.register(batch, actor=user_of(db, fits)).state == S.REQUESTED


# --- capacity and the waiting list ---------------------------------------------------------------


def test_a_full_batch_puts_approvals_on_the_waiting_list_in_order(db, make):
    batch = make.trainings.batch(capacity=1)
    regs = [make.trainings.registration(batch) for _ in range(3)]
    for reg in regs:
        registration_services.approve(reg, actor=user_of(db, reg.asn.supervisor))
    assert [r.state for r in regs] == [S.ENROLLED, S.WAITLISTED, S.WAITLISTED]
    assert [r.waitlist_position for r in regs] == [None, 1, 2]
    assert registration_services.waitlist_rank(regs[2]) == 2
    assert "trainings.waitlisted" in notices(db, user_of(db, regs[1].asn))
    assert batch.seats_taken == 1


def test_cancelling_a_seat_promotes_the_first_waitlisted_at_once(db, make):
    batch = make.trainings.batch(capacity=1)
    seated = make.trainings.registration(batch, state=S.ENROLLED)
    first = make.trainings.registration(batch, state=S.WAITLISTED, waitlist_position=4)
    second = make.trainings.registration(batch, state=S.WAITLISTED, waitlist_position=7)
    promoted = registration_services.cancel(seated, actor=user_of(db, seated.asn))
    assert promoted is first
    assert (seated.state, first.state, second.state) == (S.CANCELLED, S.ENROLLED, S.WAITLISTED)
    assert first.waitlist_position is None and batch.seats_taken == 1
    assert registration_services.waitlist_rank(second) == 1
    assert "trainings.promoted" in notices(db, user_of(db, first.asn))
    assert "trainings.promoted" in notices(db, user_of(db, first.asn.supervisor))
    # nobody waits any more: the next cancellation frees the seat
    assert registration_services.cancel(first, actor=make.trainings.admin()) is second
    assert registration_services.cancel(second, actor=make.trainings.admin()) is None
    assert batch.seats_taken == 0


def test_cancelling_a_waitlisted_or_requested_registration_frees_no_seat(db, make):
    batch = make.trainings.batch(capacity=1)
    make.trainings.registration(batch, state=S.ENROLLED)
    waiting = make.trainings.registration(batch, state=S.WAITLISTED, waitlist_position=1)
    asking = make.trainings.registration(batch)
    assert registration_services.cancel(waiting, actor=user_of(db, waiting.asn)) is None
    assert registration_services.cancel(asking, actor=user_of(db, asking.asn)) is None
    assert batch.seats_taken == 1


# --- clashes ------------------------------------------------------------------------------------


def test_overlapping_sessions_are_flagged_but_allowed(db, make):
    start = utcnow().replace(microsecond=0) + timedelta(days=10)
    asn = make.trainings.asn()
    busy = make.trainings.batch(start=start, hours=3)
    make.trainings.registration(busy, asn, state=S.ENROLLED)
    overlapping = make.trainings.batch(start=start + timedelta(hours=2), hours=3)
    after = make.trainings.batch(
        start=start + timedelta(hours=5), hours=1
    )  # starts as the other ends
    reg = registration_services.register(overlapping, actor=user_of(db, asn))
    assert reg.has_clash and reg.state == S.REQUESTED
    assert registration_services.clashing_batches(asn.id, overlapping) == [busy]
    assert notices(db, user_of(db, asn.supervisor)) == ["trainings.requested_clash"]
    assert not registration_services.register(after, actor=user_of(db, asn)).has_clash
    assert registration_services.clashing_batches(asn.id, after) == []


# --- G5: state × action × who ---------------------------------------------------------------------

ACTORS = ("asn", "other_asn", "supervisor", "other_supervisor", "admin")
ALLOWED = {
    (S.REQUESTED, RegistrationAction.APPROVE): {"supervisor"},
    (S.REQUESTED, RegistrationAction.DECLINE): {"supervisor"},
    (S.REQUESTED, RegistrationAction.CANCEL): {"asn", "admin"},
    (S.ENROLLED, RegistrationAction.CANCEL): {"asn", "admin"},
    (S.WAITLISTED, RegistrationAction.CANCEL): {"asn", "admin"},
}
STATES = (
    S.REQUESTED,
    S.ENROLLED,
    S.WAITLISTED,
    S.DECLINED,
    S.CANCELLED,
    S.COMPLETED,
    S.NOT_COMPLETED,
)
ACTIONS = (RegistrationAction.APPROVE, RegistrationAction.DECLINE, RegistrationAction.CANCEL)


def _do(reg, action, actor):
    if action == RegistrationAction.APPROVE:
        return registration_services.approve(reg, actor=actor)
    if action == RegistrationAction.DECLINE:
        return registration_services.decline(reg, actor=actor, reason="Tidak relevan.")
    return registration_services.cancel(reg, actor=actor)


@pytest.mark.parametrize("state", STATES, ids=str)
@pytest.mark.parametrize("action", ACTIONS, ids=str)
@pytest.mark.parametrize("who", ACTORS)
def test_registration_triples(db, make, state, action, who):
    batch = make.trainings.batch(capacity=3)
    asn = make.trainings.asn()
    reg = make.trainings.registration(
        batch, asn, state=state, waitlist_position=1 if state == S.WAITLISTED else None
    )
    actor = {
        "asn": lambda: user_of(db, asn),
        "other_asn": lambda: user_of(db, make.trainings.asn()),
        "supervisor": lambda: user_of(db, asn.supervisor),
        "other_supervisor": lambda: user_of(db, make.trainings.asn().supervisor),
        "admin": make.trainings.admin,
    }[who]()
    allowed = who in ALLOWED.get((state, action), set())
    assert (action in workflow.allowed_actions(reg, actor)) is allowed
    if allowed:
        _do(reg, action, actor)
        assert reg.state != state
    else:
        with pytest.raises(InvalidTransition):
            _do(reg, action, actor)
        db.session.refresh(reg)
        assert reg.state == state
