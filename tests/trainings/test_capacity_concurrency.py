"""G8: a batch's capacity holds when many supervisors approve at the same moment, and a
cancellation racing with approvals leaves no free seat while someone waits.

Each thread is one request (own app context, session and connection; commit or roll back). The
shared ``db`` fixture keeps every test inside one transaction, which threads cannot share, so
this module builds its own app on its own database: a SQLite file, or a throwaway PostgreSQL
database when PORTAL_TEST_DATABASE_URI is set.
"""

from __future__ import annotations

import threading
from collections import Counter

import pytest
import sqlalchemy as sa

from portal.auth.models import User
from portal.db import db
from portal.errors import DomainError
from portal.trainings import registration_services
from portal.trainings.models import Registration, RegistrationState, TrainingBatch
from tests.factories import Factories
from tests.isolated_app import isolated_app
from tests.trainings.conftest import TrainingFactories

ROUNDS, ASN, CAPACITY = 5, 50, 10
S = RegistrationState


@pytest.fixture(scope="module")
def race_app(tmp_path_factory):
    with isolated_app(tmp_path_factory.mktemp("training_race"), "portal_trace") as app:
        yield app


def build(app, *, asn: int, capacity: int, enrolled: int = 0, waitlisted: int = 0):
    """A batch with ``asn`` requested registrations (one supervisor each), plus ``enrolled``
    and ``waitlisted`` ones; all committed. Returns the batch id and the job lists."""
    with app.app_context():
        tmake = TrainingFactories(Factories(db.session))
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
        batch_id = batch.id
        db.session.commit()
        db.session.remove()
    return batch_id, jobs


def race(app, jobs) -> Counter:
    barrier = threading.Barrier(len(jobs))
    outcomes: list[str] = [""] * len(jobs)

    def run(i: int, step: str, registration_id: int, user_id: int) -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=60)
                actor = db.session.get(User, user_id)
                reg = db.session.get(Registration, registration_id)
                if step == "approve":
                    outcomes[i] = str(registration_services.approve(reg, actor=actor).state)
                else:
                    registration_services.cancel(reg, actor=actor)
                    outcomes[i] = "cancelled"
                db.session.commit()
            except DomainError as exc:
                db.session.rollback()
                outcomes[i] = type(exc).__name__
            except Exception as exc:  # anything else would be a 500
                db.session.rollback()
                outcomes[i] = f"unexpected {type(exc).__name__}: {exc}"
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i, *job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    return Counter(outcomes)


def state_of(app, batch_id: int) -> tuple[int, Counter, list[int]]:
    with app.app_context():
        seats = db.session.get(TrainingBatch, batch_id).seats_taken
        states = Counter(db.session.scalars(
            sa.select(Registration.state).where(Registration.batch_id == batch_id)))  # fmt: skip
        positions = sorted(db.session.scalars(
            sa.select(Registration.waitlist_position).where(
                Registration.batch_id == batch_id, Registration.state == S.WAITLISTED)))  # fmt: skip
        db.session.remove()
    return seats, states, positions


def test_fifty_concurrent_approvals_for_ten_seats(race_app):
    for _ in range(ROUNDS):
        batch_id, jobs = build(race_app, asn=ASN, capacity=CAPACITY)
        outcomes = race(race_app, jobs)
        assert outcomes == Counter({"enrolled": CAPACITY, "waitlisted": ASN - CAPACITY}), outcomes
        seats, states, positions = state_of(race_app, batch_id)
        assert seats == CAPACITY
        assert states == Counter({S.ENROLLED: CAPACITY, S.WAITLISTED: ASN - CAPACITY})
        assert positions == list(range(1, ASN - CAPACITY + 1))


def test_cancellations_racing_with_approvals_never_leave_a_seat_free_while_someone_waits(
    race_app,
):
    batch_id, jobs = build(race_app, asn=20, capacity=5, enrolled=5, waitlisted=3)
    outcomes = race(race_app, jobs)
    assert outcomes["cancelled"] == 5 and not any(k.startswith("unexpected") for k in outcomes)
    seats, states, _positions = state_of(race_app, batch_id)
    assert states[S.ENROLLED] == seats == 5
    assert states[S.CANCELLED] == 5 and states[S.WAITLISTED] == 23 - 5
