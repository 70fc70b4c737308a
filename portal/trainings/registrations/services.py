"""Registering for a batch, the supervisor's decision, cancelling, and the waiting list.

Every step that touches seats first locks the batch row (``SELECT … FOR UPDATE`` on
PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` already serialises writers), so approvals and
cancellations of one batch take turns while other batches are untouched. The seat itself is
taken with one conditional UPDATE whose row count says whether there was room (QUALITY.md G8);
the unique constraints (one registration per ASN and batch, one waiting-list number per batch)
catch whatever gets past.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, selectinload

from portal import audit
from portal.competency.models import AsnProfile
from portal.db import db, utcnow
from portal.errors import DomainError
from portal.i18n import _l
from portal.notify import tell
from portal.trainings.batches.services import can_manage
from portal.trainings.common import (
    asn_user,
    move,
    notice_params,
    registration_link,
    supervisor_user,
)
from portal.trainings.models import (
    ACTIVE_STATES,
    Registration,
    RegistrationEvent,
    RegistrationState,
    TrainingBatch,
    TrainingSession,
    is_admin_for,
)
from portal.trainings.registrations import workflow
from portal.trainings.registrations.workflow import RegistrationAction
from portal.util.text import clean_text

S = RegistrationState


def lock_batch(batch_id: int) -> None:
    db.session.execute(
        sa.select(TrainingBatch.id).where(TrainingBatch.id == batch_id).with_for_update()
    )


def take_seat(batch_id: int) -> bool:
    """One seat, if one is free: ``UPDATE … SET seats_taken = seats_taken + 1 WHERE
    seats_taken < capacity``; the row count says whether it worked."""
    result = db.session.execute(
        sa.update(TrainingBatch)
        .where(TrainingBatch.id == batch_id, TrainingBatch.seats_taken < TrainingBatch.capacity)
        .values(seats_taken=TrainingBatch.seats_taken + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def free_seat(batch_id: int) -> None:
    db.session.execute(
        sa.update(TrainingBatch)
        .where(TrainingBatch.id == batch_id, TrainingBatch.seats_taken > 0)
        .values(seats_taken=TrainingBatch.seats_taken - 1)
        .execution_options(synchronize_session=False)
    )


def _next_waitlist_position(batch_id: int) -> int:
    last = db.session.scalar(
        sa.select(sa.func.max(Registration.waitlist_position)).where(
            Registration.batch_id == batch_id
        )
    )
    return (last or 0) + 1


def clashing_batches(asn_id: int, batch: TrainingBatch) -> list[TrainingBatch]:
    """The ASN's other batches (active registrations) with a session overlapping one of
    ``batch``'s sessions."""
    mine, theirs = aliased(TrainingSession), aliased(TrainingSession)
    return list(
        db.session.scalars(
            sa.select(TrainingBatch)
            .join(Registration, Registration.batch_id == TrainingBatch.id)
            .join(theirs, theirs.batch_id == TrainingBatch.id)
            .join(mine, mine.batch_id == batch.id)
            .where(
                Registration.asn_id == asn_id,
                Registration.state.in_(ACTIVE_STATES),
                TrainingBatch.id != batch.id,
                theirs.starts_at < mine.ends_at,
                mine.starts_at < theirs.ends_at,
            )
            .distinct()
            .order_by(TrainingBatch.id)
        )
    )


def _check_can_join(batch: TrainingBatch, asn: AsnProfile, now: datetime) -> None:
    if not batch.registration_is_open(now):
        raise DomainError(_l("Registration for this training is not open."))
    if asn.supervisor_id is None:
        raise DomainError(
            _l("Your ASN record has no supervisor to approve the registration; ask an admin.")
        )
    agencies = {a.id for a in batch.target_agencies}
    if agencies and asn.agency_id not in agencies:
        raise DomainError(_l("This training is for other OPD."))
    positions = {p.id for p in batch.target_positions}
    if positions and asn.position_id not in positions:
        raise DomainError(_l("This training is for other positions."))


def _create(batch, asn, *, actor, action: str, now) -> Registration:
    _check_can_join(batch, asn, now)
    registration = Registration(
        batch_id=batch.id,
        asn_id=asn.id,
        user_id=asn.user_id,
        agency_id=asn.agency_id,
        state=S.REQUESTED,
        nominated_by_id=actor.id if action == workflow.NOMINATE else None,
    )
    try:
        with db.session.begin_nested():
            db.session.add(registration)
            db.session.flush()
    except IntegrityError:
        raise DomainError(_l("This ASN is already registered for this training.")) from None
    registration.has_clash = bool(clashing_batches(asn.id, batch))
    db.session.add(
        RegistrationEvent(
            registration_id=registration.id,
            action=action,
            from_state=None,
            to_state=S.REQUESTED,
            actor_id=actor.id,
            at=now,
        )
    )
    db.session.flush()
    audit.record(
        actor,
        "training.registration",
        registration,
        target_label=batch.title,
        step=action,
        clash=registration.has_clash,
    )
    params = notice_params(registration)
    here = registration_link(registration)
    key = "trainings.requested_clash" if registration.has_clash else "trainings.requested"
    tell([supervisor_user(registration)], key, link=here, **params)
    tell(
        [asn_user(registration)],
        "trainings.nominated" if action == workflow.NOMINATE else "trainings.registered",
        link=here,
        **params,
    )
    return registration


def register(batch: TrainingBatch, *, actor, now: datetime | None = None) -> Registration:
    """The signed-in ASN registers; the registration waits for their supervisor.
    ``has_clash`` is set when the sessions overlap the ASN's other trainings (allowed, flagged;
    :func:`clashing_batches` lists them)."""
    asn = db.session.scalar(sa.select(AsnProfile).where(AsnProfile.user_id == actor.id))
    if asn is None:
        raise DomainError(_l("Only ASN with an ASN record can register for a training."))
    return _create(batch, asn, actor=actor, action=workflow.REGISTER, now=now or utcnow())


def nominate(
    batch: TrainingBatch, asn: AsnProfile, *, actor, now: datetime | None = None
) -> Registration:
    """An admin (city-wide, or of the ASN's OPD) nominates an ASN; the supervisor still decides."""
    if not is_admin_for(actor, asn.agency_id):
        raise DomainError(_l("Only an admin can nominate ASN of this OPD."))
    return _create(batch, asn, actor=actor, action=workflow.NOMINATE, now=now or utcnow())


def _fresh(registration: Registration) -> Registration:
    """The registration as it is now, locked (not as the caller loaded it)."""
    return db.session.execute(
        sa.select(Registration)
        .where(Registration.id == registration.id)
        .with_for_update()
        .options(selectinload(Registration.batch))
        .execution_options(populate_existing=True)
    ).scalar_one()


def approve(registration: Registration, *, actor, now: datetime | None = None) -> Registration:
    """The supervisor approves: a seat if one is free (enrolled), otherwise the next number on
    the waiting list (waitlisted)."""
    now = now or utcnow()
    lock_batch(registration.batch_id)
    registration = _fresh(registration)
    workflow.check(registration, RegistrationAction.APPROVE, actor)
    if take_seat(registration.batch_id):
        move(registration, RegistrationAction.APPROVE, S.ENROLLED, actor=actor, now=now)
    else:
        position = _next_waitlist_position(registration.batch_id)
        move(registration, RegistrationAction.APPROVE, S.WAITLISTED, actor=actor, now=now)
        registration.waitlist_position = position
    registration.has_clash = bool(clashing_batches(registration.asn_id, registration.batch))
    db.session.flush()
    db.session.expire(registration.batch, ["seats_taken"])
    audit.record(
        actor,
        "training.registration",
        registration,
        target_label=registration.batch.title,
        step="approve",
        state=str(registration.state),
    )
    _tell_placed(registration)
    return registration


def _tell_placed(registration: Registration) -> None:
    params = notice_params(registration)
    here = registration_link(registration)
    if registration.state == S.ENROLLED:
        tell([asn_user(registration)], "trainings.enrolled", link=here, **params)
        tell([supervisor_user(registration)], "trainings.enrolled_supervisor", link=here, **params)
    else:
        tell(
            [asn_user(registration)],
            "trainings.waitlisted",
            link=here,
            position=waitlist_rank(registration),
            **params,
        )


def waitlist_rank(registration: Registration) -> int | None:
    """Place on the waiting list now (1 = next to move up)."""
    if registration.waitlist_position is None:
        return None
    ahead = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Registration)
        .where(
            Registration.batch_id == registration.batch_id,
            Registration.state == S.WAITLISTED,
            Registration.waitlist_position < registration.waitlist_position,
        )
    )
    return ahead + 1


def decline(
    registration: Registration, *, actor, reason: str, now: datetime | None = None
) -> Registration:
    """The supervisor declines, with a reason the ASN reads."""
    registration = _fresh(registration)
    workflow.check(registration, RegistrationAction.DECLINE, actor)
    reason = clean_text(reason)
    if not reason:
        raise DomainError(_l("Give a reason for declining."))
    move(registration, RegistrationAction.DECLINE, S.DECLINED, actor=actor, note=reason, now=now)
    registration.decision_reason = reason
    db.session.flush()
    audit.record(
        actor,
        "training.registration",
        registration,
        target_label=registration.batch.title,
        step="decline",
    )
    tell(
        [asn_user(registration)],
        "trainings.declined",
        link=registration_link(registration),
        reason=reason,
        **notice_params(registration),
    )
    return registration


def cancel(
    registration: Registration, *, actor, note: str | None = None, now: datetime | None = None
) -> Registration | None:
    """The ASN or an admin cancels. An enrolled registration's seat goes to the first on the
    waiting list in the same transaction (or is freed when nobody waits). Returns the
    registration that moved up, if any."""
    now = now or utcnow()
    lock_batch(registration.batch_id)
    registration = _fresh(registration)
    workflow.check(registration, RegistrationAction.CANCEL, actor)
    had_seat = registration.state == S.ENROLLED
    move(
        registration,
        RegistrationAction.CANCEL,
        S.CANCELLED,
        actor=actor,
        note=clean_text(note) or None,
        now=now,
    )
    db.session.flush()
    audit.record(
        actor,
        "training.registration",
        registration,
        target_label=registration.batch.title,
        step="cancel",
    )
    tell(
        [asn_user(registration), supervisor_user(registration)],
        "trainings.cancelled",
        link=registration_link(registration),
        **notice_params(registration),
    )
    promoted = None
    if had_seat:
        promoted = promote_first(registration.batch_id, now=now)
        if promoted is None:
            free_seat(registration.batch_id)
    db.session.expire(registration.batch, ["seats_taken"])
    return promoted


def promote_first(batch_id: int, *, now: datetime | None = None) -> Registration | None:
    """The first waitlisted registration takes the seat just given up (the seat count does not
    change). The caller holds the batch lock."""
    first = db.session.scalars(
        sa.select(Registration)
        .where(Registration.batch_id == batch_id, Registration.state == S.WAITLISTED)
        .options(selectinload(Registration.batch))
        .order_by(Registration.waitlist_position, Registration.id)
        .limit(1)
        .with_for_update()
    ).first()
    if first is None:
        return None
    workflow.check(first, RegistrationAction.PROMOTE, None)
    move(first, RegistrationAction.PROMOTE, S.ENROLLED, actor=None, now=now)
    db.session.flush()
    audit.record(
        None, "training.registration", first, target_label=first.batch.title, step="promote"
    )
    tell(
        [asn_user(first), supervisor_user(first)],
        "trainings.promoted",
        link=registration_link(first),
        **notice_params(first),
    )
    return first


def can_view_registration(registration: Registration, user) -> bool:
    """The ASN, their supervisor, admins of the ASN's OPD, and the people who manage or
    facilitate the batch (``batch.curriculum.authors`` and ``facilitators`` loaded)."""
    batch = registration.batch
    return bool(
        workflow.parties_of(registration, user)
        or can_manage(batch, user)
        or batch.is_facilitator(user)
    )
