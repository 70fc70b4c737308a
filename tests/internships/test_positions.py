"""Periods, positions and their mentors: who may manage them, what a position needs before it is
published, and the fields nobody may set through an edit (G4)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from portal.audit import AuditEvent
from portal.auth.models import Role
from portal.errors import DomainError, InvalidTransition
from portal.internships.models import InternshipPosition, MentorCapacity, PositionState, WorkMode
from portal.internships.positions import services as positions
from portal.util import clock

TODAY = clock.today()


def new_position(imake, agency, actor, **kw):
    values = {
        "period": imake.period(),
        "title": "Magang Command Center",
        "quota": 4,
        "starts_on": TODAY + timedelta(days=40),
        "ends_on": TODAY + timedelta(days=160),
        "application_deadline": TODAY + timedelta(days=20),
    }
    values.update(kw)
    return positions.create_position(agency, actor=actor, **values)


def test_only_city_admins_create_periods(make):
    with pytest.raises(DomainError):
        positions.create_period(
            actor=make.internships.opd_admin(make.agency()),
            name="Semester Genap 2026",
            starts_on=date(2026, 2, 2),
            ends_on=date(2026, 6, 26),
        )
    city = make.internships.city_admin()
    period = positions.create_period(
        actor=city,
        name="Semester Genap 2026",
        starts_on=date(2026, 2, 2),
        ends_on=date(2026, 6, 26),
    )
    assert period.id
    with pytest.raises(DomainError, match="already exists"):
        positions.create_period(
            actor=city,
            name="Semester Genap 2026",
            starts_on=date(2026, 2, 2),
            ends_on=date(2026, 6, 26),
        )
    with pytest.raises(DomainError, match="end after"):
        positions.create_period(
            actor=city, name="Terbalik", starts_on=date(2026, 6, 2), ends_on=date(2026, 2, 2)
        )


def test_an_opd_admin_creates_positions_of_their_own_opd_only(db, make):
    agency = make.agency()
    admin = make.internships.opd_admin(agency)
    position = new_position(make.internships, agency, admin, mode="hybrid", unit="Command Center")
    assert position.state == PositionState.DRAFT and position.seats_taken == 0
    assert position.mode == WorkMode.HYBRID and position.created_by_id == admin.id
    assert position.can_manage(admin) and position.can_manage(make.internships.city_admin())
    for outsider in (
        make.internships.opd_admin(make.agency()),
        make.internships.mentor(agency),
        make.user(Role.ASN),
    ):
        assert not position.can_manage(outsider)
        with pytest.raises(DomainError, match="Only an admin"):
            new_position(make.internships, agency, outsider)
    assert db.session.scalar(
        sa.select(AuditEvent.id).where(AuditEvent.action == "internship.position")
    )


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"quota": 0}, "at least 1"),
        ({"ends_on": TODAY}, "end after"),
        ({"application_deadline": TODAY + timedelta(days=50)}, "deadline"),
        ({"title": " "}, "title"),
        ({"title": "x" * 201}, "too long"),
        ({"mode": "remote"}, "on site or hybrid"),
    ],
)
def test_position_fields_are_checked(make, change, why):
    agency = make.agency()
    with pytest.raises(DomainError, match=why):
        new_position(make.internships, agency, make.internships.opd_admin(agency), **change)


@pytest.mark.parametrize(
    "field", ["seats_taken", "state", "agency_id", "created_by_id", "published_at", "id"]
)
def test_privileged_fields_cannot_be_set_through_an_edit(make, field):
    agency = make.agency()
    admin = make.internships.opd_admin(agency)
    position = make.internships.position(agency)
    before = {c: getattr(position, c) for c in ("seats_taken", "state", "agency_id", "id")}
    with pytest.raises(TypeError):
        positions.update_position(position, actor=admin, **{field: 3})
    with pytest.raises(TypeError):
        new_position(make.internships, agency, admin, **{field: 3})
    assert {c: getattr(position, c) for c in before} == before


def test_the_quota_never_drops_below_the_seats_taken(db, make):
    agency = make.agency()
    admin = make.internships.opd_admin(agency)
    position = make.internships.position(agency, quota=5)
    position.seats_taken = 3
    db.session.flush()
    with pytest.raises(DomainError, match="lower than"):
        positions.update_position(position, actor=admin, quota=2)
    positions.update_position(position, actor=admin, quota=3, title="Magang Statistik")
    assert (position.quota, position.title) == (3, "Magang Statistik")


def test_publishing_needs_a_mentor_and_a_future_deadline(db, make):
    agency = make.agency()
    admin = make.internships.opd_admin(agency)
    position = new_position(make.internships, agency, admin)
    with pytest.raises(InvalidTransition, match="mentor"):
        positions.publish_position(position, actor=admin)
    mentor = make.internships.mentor(agency, limit=None)
    positions.add_mentor(position, mentor, actor=admin)
    assert db.session.get(MentorCapacity, mentor.id).mentee_limit == 10  # MENTOR_DEFAULT_LIMIT

    today_in_medan = clock.today()
    yesterday = today_in_medan - timedelta(days=1)
    positions.update_position(position, actor=admin, application_deadline=yesterday)
    with pytest.raises(InvalidTransition, match="deadline"):
        positions.publish_position(position, actor=admin)
    positions.update_position(position, actor=admin, application_deadline=today_in_medan)
    positions.publish_position(position, actor=admin)
    assert position.state == PositionState.PUBLISHED and position.published_at
    with pytest.raises(InvalidTransition, match="already open"):
        positions.publish_position(position, actor=admin)

    with pytest.raises(InvalidTransition, match="at least one mentor"):
        positions.remove_mentor(position, mentor, actor=admin)
    with pytest.raises(InvalidTransition, match="period"):
        positions.update_position(position, actor=admin, period=make.internships.period())

    positions.close_position(position, actor=admin)
    assert position.state == PositionState.CLOSED
    with pytest.raises(InvalidTransition, match="closed"):
        positions.update_position(position, actor=admin, title="Baru")
    with pytest.raises(InvalidTransition):
        positions.close_position(position, actor=admin)
    positions.publish_position(position, actor=admin)  # re-opened
    assert position.closed_at is None


def test_mentors_come_from_the_positions_opd(db, make):
    agency = make.agency()
    admin = make.internships.opd_admin(agency)
    position = make.internships.position(agency, mentors=0, state=PositionState.DRAFT)
    for wrong in (
        make.internships.mentor(make.agency()),
        make.user(Role.ASN, agency=agency),
        make.user(Role.MENTOR, agency=agency, is_active_flag=False),
    ):
        with pytest.raises(DomainError, match="active mentor"):
            positions.add_mentor(position, wrong, actor=admin)
    mentor = make.internships.mentor(agency, limit=4, active=4)
    positions.add_mentor(position, mentor, actor=admin, mentee_limit=6)
    assert db.session.get(MentorCapacity, mentor.id).mentee_limit == 6
    with pytest.raises(DomainError, match="already named"):
        positions.add_mentor(position, mentor, actor=admin)
    with pytest.raises(DomainError, match="between 0 and 100"):
        positions.add_mentor(
            position, make.internships.mentor(agency), actor=admin, mentee_limit=-1
        )
    positions.remove_mentor(position, mentor, actor=admin)  # a draft may have none
    assert db.session.scalars(sa.select(InternshipPosition)).all()
    assert position.mentors == []


def test_drafts_are_private_to_the_opd(make):
    agency = make.agency()
    draft = make.internships.position(agency, state=PositionState.DRAFT)
    published = make.internships.position(agency)
    assert draft.can_view(make.internships.opd_admin(agency)) and draft.can_view(
        make.internships.city_admin()
    )
    assert not draft.can_view(make.internships.opd_admin(make.agency()))
    assert not draft.can_view(make.internships.student()) and not draft.can_view(None)
    assert published.can_view(None)
