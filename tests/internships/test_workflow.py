"""G5: every (application state × action × party) triple — only the steps in the table succeed,
every other one raises InvalidTransition and changes nothing; the buttons a page would show
(``allowed_actions``) are exactly the steps that succeed."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.audit import AuditEvent
from portal.errors import InvalidTransition
from portal.internships import lifecycle
from portal.internships.applications import workflow
from portal.internships.applications.models import Application, ApplicationEvent, ApplicationState
from portal.internships.applications.workflow import TRANSITIONS, ApplicationAction
from portal.internships.models import (
    InternshipPosition,
    MentorCapacity,
    Placement,
    PlacementStatus,
)
from portal.internships.placements import services as placements
from portal.internships.placements import workflow as placement_workflow
from portal.notify import Notification
from tests.support.worlds import internships

#: Each party of the test world, and the workflow party it acts for (None: no party at all).
PARTIES = {
    "student": workflow.STUDENT,
    "other_student": None,  # same university, not theirs
    "university": workflow.UNIVERSITY,
    "other_university": None,
    "opd": workflow.OPD,
    "other_opd": None,
    "city_admin": workflow.OPD,
    "mentor": None,  # the position's mentor has no say over applications
}


application_workflow_world = internships.application_workflow_world  # built once for the module


def snapshot(db, application_id: int, position_id: int, mentor_id: int) -> tuple:
    """What a refused step must leave exactly as it was (read fresh from the database)."""

    def count(model, *where):
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))

    return (
        db.session.scalar(sa.select(Application.state).where(Application.id == application_id)),
        db.session.scalar(sa.select(Application.rank).where(Application.id == application_id)),
        count(ApplicationEvent, ApplicationEvent.application_id == application_id),
        count(Placement),
        db.session.scalar(
            sa.select(InternshipPosition.seats_taken).where(InternshipPosition.id == position_id)
        ),
        db.session.scalar(
            sa.select(MentorCapacity.active_mentees).where(MentorCapacity.user_id == mentor_id)
        ),
        count(Notification),
        count(AuditEvent),
    )


S, A = ApplicationState, ApplicationAction
#: The issue's rules, written out independently of ``workflow.TRANSITIONS``:
#: (state, action) -> (next state, the party who may take the step).
SPEC = {
    **{(s, A.WITHDRAW): (S.WITHDRAWN, workflow.STUDENT)  # until a decision
       for s in (S.SUBMITTED, S.ENDORSED, S.SHORTLISTED, S.WAITLISTED)},
    (S.SUBMITTED, A.ENDORSE): (S.ENDORSED, workflow.UNIVERSITY),
    (S.SUBMITTED, A.DECLINE): (S.DECLINED_BY_UNIVERSITY, workflow.UNIVERSITY),
    # only endorsed applications reach the OPD
    **{(s, A.SHORTLIST): (S.SHORTLISTED, workflow.OPD) for s in (S.ENDORSED, S.WAITLISTED)},
    **{(s, A.WAITLIST): (S.WAITLISTED, workflow.OPD) for s in (S.ENDORSED, S.SHORTLISTED)},
    **{(s, A.OFFER): (S.OFFERED, workflow.OPD)
       for s in (S.ENDORSED, S.SHORTLISTED, S.WAITLISTED)},
    **{(s, A.REJECT): (S.REJECTED, workflow.OPD)
       for s in (S.ENDORSED, S.SHORTLISTED, S.WAITLISTED)},
    (S.OFFERED, A.ACCEPT): (S.ACCEPTED, workflow.STUDENT),
    (S.OFFERED, A.DECLINE_OFFER): (S.OFFER_DECLINED, workflow.STUDENT),
    # expiry is the daily job's (expire_offers), never a user's step
}  # fmt: skip


@pytest.mark.parametrize("action", list(ApplicationAction), ids=str)
@pytest.mark.parametrize("state", list(ApplicationState), ids=str)
def test_application_triples(db, make, application_workflow_world, state, action):
    w = application_workflow_world
    application = make.internships.application(w.position, student=w.people["student"], state=state)
    step = SPEC.get((state, action))
    for name, actor in w.people.items():
        allowed = step is not None and PARTIES[name] == step[1]
        assert (action in workflow.allowed_actions(application, actor)) == allowed, name
        before = snapshot(db, application.id, w.position.id, w.mentor.id)
        savepoint = db.session.begin_nested()
        try:
            lifecycle.take_action(application, action, actor=actor, note="Alasan uji.")
        except InvalidTransition as exc:
            assert not allowed, f"{name} was refused: {exc}"
            assert str(exc)  # says why
            assert snapshot(db, application.id, w.position.id, w.mentor.id) == before
        else:
            assert allowed, f"{name} could {action} from {state}"
            db.session.flush()
            assert application.state == step[0]
            after = snapshot(db, application.id, w.position.id, w.mentor.id)
            assert after[2] == before[2] + 1  # one history entry
            assert after[7] > before[7]  # audited
        finally:
            savepoint.rollback()
        db.session.expire_all()


def test_only_the_daily_job_expires_offers():
    assert TRANSITIONS[(S.OFFERED, A.EXPIRE)] == (S.OFFER_EXPIRED, workflow.SYSTEM)
    assert {k: v for k, v in TRANSITIONS.items() if v[1] != workflow.SYSTEM} == SPEC


PLACEMENT_PARTIES = {
    "student": set(),
    "mentor": {"complete"},
    "university": {"terminate"},
    "other_university": set(),
    "opd": {"complete", "terminate"},
    "other_opd": set(),
    "city_admin": {"complete", "terminate"},
}


@pytest.mark.parametrize("status", list(PlacementStatus), ids=str)
@pytest.mark.parametrize("action", list(placement_workflow.PlacementAction), ids=str)
def test_placement_triples(db, make, application_workflow_world, status, action):
    w = application_workflow_world
    application = make.internships.application(
        w.position, student=w.people["student"], state=ApplicationState.OFFERED
    )
    placement = lifecycle.accept_offer(application, actor=w.people["student"])
    placement.status = status
    db.session.flush()
    for name, can in PLACEMENT_PARTIES.items():
        actor = w.people[name]
        allowed = status == PlacementStatus.ACTIVE and action in can
        savepoint = db.session.begin_nested()
        try:
            if action == placement_workflow.COMPLETE:
                lifecycle.complete_placement(placement, actor=actor)
            else:
                placements.terminate_placement(placement, actor=actor, reason="Alasan uji.")
        except InvalidTransition:
            assert not allowed, name
            db.session.refresh(placement)
            assert placement.status == status
        else:
            assert allowed, name
            db.session.refresh(placement)
            assert placement.status != PlacementStatus.ACTIVE
        finally:
            savepoint.rollback()
        db.session.expire_all()
