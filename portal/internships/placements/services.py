"""Accepting an offer (the race that QUALITY.md G8 is about) and the placement afterwards.

The seat and the mentor are each taken with one conditional UPDATE
(``… SET n = n + 1 WHERE id = :id AND n < limit``) whose row count says whether there was room;
the unique constraints on placements (one per application, one per student and period) catch
whatever gets past. All of it runs in a savepoint, so a refusal leaves nothing half-done even
before the caller rolls back.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from portal import audit
from portal.auth.models import AccountStatus, Role, User
from portal.db import db, utcnow
from portal.errors import DomainError
from portal.i18n import _l
from portal.institutions.models import Agency
from portal.internships.applications import workflow
from portal.internships.applications.models import OPEN_STATES, Application, ApplicationState
from portal.internships.applications.services import notice_params, tell_withdrawn
from portal.internships.applications.workflow import ApplicationAction
from portal.internships.common import (
    MentorsFull,
    QuotaFull,
    application_link,
    move,
    opd_admins,
    university_staff,
)
from portal.internships.models import (
    InternshipPosition,
    MentorCapacity,
    Placement,
    PlacementStatus,
    PositionMentor,
    is_university_staff,
)
from portal.notify import tell
from portal.util import links
from portal.util.text import clean_text


def _take_seat(position_id: int) -> None:
    result = db.session.execute(
        sa.update(InternshipPosition)
        .where(
            InternshipPosition.id == position_id,
            InternshipPosition.seats_taken < InternshipPosition.quota,
        )
        .values(seats_taken=InternshipPosition.seats_taken + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise QuotaFull()


def _take_mentor(position_id: int) -> int:
    """The mentor with the fewest mentees who still has room; their counter goes up by one."""
    candidates = db.session.scalars(
        sa.select(MentorCapacity.user_id)
        .join(PositionMentor, PositionMentor.mentor_id == MentorCapacity.user_id)
        .where(
            PositionMentor.position_id == position_id,
            MentorCapacity.active_mentees < MentorCapacity.mentee_limit,
        )
        .order_by(MentorCapacity.active_mentees, MentorCapacity.user_id)
    ).all()
    for mentor_id in candidates:
        result = db.session.execute(
            sa.update(MentorCapacity)
            .where(
                MentorCapacity.user_id == mentor_id,
                MentorCapacity.active_mentees < MentorCapacity.mentee_limit,
            )
            .values(active_mentees=MentorCapacity.active_mentees + 1)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 1:
            return mentor_id
    raise MentorsFull()


def _free_mentor(mentor_id: int) -> None:
    db.session.execute(
        sa.update(MentorCapacity)
        .where(MentorCapacity.user_id == mentor_id, MentorCapacity.active_mentees > 0)
        .values(active_mentees=MentorCapacity.active_mentees - 1)
        .execution_options(synchronize_session=False)
    )
    capacity = db.session.get(MentorCapacity, mentor_id)
    if capacity is not None:
        db.session.expire(capacity, ["active_mentees"])


def accept_offer(application: Application, *, actor, now: datetime | None = None) -> Placement:
    """The student accepts an offer: one seat and one mentor are taken, a placement is made, and
    the student's other open applications of the period are withdrawn.

    Refuses an offer that is not (or no longer) open, a full quota (QuotaFull), mentors without
    room (MentorsFull), and a second placement in the same period; on any refusal nothing changes.
    """
    now = now or utcnow()
    # One acceptance per student at a time (PostgreSQL row lock; on SQLite the write transaction
    # already serialises), then the application as it is now, not as the caller loaded it.
    db.session.execute(
        sa.select(User.id).where(User.id == application.student_id).with_for_update()
    )
    db.session.execute(
        sa.select(Application)
        .where(Application.id == application.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()
    workflow.check(application, ApplicationAction.ACCEPT, actor, now=now)
    position = db.session.get(InternshipPosition, application.position_id)
    try:
        with db.session.begin_nested():
            _take_seat(position.id)
            mentor_id = _take_mentor(position.id)
            placement = Placement(
                application_id=application.id,
                student_id=application.student_id,
                position_id=position.id,
                period_id=application.period_id,
                university_id=application.university_id,
                agency_id=position.agency_id,
                mentor_id=mentor_id,
                starts_on=position.starts_on,
                ends_on=position.ends_on,
                status=PlacementStatus.ACTIVE,
            )
            db.session.add(placement)
            move(
                application,
                ApplicationAction.ACCEPT,
                ApplicationState.ACCEPTED,
                actor=actor,
                now=now,
            )
            db.session.flush()
            others = _withdraw_others(application, actor=actor, now=now)
    except IntegrityError:
        raise DomainError(_l("You already have a placement in this period.")) from None
    db.session.expire(position, ["seats_taken"])
    audit.record(
        actor,
        "internship.application",
        application,
        target_label=position.title,
        step=str(ApplicationAction.ACCEPT),
        state=str(application.state),
    )
    audit.record(
        actor,
        "internship.placement",
        placement,
        target_label=position.title,
        mentor_id=mentor_id,
        withdrawn=[o.id for o in others],
    )
    _tell_accepted(application, placement)
    for other in others:
        tell_withdrawn(other)
    return placement


def _withdraw_others(application: Application, *, actor, now) -> list[Application]:
    others = list(
        db.session.scalars(
            sa.select(Application)
            .where(
                Application.student_id == application.student_id,
                Application.period_id == application.period_id,
                Application.id != application.id,
                Application.state.in_(OPEN_STATES),
            )
            .order_by(Application.id)
            .with_for_update()
        )
    )
    for other in others:
        move(other, workflow.AUTO_WITHDRAW, ApplicationState.WITHDRAWN, actor=actor, now=now)
    db.session.flush()
    return others


def _tell_accepted(application: Application, placement: Placement) -> None:
    params = notice_params(application)
    dates = {"start": placement.starts_on.isoformat(), "end": placement.ends_on.isoformat()}
    here = placement_link(placement)
    tell(
        [*opd_admins(placement.agency_id), *university_staff(placement.university_id)],
        "internships.accepted",
        link=here or application_link(application),
        start=dates["start"],
        **params,
    )
    tell(
        [db.session.get(User, placement.mentor_id)],
        "internships.mentee",
        link=here,
        **dates,
        **params,
    )


def placement_link(placement: Placement) -> str | None:
    return links.link("internships.placement", placement_id=placement.id)


def _placement_params(placement: Placement) -> dict:
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
        **_placement_params(placement),
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


def _end(placement: Placement, action: str, *, actor, reason: str | None, now) -> None:
    next_status = workflow.check_placement(placement, action, actor)
    reason = clean_text(reason, 2000)
    if action == workflow.TERMINATE and not reason:
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
    _free_mentor(placement.mentor_id)
    audit.record(actor, "internship.placement", placement, status=str(next_status))
    people = [
        db.session.get(User, placement.student_id),
        *university_staff(placement.university_id),
    ]
    if placement.supervisor_id:
        people.append(db.session.get(User, placement.supervisor_id))
    params = _placement_params(placement)
    if next_status == PlacementStatus.TERMINATED:
        params["reason"] = reason
    tell(people, f"internships.placement_{next_status}", link=placement_link(placement), **params)


def complete_placement(placement: Placement, *, actor, now: datetime | None = None) -> None:
    """The mentor or the OPD closes a placement that ran its course; the mentor's place frees.
    When the mentor's evaluation and the academic score are both in, the final grade is
    computed and the certificate issued."""
    _end(placement, workflow.COMPLETE, actor=actor, reason=None, now=now)
    from portal.internships.evaluation.services import finalise_if_ready

    finalise_if_ready(placement, actor=actor)


def terminate_placement(placement: Placement, *, actor, reason: str, now=None) -> None:
    """The OPD or the university ends a placement early, with a reason; the seat stays taken
    (the quota counts interns of the period), the mentor's place frees."""
    _end(placement, workflow.TERMINATE, actor=actor, reason=reason, now=now)
