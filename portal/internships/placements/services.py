"""The placement after an accepted offer: its counters (a position's seats, a mentor's mentees),
its supervisor and planned SKS, and ending it. Accepting the offer, and completing a placement
(which may finalise the grade), cross sub-features: they are in ``portal.internships.lifecycle``.

The seat and the mentor are each taken with one conditional UPDATE
(``… SET n = n + 1 WHERE id = :id AND n < limit``) whose row count says whether there was room;
the unique constraints on placements (one per application, one per student and period) catch
whatever gets past.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from portal import audit
from portal.auth.models import AccountStatus, Role, User
from portal.db import db, utcnow
from portal.errors import DomainError
from portal.i18n import _l
from portal.institutions.models import Agency
from portal.internships.applications.models import Application, ApplicationState
from portal.internships.common import MentorsFull, QuotaFull, university_staff
from portal.internships.matching.algorithm import MATCHED
from portal.internships.models import (
    InternshipPosition,
    MentorCapacity,
    Placement,
    PlacementStatus,
    PositionMentor,
    is_university_staff,
)
from portal.internships.placements.workflow import TERMINATE, PlacementAction, check_placement
from portal.notify import tell
from portal.util import links
from portal.util.text import clean_text


def _held_by_match(column, value, application_id: int | None):
    """How many offers a published match made on ``column == value`` (a position, a mentor)
    that wait for an answer, the application being accepted aside: their seat and their
    mentor's place are kept for them, so nobody in the rolling phase takes them first."""
    return (
        sa.select(sa.func.count(Application.id))
        .where(
            column == value,
            Application.state == ApplicationState.OFFERED,
            Application.match_outcome == MATCHED,
            Application.id != (application_id or 0),
        )
        .scalar_subquery()
    )


def take_seat(position_id: int, *, application_id: int | None = None) -> None:
    """One seat of the position (those held for a match's open offers aside, see
    ``_held_by_match``), or QuotaFull when none is left."""
    held = _held_by_match(Application.position_id, position_id, application_id)
    result = db.session.execute(
        sa.update(InternshipPosition)
        .where(
            InternshipPosition.id == position_id,
            InternshipPosition.seats_taken + held < InternshipPosition.quota,
        )
        .values(seats_taken=InternshipPosition.seats_taken + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise QuotaFull()


def take_mentor(
    position_id: int, *, application_id: int | None = None, preferred: int | None = None
) -> int:
    """The mentor with the fewest mentees who still has room (places held for a match's open
    offers aside); the ``preferred`` one first (the mentor a match set aside a place with);
    their counter goes up by one."""
    candidates = db.session.scalars(
        sa.select(MentorCapacity.user_id)
        .join(PositionMentor, PositionMentor.mentor_id == MentorCapacity.user_id)
        .where(
            PositionMentor.position_id == position_id,
            MentorCapacity.active_mentees < MentorCapacity.mentee_limit,
        )
        .order_by(
            MentorCapacity.user_id != (preferred or 0),
            MentorCapacity.active_mentees,
            MentorCapacity.user_id,
        )
    ).all()
    for mentor_id in candidates:
        held = _held_by_match(Application.matched_mentor_id, mentor_id, application_id)
        result = db.session.execute(
            sa.update(MentorCapacity)
            .where(
                MentorCapacity.user_id == mentor_id,
                MentorCapacity.active_mentees + held < MentorCapacity.mentee_limit,
            )
            .values(active_mentees=MentorCapacity.active_mentees + 1)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 1:
            return mentor_id
    raise MentorsFull()


def free_mentor(mentor_id: int) -> None:
    """The mentor has room for one more intern again."""
    db.session.execute(
        sa.update(MentorCapacity)
        .where(MentorCapacity.user_id == mentor_id, MentorCapacity.active_mentees > 0)
        .values(active_mentees=MentorCapacity.active_mentees - 1)
        .execution_options(synchronize_session=False)
    )
    capacity = db.session.get(MentorCapacity, mentor_id)
    if capacity is not None:
        db.session.expire(capacity, ["active_mentees"])


def placement_link(placement: Placement) -> str | None:
    return links.link("internships.placement", placement_id=placement.id)


def placement_params(placement: Placement) -> dict:
    position = db.session.get(InternshipPosition, placement.position_id)
    student = db.session.get(User, placement.student_id)
    agency = db.session.get(Agency, placement.agency_id)
    return {"student": student.full_name, "position": position.title, "agency": agency.short_name}


def assign_supervisor(placement: Placement, supervisor, *, actor) -> None:
    """Staff of the student's university name the lecturer (DPL) who supervises the placement;
    the DPL must be an active university user of the same university."""
    if not is_university_staff(actor, placement.university_id):
        raise DomainError(_l("Only staff of the student's university can name the supervisor."))
    if (
        supervisor is None
        or Role.UNIVERSITY not in supervisor.roles
        or supervisor.university_id != placement.university_id
        or not supervisor.is_active
        or supervisor.status != AccountStatus.ACTIVE
    ):
        raise DomainError(_l("The supervisor must be an active lecturer of the same university."))
    placement.supervisor_id = supervisor.id
    db.session.flush()
    audit.record(actor, "internship.placement", placement, supervisor_id=supervisor.id)
    tell(
        [supervisor],
        "internships.supervisor",
        link=placement_link(placement),
        **placement_params(placement),
    )


def set_planned_sks(placement: Placement, sks: int, *, actor) -> None:
    """The university records the SKS it plans to recognise (its own decision, 0–40)."""
    if not is_university_staff(actor, placement.university_id):
        raise DomainError(_l("Only staff of the student's university can set the SKS."))
    if not isinstance(sks, int) or not 0 <= sks <= 40:
        raise DomainError(_l("The SKS must be a whole number between 0 and 40."))
    placement.planned_sks = sks
    db.session.flush()
    audit.record(actor, "internship.placement", placement, planned_sks=sks)


def end_placement(
    placement: Placement,
    action: PlacementAction,
    *,
    actor,
    reason: str | None = None,
    now: datetime | None = None,
) -> None:
    """The placement is completed or ended early (with a reason); the mentor's place frees and
    the people who follow it are told. Refuses what the workflow refuses, a termination without
    a reason, and a placement someone else ended a moment ago. Completing is
    ``lifecycle.complete_placement`` (it may finalise the grade)."""
    next_status = check_placement(placement, action, actor)
    reason = clean_text(reason, 2000)
    if action == TERMINATE and not reason:
        raise DomainError(_l("Give a reason for ending the placement early."))
    result = db.session.execute(
        sa.update(Placement)
        .where(Placement.id == placement.id, Placement.status == PlacementStatus.ACTIVE)
        .values(status=next_status, end_reason=reason or None, ended_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # ended by someone else a moment ago
        db.session.expire(placement)
        raise DomainError(_l("This placement has just been ended by someone else."))
    db.session.expire(placement, ["status", "end_reason", "ended_at"])
    free_mentor(placement.mentor_id)
    audit.record(actor, "internship.placement", placement, status=str(next_status))
    people = [
        db.session.get(User, placement.student_id),
        *university_staff(placement.university_id),
    ]
    if placement.supervisor_id:
        people.append(db.session.get(User, placement.supervisor_id))
    params = placement_params(placement)
    if next_status == PlacementStatus.TERMINATED:
        params["reason"] = reason
    tell(people, f"internships.placement_{next_status}", link=placement_link(placement), **params)


def terminate_placement(placement: Placement, *, actor, reason: str, now=None) -> None:
    """The OPD or the university ends a placement early, with a reason; the seat stays taken
    (the quota counts interns of the period), the mentor's place frees."""
    end_placement(placement, TERMINATE, actor=actor, reason=reason, now=now)
