"""The steps of an internship that cross sub-features (CONVENTIONS.md §1), written once here so
no sub-feature imports another's services behind its back:

accepting an offer (applications) makes the placement (placements) and withdraws the student's
other open applications; completing the placement (placements) finalises the grade and issues
the certificate when both parts of the evaluation are in (evaluation); the mentor may complete
it together with their evaluation (evaluation → placements → evaluation).

Accepting an offer is the race QUALITY.md G8 is about: the seat and the mentor are each taken by
one conditional UPDATE, and all of it runs in a savepoint, so a refusal leaves nothing half-done
even before the caller rolls back. Services flush, record and notify; they never commit.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from portal import audit
from portal.auth.models import User
from portal.db import db, utcnow
from portal.errors import DomainError
from portal.i18n import _l
from portal.internships.applications import services as application_services
from portal.internships.applications import workflow as application_workflow
from portal.internships.applications.models import OPEN_STATES, Application, ApplicationState
from portal.internships.applications.workflow import ApplicationAction
from portal.internships.common import application_link, move, opd_admins, university_staff
from portal.internships.evaluation import services as evaluation_services
from portal.internships.evaluation.models import MentorEvaluation
from portal.internships.models import InternshipPosition, Placement, PlacementStatus
from portal.internships.placements import services as placement_services
from portal.internships.placements.workflow import COMPLETE
from portal.notify import tell

# --- accepting an offer ------------------------------------------------------------------------


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
    application_workflow.check(application, ApplicationAction.ACCEPT, actor, now=now)
    position = db.session.get(InternshipPosition, application.position_id)
    try:
        with db.session.begin_nested():
            placement_services.take_seat(position.id, application_id=application.id)
            mentor_id = placement_services.take_mentor(
                position.id, application_id=application.id, preferred=application.matched_mentor_id
            )
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
            application_workflow.APPLICATION.apply(
                application, ApplicationAction.ACCEPT, actor, at=now, now=now
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
        application_services.tell_withdrawn(other)
    return placement


def _withdraw_others(application: Application, *, actor, now) -> list[Application]:
    """The student's other open applications of the period: withdrawn (a history entry, not a
    step the student picks)."""
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
        move(
            other,
            application_workflow.AUTO_WITHDRAW,
            ApplicationState.WITHDRAWN,
            actor=actor,
            now=now,
        )
    db.session.flush()
    return others


def _tell_accepted(application: Application, placement: Placement) -> None:
    params = application_services.notice_params(application)
    dates = {"start": placement.starts_on, "end": placement.ends_on}
    here = placement_services.placement_link(placement)
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


def take_action(
    application: Application,
    action: ApplicationAction,
    *,
    actor,
    note: str | None = None,
    now: datetime | None = None,
):
    """One entry point for every step of an application (a view posts the action's name):
    accepting an offer makes the placement (and returns it); the others are the application's
    own steps."""
    if action == ApplicationAction.ACCEPT:
        return accept_offer(application, actor=actor, now=now)
    return application_services.take_action(application, action, actor=actor, note=note, now=now)


# --- completing a placement --------------------------------------------------------------------


def complete_placement(placement: Placement, *, actor, now: datetime | None = None) -> None:
    """The mentor or the OPD closes a placement that ran its course; the mentor's place frees.
    When the mentor's evaluation and the academic score are both in, the final grade is
    computed and the certificate issued."""
    placement_services.end_placement(placement, COMPLETE, actor=actor, now=now)
    evaluation_services.finalise_if_ready(placement, actor=actor)


def save_mentor_evaluation(
    placement: Placement,
    scores: list[int],
    *,
    actor,
    comment: str = "",
    complete: bool = False,
    today: date | None = None,
) -> MentorEvaluation:
    """The mentor's evaluation (``evaluation.services.save_mentor_evaluation``); with
    ``complete`` on an active placement, the placement is completed too, which finalises the
    grade when it can. Refuses what either step refuses."""
    completing = complete and placement.status == PlacementStatus.ACTIVE
    evaluation = evaluation_services.save_mentor_evaluation(
        placement, scores, actor=actor, comment=comment, completing=completing, today=today
    )
    if completing:
        complete_placement(placement, actor=actor)
    return evaluation
