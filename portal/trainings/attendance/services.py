"""Attendance (marked by a facilitator, or a check-in with the session's code) and completing a
batch by the configurable rule (``TRAINING_MIN_ATTENDANCE`` and the post-test)."""

from __future__ import annotations

import hmac
import importlib
import importlib.util
from collections.abc import Callable
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from portal import audit
from portal.db import db, utcnow
from portal.errors import DomainError, FieldError, InvalidTransition
from portal.i18n import _l
from portal.notify import tell
from portal.own_record import refuse_own_record
from portal.trainings.batches.workflow import BATCH, BatchAction
from portal.trainings.common import (
    asn_user,
    move,
    notice_params,
    registration_link,
    supervisor_user,
)
from portal.trainings.ledger.schedule import batch_jp
from portal.trainings.models import (
    Attendance,
    AttendanceMethod,
    BatchState,
    Registration,
    RegistrationState,
    TrainingBatch,
    TrainingSession,
    is_admin_for,
)
from portal.trainings.registrations import workflow
from portal.trainings.registrations.workflow import RegistrationAction
from portal.util import clock

S = RegistrationState


#: Attendance decides completion, and completion credits verified JP: nobody marks their own.
OWN_ATTENDANCE = _l(
    "You cannot mark your own attendance: check in with the session's code, or another "
    "facilitator marks it."
)


def can_mark_attendance(batch: TrainingBatch, user) -> bool:
    """The batch's facilitators, and admins of the curriculum's partner OPD (or city-wide)."""
    return batch.is_facilitator(user) or is_admin_for(user, batch.curriculum.agency_id)


def _record(
    session: TrainingSession,
    registration: Registration,
    *,
    present: bool,
    method: AttendanceMethod,
    actor,
    now: datetime,
) -> Attendance:
    """Insert or update the one attendance row of (session, registration)."""
    row = db.session.scalars(
        sa.select(Attendance).where(
            Attendance.session_id == session.id, Attendance.registration_id == registration.id
        )
    ).first()
    if row is None:
        row = Attendance(
            session_id=session.id,
            registration_id=registration.id,
            present=present,
            method=method,
            at=now,
            recorded_by_id=getattr(actor, "id", None),
        )
        try:
            with db.session.begin_nested():
                db.session.add(row)
                db.session.flush()
            return row
        except IntegrityError:  # recorded a moment ago by someone else: update that row
            row = db.session.scalars(
                sa.select(Attendance).where(
                    Attendance.session_id == session.id,
                    Attendance.registration_id == registration.id,
                )
            ).one()
    row.present, row.method, row.at = present, method, now
    row.recorded_by_id = getattr(actor, "id", None)
    db.session.flush()
    return row


def mark_attendance(
    session: TrainingSession,
    registration: Registration,
    *,
    actor,
    present: bool = True,
    now: datetime | None = None,
) -> Attendance:
    """A facilitator marks an enrolled participant present or absent for a session. Refuses
    others, and the facilitator's (or admin's) own registration."""
    batch = session.batch
    if not can_mark_attendance(batch, actor):
        raise DomainError(_l("Only a facilitator of this training can mark attendance."))
    refuse_own_record(actor, registration, OWN_ATTENDANCE)
    if registration.batch_id != batch.id or registration.state != S.ENROLLED:
        raise DomainError(_l("Only participants enrolled in this training have attendance."))
    if batch.state not in (BatchState.OPEN, BatchState.CLOSED):
        raise InvalidTransition(_l("Attendance of a completed training can no longer change."))
    row = _record(
        session,
        registration,
        present=bool(present),
        method=AttendanceMethod.FACILITATOR,
        actor=actor,
        now=now or utcnow(),
    )
    audit.record(
        actor,
        "training.attendance",
        row,
        target_label=batch.title,
        registration_id=registration.id,
        present=bool(present),
    )
    return row


def check_in_window(session: TrainingSession) -> tuple[datetime, datetime]:
    """From ``TRAINING_CHECKIN_GRACE_MINUTES`` before the start until the end."""
    grace = timedelta(minutes=current_app.config["TRAINING_CHECKIN_GRACE_MINUTES"])
    return session.starts_at - grace, session.ends_at


class CheckInRefused(FieldError):
    """A check-in refused: shown beside the code the ASN typed."""

    field = "code"

    def __init__(self, message):
        super().__init__(message=message)


def check_in(
    session: TrainingSession, code: str, *, actor, now: datetime | None = None
) -> Attendance:
    """The ASN checks in with the session's code; refused outside the window (a code seen
    yesterday does not work today), with a wrong code, or without an enrolment."""
    now = now or utcnow()
    registration = db.session.scalars(
        sa.select(Registration).where(
            Registration.batch_id == session.batch_id, Registration.user_id == actor.id
        )
    ).first()
    if registration is None or registration.state != S.ENROLLED:
        raise CheckInRefused(_l("You are not enrolled in this training."))
    if session.batch.state not in (BatchState.OPEN, BatchState.CLOSED):
        raise CheckInRefused(_l("This training is over; check-in is closed."))
    given = (code or "").strip().upper().replace(" ", "").replace("-", "")
    if not hmac.compare_digest(given.encode(), session.check_in_code.encode()):
        raise CheckInRefused(_l("This check-in code is not right for this session."))
    opens, closes = check_in_window(session)
    if now < opens:
        raise CheckInRefused(
            _l("Check-in for this session opens at %(time)s WIB.", time=clock.local_text(opens))
        )
    if now > closes:
        raise CheckInRefused(
            _l(
                "This session ended at %(time)s WIB; its code can no longer be used.",
                time=clock.local_text(closes),
            )
        )
    row = _record(
        session, registration, present=True, method=AttendanceMethod.CHECK_IN, actor=actor, now=now
    )
    audit.record(
        actor,
        "training.attendance",
        row,
        target_label=session.batch.title,
        registration_id=registration.id,
        present=True,
        method="check_in",
    )
    return row


def attendance_rates(batch: TrainingBatch) -> dict[int, float]:
    """Share of the batch's sessions each registration attended (registration id -> 0…1)."""
    if "sessions" in sa.inspect(batch).dict:  # loaded with the batch: no need to count them
        sessions = len(batch.sessions)
    else:
        sessions = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(TrainingSession)
            .where(TrainingSession.batch_id == batch.id)
        )
    if not sessions:
        return {}
    present = dict(
        db.session.execute(
            sa.select(Attendance.registration_id, sa.func.count())
            .join(TrainingSession, TrainingSession.id == Attendance.session_id)
            .where(TrainingSession.batch_id == batch.id, Attendance.present.is_(True))
            .group_by(Attendance.registration_id)
        ).all()
    )
    return {reg_id: count / sessions for reg_id, count in present.items()}


def _credit_hook():
    """The JP ledger's ``credit_training``, or None while the ledger is not installed.

    The ledger (``portal/trainings/ledger/services.py``, models in ``ledger.py``) is written
    separately from this module; once it is there, a completed registration credits its JP in
    the same transaction as the completion (after the state change, so the ledger sees a
    completed registration). The modules are looked up first rather than catching ImportError
    around the import, so a real error inside the ledger is not silently taken for "no ledger".
    """
    for name in ("portal.trainings.ledger.services", "portal.trainings.ledger.models"):
        if importlib.util.find_spec(name) is None:
            continue
        hook = getattr(importlib.import_module(name), "credit_training", None)
        if hook is not None:
            return hook
    return None


def complete_batch(
    batch: TrainingBatch,
    *,
    actor,
    post_test_passed: Callable[[Registration], bool],
    now: datetime | None = None,
) -> dict[str, list[Registration]]:
    """Close the training: each enrolled registration becomes completed (attendance at least
    ``TRAINING_MIN_ATTENDANCE`` and ``post_test_passed(registration)``) or not_completed.
    Completed ones credit the JP the batch's schedule earns (``ledger.schedule.batch_jp``)
    through the ledger when it is installed; a schedule that earns no whole JP credits none."""
    now = now or utcnow()
    batch_state = BATCH.check(batch, BatchAction.COMPLETE, actor, now=now)
    minimum = float(current_app.config["TRAINING_MIN_ATTENDANCE"])
    rates = attendance_rates(batch)
    enrolled = list(
        db.session.scalars(
            sa.select(Registration)
            .where(Registration.batch_id == batch.id, Registration.state == S.ENROLLED)
            .options(selectinload(Registration.batch))
            .order_by(Registration.id)
            .with_for_update()
        )
    )
    credit = _credit_hook()
    outcome: dict[str, list[Registration]] = {"completed": [], "not_completed": []}
    for registration in enrolled:
        rate = rates.get(registration.id, 0.0)
        registration.attendance_rate = rate
        passed = rate + 1e-9 >= minimum and bool(post_test_passed(registration))
        action = RegistrationAction.COMPLETE if passed else RegistrationAction.FAIL
        to_state = workflow.check(registration, action, None)
        move(registration, action, to_state, actor=actor, now=now)
        outcome[str(to_state)].append(registration)
    # The batch moves last: its registrations change only while it is open or closed.
    batch.state, batch.completed_at = batch_state, now
    db.session.flush()
    audit.record(
        actor,
        "training.batch",
        batch,
        target_label=batch.title,
        step="complete",
        completed=len(outcome["completed"]),
        not_completed=len(outcome["not_completed"]),
    )
    # The JP the schedule earns (not the curriculum's nominal JP), worked out once for all.
    earned = batch_jp(batch)
    for registration in outcome["completed"]:
        if credit is not None and earned.jp > 0:
            credit(registration, actor=actor)
        _tell_result(registration, "trainings.completed", jp=earned.jp)
    for registration in outcome["not_completed"]:
        _tell_result(
            registration,
            "trainings.not_completed",
            attendance=round(100 * (registration.attendance_rate or 0)),
        )
    return outcome


def _tell_result(registration: Registration, key: str, **extra) -> None:
    tell(
        [asn_user(registration), supervisor_user(registration)],
        key,
        link=registration_link(registration),
        **notice_params(registration),
        **extra,
    )
