"""G8: quotas and mentor limits hold when many students accept at the same moment.

Each thread is one request (tests/support/race.py): its own app context, session and
connection, commit or roll back, as a view would, on the module's own database (``race_app``).
"""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa

from portal.auth.models import Role, User
from portal.db import db
from portal.internships import lifecycle
from portal.internships.applications.models import Application, ApplicationState
from portal.internships.models import InternshipPosition, MentorCapacity, Placement
from tests.support.race import committed, race

ROUNDS, STUDENTS, QUOTA = 20, 50, 5


def build(app, *, students: int, quota: int, mentor_limits=(10,), offers_per_student: int = 1):
    """One position (or ``offers_per_student`` positions) with students holding offers; all
    committed. Returns the position ids, mentor ids and (application id, student id) pairs."""

    def _build(make):
        imake = make.internships
        agency, university = make.agency(), make.university()
        mentors = [imake.mentor(agency, limit=limit) for limit in mentor_limits]
        period = imake.period()
        positions = [
            imake.position(agency, period=period, quota=quota, mentors=mentors)
            for _ in range(offers_per_student)
        ]
        cv = imake.cv()
        jobs = []
        for _ in range(students):
            student = make.user(Role.STUDENT, university=university, password="")
            for position in positions:
                offer = imake.application(
                    position, student=student, cv=cv, state=ApplicationState.OFFERED
                )
                jobs.append((offer.id, student.id))
        return [p.id for p in positions], [m.id for m in mentors], jobs

    return committed(app, _build)


def accept(application_id: int, student_id: int) -> str:
    """One student's click on "accept": a thread of the race (tests/support/race.py)."""
    student = db.session.get(User, student_id)
    application = db.session.get(Application, application_id)
    lifecycle.accept_offer(application, actor=student)
    return "placed"


def counts(app, position_ids, mentor_ids) -> dict:
    with app.app_context():
        placements = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Placement)
            .where(Placement.position_id.in_(position_ids))
        )
        seats = db.session.scalar(
            sa.select(sa.func.sum(InternshipPosition.seats_taken)).where(
                InternshipPosition.id.in_(position_ids)
            )
        )
        mentees = dict(
            db.session.execute(
                sa.select(MentorCapacity.user_id, MentorCapacity.active_mentees).where(
                    MentorCapacity.user_id.in_(mentor_ids)
                )
            ).all()
        )
        accepted = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Application)
            .where(
                Application.position_id.in_(position_ids),
                Application.state == ApplicationState.ACCEPTED,
            )
        )
        db.session.remove()
    return {"placements": placements, "seats": seats, "mentees": mentees, "accepted": accepted}


def test_fifty_concurrent_acceptances_fill_a_quota_of_five_exactly(race_app):
    # Correctness only: G8's wall time is a benchmark's job, not a unit test's (shared hosts).
    for _ in range(ROUNDS):
        position_ids, mentor_ids, jobs = build(race_app, students=STUDENTS, quota=QUOTA)
        outcomes = race(race_app, jobs, accept)
        assert outcomes == Counter({"placed": QUOTA, "QuotaFull": STUDENTS - QUOTA}), outcomes
        state = counts(race_app, position_ids, mentor_ids)
        assert state == {
            "placements": QUOTA,
            "seats": QUOTA,
            "accepted": QUOTA,
            "mentees": {mentor_ids[0]: QUOTA},
        }


def test_mentor_limits_hold_under_concurrency(race_app):
    position_ids, mentor_ids, jobs = build(race_app, students=30, quota=30, mentor_limits=(2, 3))
    outcomes = race(race_app, jobs, accept)
    assert outcomes == Counter({"placed": 5, "MentorsFull": 25}), outcomes
    state = counts(race_app, position_ids, mentor_ids)
    assert state == {
        "placements": 5,
        "seats": 5,
        "accepted": 5,
        "mentees": {mentor_ids[0]: 2, mentor_ids[1]: 3},
    }


def test_the_same_offer_accepted_ten_times_at_once_gives_one_placement(race_app):
    position_ids, mentor_ids, jobs = build(race_app, students=1, quota=5)
    outcomes = race(race_app, jobs * 10, accept)
    assert outcomes["placed"] == 1, outcomes
    assert outcomes["InvalidTransition"] == 9, outcomes
    state = counts(race_app, position_ids, mentor_ids)
    assert state == {"placements": 1, "seats": 1, "accepted": 1, "mentees": {mentor_ids[0]: 1}}


def test_two_offers_of_one_student_accepted_at_once_give_one_placement(race_app):
    position_ids, mentor_ids, jobs = build(race_app, students=1, quota=5, offers_per_student=2)
    outcomes = race(race_app, jobs * 3, accept)  # each offer clicked three times
    assert outcomes["placed"] == 1, outcomes
    assert sum(outcomes.values()) - outcomes["placed"] == outcomes["InvalidTransition"], outcomes
    state = counts(race_app, position_ids, mentor_ids)
    assert state == {"placements": 1, "seats": 1, "accepted": 1, "mentees": {mentor_ids[0]: 1}}
    with race_app.app_context():
        states = Counter(
            db.session.scalars(
                sa.select(Application.state).where(Application.position_id.in_(position_ids))
            )
        )
        db.session.remove()
    assert states == Counter({ApplicationState.ACCEPTED: 1, ApplicationState.WITHDRAWN: 1})
