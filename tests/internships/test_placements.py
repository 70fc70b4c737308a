"""Accepting an offer (seat, mentor, placement, the other applications withdrawn), refusals that
leave nothing behind, and the placement afterwards."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.auth.models import Role
from portal.errors import DomainError, InvalidTransition
from portal.internships import lifecycle
from portal.internships.applications import workflow
from portal.internships.applications.models import Application, ApplicationEvent, ApplicationState
from portal.internships.common import MentorsFull, QuotaFull
from portal.internships.models import InternshipPosition, MentorCapacity, Placement, PlacementStatus
from portal.internships.placements import services as placements
from portal.notify import Notification

S = ApplicationState


def fresh(db, model, pk, column):
    """A column as the database holds it now (not as the session remembers it)."""
    key = model.__mapper__.primary_key[0]
    return db.session.scalar(sa.select(column).where(key == pk))


def count(db, model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def keys_for(db, user) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(Notification.message_key).where(Notification.user_id == user.id)
        )
    )


def test_accepting_makes_the_placement_and_withdraws_the_other_applications(db, make):
    university, agency = make.university(), make.agency()
    staff, opd = make.internships.university_staff(university), make.internships.opd_admin(agency)
    mentor = make.internships.mentor(agency)
    period, later = make.internships.period(), make.internships.period()
    position = make.internships.position(agency, period=period, quota=2, mentors=[mentor])
    student = make.internships.student(university)
    offer = make.internships.application(position, student=student, state=S.OFFERED)
    other_offer = make.internships.application(
        make.internships.position(period=period), student=student, state=S.OFFERED
    )
    submitted = make.internships.application(
        make.internships.position(period=period), student=student
    )
    next_term = make.internships.application(
        make.internships.position(period=later), student=student
    )

    placement = lifecycle.accept_offer(offer, actor=student)

    assert (placement.student_id, placement.position_id, placement.mentor_id) == (
        student.id,
        position.id,
        mentor.id,
    )
    assert placement.status == PlacementStatus.ACTIVE and placement.supervisor_id is None
    assert (placement.starts_on, placement.ends_on) == (position.starts_on, position.ends_on)
    assert offer.state == S.ACCEPTED and offer.rank is None
    assert fresh(db, InternshipPosition, position.id, InternshipPosition.seats_taken) == 1
    assert fresh(db, MentorCapacity, mentor.id, MentorCapacity.active_mentees) == 1
    assert other_offer.state == S.WITHDRAWN and submitted.state == S.WITHDRAWN
    assert other_offer.events[-1].action == workflow.AUTO_WITHDRAW
    assert next_term.state == S.SUBMITTED  # another period is untouched
    assert keys_for(db, mentor) == ["internships.mentee"]
    assert "internships.accepted" in keys_for(db, opd)
    assert "internships.accepted" in keys_for(db, staff)
    assert "internships.withdrawn" in keys_for(db, staff)  # the one not yet endorsed


def refusal_leaves_nothing(db, offer, position, mentors, *, seats):
    assert fresh(db, Application, offer.id, Application.state) == S.OFFERED
    assert count(db, Placement) == 0
    assert count(db, ApplicationEvent, ApplicationEvent.application_id == offer.id) == 0
    assert fresh(db, InternshipPosition, position.id, InternshipPosition.seats_taken) == seats
    for mentor in mentors:
        assert fresh(db, MentorCapacity, mentor.id, MentorCapacity.active_mentees) == 0


def test_a_full_quota_refuses_and_changes_nothing(db, make):
    position = make.internships.position(quota=1)
    position.seats_taken = 1
    db.session.flush()
    offer = make.internships.application(position, state=S.OFFERED)
    other = make.internships.application(
        make.internships.position(period=position.period), student=offer.student
    )
    mentor_ids = [m.mentor_id for m in position.mentors]

    with pytest.raises(QuotaFull):
        lifecycle.accept_offer(offer, actor=offer.student)

    refusal_leaves_nothing(db, offer, position, [m.mentor for m in position.mentors], seats=1)
    assert fresh(db, Application, other.id, Application.state) == S.SUBMITTED
    assert count(db, Notification, Notification.user_id.in_(mentor_ids)) == 0


def test_mentors_without_room_refuse_and_the_seat_stays_free(db, make):
    agency = make.agency()
    mentors = [make.internships.mentor(agency, limit=0), make.internships.mentor(agency, limit=0)]
    position = make.internships.position(agency, quota=3, mentors=mentors)
    offer = make.internships.application(position, state=S.OFFERED)
    with pytest.raises(MentorsFull):
        lifecycle.accept_offer(offer, actor=offer.student)
    refusal_leaves_nothing(db, offer, position, mentors, seats=0)


def test_the_mentor_with_the_fewest_mentees_and_room_is_chosen(db, make):
    agency = make.agency()
    busy, free, full = (
        make.internships.mentor(agency, limit=3, active=2),
        make.internships.mentor(agency, limit=3),
        make.internships.mentor(agency, limit=1, active=1),
    )
    position = make.internships.position(agency, quota=5, mentors=[full, busy, free])
    chosen = []
    for _ in range(4):
        offer = make.internships.application(position, state=S.OFFERED)
        chosen.append(lifecycle.accept_offer(offer, actor=offer.student).mentor_id)
    assert chosen.count(free.id) == 3 and chosen.count(busy.id) == 1
    assert full.id not in chosen
    offer = make.internships.application(position, state=S.OFFERED)
    with pytest.raises(MentorsFull):
        lifecycle.accept_offer(offer, actor=offer.student)


def test_one_placement_per_student_and_period(db, make):
    position = make.internships.position(quota=5)
    first = make.internships.application(position, state=S.OFFERED)
    lifecycle.accept_offer(first, actor=first.student)
    # An offer that reached the student afterwards (e.g. entered by hand): still refused.
    late = make.internships.application(
        make.internships.position(period=position.period), student=first.student, state=S.OFFERED
    )
    late_position = db.session.get(InternshipPosition, late.position_id)
    with pytest.raises(DomainError, match="already have a placement"):
        lifecycle.accept_offer(late, actor=first.student)
    assert fresh(db, Application, late.id, Application.state) == S.OFFERED
    assert fresh(db, InternshipPosition, late_position.id, InternshipPosition.seats_taken) == 0
    mentor_id = late_position.mentors[0].mentor_id
    assert fresh(db, MentorCapacity, mentor_id, MentorCapacity.active_mentees) == 0


def test_accepting_twice_gives_one_placement(db, make):
    offer = make.internships.application(make.internships.position(quota=5), state=S.OFFERED)
    lifecycle.accept_offer(offer, actor=offer.student)
    with pytest.raises(InvalidTransition):
        lifecycle.accept_offer(offer, actor=offer.student)
    assert count(db, Placement) == 1


def test_only_the_student_accepts(make):
    offer = make.internships.application(make.internships.position(), state=S.OFFERED)
    for actor in (
        make.internships.student(offer.student.university),
        make.internships.city_admin(),
        make.user(Role.ASN),
    ):
        with pytest.raises(InvalidTransition, match="Only the student"):
            lifecycle.accept_offer(offer, actor=actor)


# --- after the acceptance ----------------------------------------------------------------------


@pytest.fixture
def placed(db, make):
    university, agency = make.university(), make.agency()
    mentor = make.internships.mentor(agency)
    offer = make.internships.application(
        make.internships.position(agency, mentors=[mentor]),
        state=S.OFFERED,
        student=make.internships.student(university),
    )
    placement = lifecycle.accept_offer(offer, actor=offer.student)
    return placement, university, agency, mentor


def test_the_university_names_the_supervisor_and_the_sks(db, make, placed):
    placement, university, _agency, _mentor = placed
    staff, lecturer = (
        make.internships.university_staff(university),
        make.internships.university_staff(university),
    )
    outsider = make.internships.university_staff(make.university())

    with pytest.raises(DomainError, match="Only staff"):
        placements.assign_supervisor(placement, lecturer, actor=outsider)
    with pytest.raises(DomainError, match="same university"):
        placements.assign_supervisor(placement, outsider, actor=staff)
    placements.assign_supervisor(placement, lecturer, actor=staff)
    assert placement.supervisor_id == lecturer.id
    assert placement.can_view(lecturer) and not placement.can_view(outsider)
    assert keys_for(db, lecturer) == ["internships.supervisor"]

    for bad in (-1, 41, "20"):
        with pytest.raises(DomainError, match="between 0 and 40"):
            placements.set_planned_sks(placement, bad, actor=staff)
    placements.set_planned_sks(placement, 20, actor=staff)
    assert placement.hours_needed(45) == 900


def test_ending_a_placement_frees_the_mentor_once(db, make, placed):
    placement, university, _agency, mentor = placed
    staff = make.internships.university_staff(university)
    with pytest.raises(DomainError, match="reason"):
        placements.terminate_placement(placement, actor=staff, reason=" ")
    placements.terminate_placement(placement, actor=staff, reason="Mahasiswa sakit berkepanjangan.")
    assert placement.status == PlacementStatus.TERMINATED and placement.ended_at is not None
    assert fresh(db, MentorCapacity, mentor.id, MentorCapacity.active_mentees) == 0
    assert fresh(db, InternshipPosition, placement.position_id, InternshipPosition.seats_taken) == 1
    with pytest.raises(InvalidTransition):
        lifecycle.complete_placement(placement, actor=mentor)
    assert fresh(db, MentorCapacity, mentor.id, MentorCapacity.active_mentees) == 0
    assert "internships.placement_terminated" in keys_for(db, placement.student)


def test_the_mentor_completes_a_placement(db, make, placed):
    placement, _university, _agency, mentor = placed
    lifecycle.complete_placement(placement, actor=mentor)
    assert placement.status == PlacementStatus.COMPLETED
    assert fresh(db, MentorCapacity, mentor.id, MentorCapacity.active_mentees) == 0


def test_who_sees_a_placement(make, placed):
    placement, university, agency, mentor = placed
    yes = [
        placement.student,
        mentor,
        make.internships.university_staff(university),
        make.internships.opd_admin(agency),
        make.internships.city_admin(),
    ]
    no = [
        make.internships.student(university),
        make.internships.mentor(agency),
        make.internships.opd_admin(make.agency()),
        make.internships.university_staff(make.university()),
        None,
    ]
    assert all(placement.can_view(u) for u in yes)
    assert not any(placement.can_view(u) for u in no)
