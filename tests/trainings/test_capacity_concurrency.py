"""G8: a batch's capacity holds when many supervisors approve at the same moment, and a
cancellation racing with approvals leaves no free seat while someone waits.

Each thread is one request (tests/support/race.py): own app context, session and connection,
commit or roll back, on the module's own database (``race_app``).
"""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa

from portal.auth.models import User
from portal.db import db
from portal.trainings.models import Registration, RegistrationState, TrainingBatch
from portal.trainings.registrations import services as registration_services
from tests.support.race import committed, race

ROUNDS, ASN, CAPACITY = 5, 50, 10
S = RegistrationState


def build(app, *, asn: int, capacity: int, enrolled: int = 0, waitlisted: int = 0):
    """A batch with ``asn`` requested registrations (one supervisor each), plus ``enrolled``
    and ``waitlisted`` ones; all committed. Returns the batch id and the job lists."""

    def _build(make):
        tmake = make.trainings
        batch = tmake.batch(capacity=capacity)
        jobs = []
        for _ in range(asn):
            reg = tmake.registration(batch)
            supervisor = db.session.get(User, reg.asn.supervisor.user_id)
            jobs.append(("approve", reg.id, supervisor.id))
        for _ in range(enrolled):
            reg = tmake.registration(batch, state=S.ENROLLED)
            jobs.append(("cancel", reg.id, reg.user_id))
        for n in range(waitlisted):
            tmake.registration(batch, state=S.WAITLISTED, waitlist_position=n + 1)
        return batch.id, jobs

    return committed(app, _build)


def decide(step: str, registration_id: int, user_id: int) -> str:
    """A supervisor's approval or an ASN's cancellation: a thread of the race."""
    actor = db.session.get(User, user_id)
    reg = db.session.get(Registration, registration_id)
    if step == "approve":
        return str(registration_services.approve(reg, actor=actor).state)
    registration_services.cancel(reg, actor=actor)
    return "cancelled"


def state_of(app, batch_id: int) -> tuple[int, Counter, list[int]]:
    with app.app_context():
        seats = db.session.get(TrainingBatch, batch_id).seats_taken
        states = Counter(
            db.session.scalars(
                sa.select(Registration.state).where(Registration.batch_id == batch_id)
            )
        )
        positions = sorted(
            db.session.scalars(
                sa.select(Registration.waitlist_position).where(
                    Registration.batch_id == batch_id, Registration.state == S.WAITLISTED
                )
            )
        )
        db.session.remove()
    return seats, states, positions


def test_fifty_concurrent_approvals_for_ten_seats(race_app):
    for _ in range(ROUNDS):
        batch_id, jobs = build(race_app, asn=ASN, capacity=CAPACITY)
        outcomes = race(race_app, jobs, decide)
        assert outcomes == Counter({"enrolled": CAPACITY, "waitlisted": ASN - CAPACITY}), outcomes
        seats, states, positions = state_of(race_app, batch_id)
        assert seats == CAPACITY
        assert states == Counter({S.ENROLLED: CAPACITY, S.WAITLISTED: ASN - CAPACITY})
        assert positions == list(range(1, ASN - CAPACITY + 1))


def test_cancellations_racing_with_approvals_never_leave_a_seat_free_while_someone_waits(
    race_app,
):
    batch_id, jobs = build(race_app, asn=20, capacity=5, enrolled=5, waitlisted=3)
    outcomes = race(race_app, jobs, decide)
    assert outcomes["cancelled"] == 5 and not any(k.startswith("unexpected") for k in outcomes)
    seats, states, _positions = state_of(race_app, batch_id)
    assert states[S.ENROLLED] == seats == 5
    assert states[S.CANCELLED] == 5 and states[S.WAITLISTED] == 23 - 5
