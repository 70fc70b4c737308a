"""Scheduling a training batch from a published curriculum, its sessions, and opening or
closing its registration."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from portal import audit
from portal.auth.models import AccountStatus, Role, User
from portal.curricula.models import Curriculum
from portal.db import db
from portal.errors import DomainError, InvalidTransition
from portal.i18n import _l
from portal.notify import register_messages, tell
from portal.trainings.batches.workflow import BATCH, BatchAction, can_manage, is_agency_coauthor
from portal.trainings.common import asn_user, move, record_batch, registration_link
from portal.trainings.ledger.schedule import ScheduleJP, batch_jp
from portal.trainings.models import (
    ACTIVE_STATES,
    Attendance,
    BatchState,
    Registration,
    RegistrationState,
    TrainingBatch,
    TrainingSession,
    is_admin_for,
    signed_in,
)
from portal.util import clock, links
from portal.util.text import clean_text

#: Check-in codes avoid characters that are easy to misread (0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def new_check_in_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def can_schedule(curriculum: Curriculum, user) -> bool:
    """An admin (city-wide, or of the curriculum's partner OPD), or the curriculum's agency-side
    co-author, may schedule batches of a published curriculum."""
    if not curriculum.is_published:
        return False
    return is_admin_for(user, curriculum.agency_id) or is_agency_coauthor(curriculum, user)


def _check_facilitators(users) -> list:
    users = list(users)
    for user in users:
        if (
            Role.UNIVERSITY not in user.roles
            or not user.is_active
            or (user.status != AccountStatus.ACTIVE)
        ):
            raise DomainError(_l("Facilitators must be active university lecturers."))
    return users


def _checked_jp(capacity, jp, default_jp, opens_at, closes_at) -> int:
    """Refuse a capacity, JP or registration window out of bounds; the JP (``default_jp`` when
    not given)."""
    if not isinstance(capacity, int) or not 1 <= capacity <= 10000:
        raise DomainError(_l("The capacity must be a whole number of at least 1."))
    jp = jp if jp is not None else default_jp
    if not isinstance(jp, int) or not 1 <= jp <= 1000:
        raise DomainError(_l("The JP must be a whole number of at least 1."))
    if opens_at is not None and closes_at is not None and closes_at <= opens_at:
        raise DomainError(_l("Registration must close after it opens."))
    return jp


def _set_people(batch: TrainingBatch, facilitators, target_agencies, target_positions) -> None:
    batch.facilitators = _check_facilitators(facilitators)
    batch.target_agencies = list(target_agencies)
    batch.target_positions = list(target_positions)


def _record_saved(batch: TrainingBatch, *, actor, step: str, new_facilitators) -> None:
    """Flush a scheduled or edited batch, audit it and tell its new facilitators."""
    db.session.flush()
    record_batch(actor, "training.batch", batch, step, capacity=batch.capacity, jp=batch.jp)
    here = links.link("trainings.batch", batch_id=batch.id)
    tell(new_facilitators, "trainings.facilitator", link=here, training=batch.title)


def schedule_batch(
    curriculum: Curriculum,
    *,
    actor,
    capacity: int,
    title: str | None = None,
    jp: int | None = None,
    registration_opens_at: datetime | None = None,
    registration_closes_at: datetime | None = None,
    facilitators=(),
    target_agencies=(),
    target_positions=(),
) -> TrainingBatch:
    """A new batch (a draft) of a published curriculum; JP default to the curriculum's total."""
    if not curriculum.is_published:
        raise DomainError(_l("Only a published curriculum can be scheduled as a training."))
    if not can_schedule(curriculum, actor):
        raise DomainError(
            _l("Only an admin or the agency co-author of the curriculum can schedule it.")
        )
    jp = _checked_jp(
        capacity, jp, curriculum.total_jp, registration_opens_at, registration_closes_at
    )
    batch = TrainingBatch(
        curriculum_id=curriculum.id,
        title=clean_text(title, 200) or curriculum.title,
        capacity=capacity,
        seats_taken=0,
        jp=jp,
        state=BatchState.DRAFT,
        registration_opens_at=registration_opens_at,
        registration_closes_at=registration_closes_at,
        created_by_id=actor.id,
    )
    _set_people(batch, facilitators, target_agencies, target_positions)
    db.session.add(batch)
    _record_saved(batch, actor=actor, step="schedule", new_facilitators=batch.facilitators)
    return batch


def _checked_slot(on, starts, ends, place, online_link):
    """The UTC start and end of a session on ``on`` from ``starts`` to ``ends`` (WIB), and its
    cleaned place and online link; refused when it ends first or has neither place nor link."""
    starts_at, ends_at = clock.local_moment(on, starts), clock.local_moment(on, ends)
    if ends_at <= starts_at:
        raise DomainError(_l("A session must end after it starts."))
    place, online_link = clean_text(place, 200), clean_text(online_link, 500)
    if not place and not online_link:
        raise DomainError(_l("Give the session's place or its online link."))
    if online_link and not online_link.startswith(("https://", "http://")):
        raise DomainError(_l("The online link must start with https://."))
    return starts_at, ends_at, place or None, online_link or None


def add_session(
    batch: TrainingBatch,
    *,
    actor,
    on: date,
    starts: time,
    ends: time,
    place: str | None = None,
    online_link: str | None = None,
) -> TrainingSession:
    """A session on ``on`` from ``starts`` to ``ends`` (wall-clock times in WIB), with a place or
    an online link, and its own random check-in code."""
    if not can_manage(batch, actor):
        raise DomainError(_l("Only the people who scheduled this training can change it."))
    if batch.state not in (BatchState.DRAFT, BatchState.OPEN, BatchState.CLOSED):
        raise InvalidTransition(
            _l("Sessions cannot be added to a completed or cancelled training.")
        )
    starts_at, ends_at, place, online_link = _checked_slot(on, starts, ends, place, online_link)
    session = TrainingSession(
        batch_id=batch.id,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        online_link=online_link,
        check_in_code=new_check_in_code(),
    )
    db.session.add(session)
    db.session.flush()
    db.session.expire(batch, ["sessions"])
    audit.record(
        actor,
        "training.session",
        session,
        target_label=batch.title,
        starts_at=starts_at.isoformat(),
    )
    return session


def _move_batch(batch: TrainingBatch, action: BatchAction, *, actor) -> None:
    BATCH.apply(batch, action, actor)
    db.session.flush()
    record_batch(actor, "training.batch", batch, action.value)


def open_batch(batch: TrainingBatch, *, actor) -> None:
    """Open registration (within the batch's registration window)."""
    _move_batch(batch, BatchAction.OPEN, actor=actor)


def close_batch(batch: TrainingBatch, *, actor) -> None:
    """Close registration; pending approvals, cancellations and attendance go on."""
    _move_batch(batch, BatchAction.CLOSE, actor=actor)


# --- pages (issue 5): who sees a batch, editing a draft, cancelling ------------------------------

register_messages(
    trainings__batch_cancelled=_l(
        "The training “%(training)s” was cancelled; your registration ends with it. %(reason)s"
    ),
)

#: Batch states every signed-in user may see (drafts and cancelled ones only their people).
PUBLIC_STATES = (BatchState.OPEN, BatchState.CLOSED, BatchState.COMPLETED)


def can_view_batch(batch: TrainingBatch, user, *, registered: bool = False) -> bool:
    """Open, closed and completed batches: every signed-in user; drafts and cancelled ones: the
    people who manage it and its facilitators (and, once cancelled, those who had registered).
    Needs ``curriculum.authors`` and ``facilitators`` loaded."""
    if not signed_in(user):
        return False
    if batch.state in PUBLIC_STATES or can_manage(batch, user) or batch.is_facilitator(user):
        return True
    return registered and batch.state == BatchState.CANCELLED


def update_batch(
    batch: TrainingBatch,
    *,
    actor,
    title: str | None,
    capacity: int,
    jp: int | None,
    registration_opens_at: datetime | None,
    registration_closes_at: datetime | None,
    facilitators=(),
    target_agencies=(),
    target_positions=(),
) -> TrainingBatch:
    """Change a draft batch (its curriculum stays); refused once registration has opened."""
    if not can_manage(batch, actor):
        raise DomainError(_l("Only the people who scheduled this training can change it."))
    if batch.state != BatchState.DRAFT:
        raise InvalidTransition(_l("Only a draft training can be edited."))
    jp = _checked_jp(
        capacity, jp, batch.curriculum.total_jp, registration_opens_at, registration_closes_at
    )
    before = {u.id for u in batch.facilitators}
    batch.title = clean_text(title, 200) or batch.curriculum.title
    batch.capacity, batch.jp = capacity, jp
    batch.registration_opens_at = registration_opens_at
    batch.registration_closes_at = registration_closes_at
    _set_people(batch, facilitators, target_agencies, target_positions)
    added = [u for u in batch.facilitators if u.id not in before]
    _record_saved(batch, actor=actor, step="edit", new_facilitators=added)
    return batch


def cancel_batch(batch: TrainingBatch, *, actor, reason: str | None = None) -> int:
    """Cancel a batch that has not been completed: its registrations still in play are
    cancelled (their ASN are told) and the seats go. Returns how many were cancelled."""
    to_state = BATCH.check(batch, BatchAction.CANCEL, actor)
    reason = clean_text(reason)
    active = list(
        db.session.scalars(
            sa.select(Registration)
            .where(Registration.batch_id == batch.id, Registration.state.in_(ACTIVE_STATES))
            .options(selectinload(Registration.batch))
            .order_by(Registration.id)
            .with_for_update()
        )
    )
    for registration in active:
        move(registration, "cancel", RegistrationState.CANCELLED, actor=actor, note=reason)
    batch.state, batch.seats_taken = to_state, 0
    db.session.flush()
    record_batch(actor, "training.batch", batch, "cancel", registrations=len(active))
    for registration in active:
        tell(
            [asn_user(registration)],
            "trainings.batch_cancelled",
            link=registration_link(registration),
            training=batch.title,
            reason=reason,
        )
    return len(active)


# --- rescheduling (issue 18): changing or removing a session once registration opened ------------

register_messages(
    trainings__session_changed=_l(
        "A session of the training “%(training)s” was changed: %(was_starts)s – %(was_ends)s, "
        "%(was_where)s → now %(starts)s – %(ends)s, %(where)s."
    ),
    trainings__session_removed=_l(
        "A session of the training “%(training)s” was cancelled: %(starts)s – %(ends)s, "
        "%(where)s. The other sessions stay as they were."
    ),
)

#: Batch states whose sessions may still be added, changed or removed.
RESCHEDULABLE = (BatchState.DRAFT, BatchState.OPEN, BatchState.CLOSED)


@dataclass(frozen=True)
class SessionChange:
    """What a change of the schedule did: whether anything changed, how many ASN were told and
    the JP the schedule earned before and earns after (``ledger.schedule.ScheduleJP``)."""

    changed: bool
    told: int
    jp_before: ScheduleJP
    jp_after: ScheduleJP


def _batch_of(session: TrainingSession) -> TrainingBatch:
    """The session's batch (from the identity map when the page loaded it)."""
    return db.session.get(TrainingBatch, session.batch_id)


def _check_reschedulable(session: TrainingSession, actor) -> TrainingBatch:
    batch = _batch_of(session)
    if not can_manage(batch, actor):
        raise DomainError(_l("Only the people who scheduled this training can change it."))
    if batch.state not in RESCHEDULABLE:
        raise InvalidTransition(
            _l("The sessions of a completed or cancelled training cannot be changed.")
        )
    return batch


def has_attendance(session: TrainingSession) -> bool:
    """True when attendance (present or absent) is recorded for ``session``."""
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Attendance)
            .where(Attendance.session_id == session.id)
        )
        > 0
    )


def _where(place: str | None, online_link: str | None) -> str:
    return " · ".join(part for part in (place, online_link) if part)


def _slot(session: TrainingSession) -> dict:
    return {
        "starts_at": session.starts_at.isoformat(),
        "ends_at": session.ends_at.isoformat(),
        "place": session.place,
        "online_link": session.online_link,
    }


def _registered_users(batch: TrainingBatch) -> list:
    """The users of the batch's registrations still in play (the waiting list and those waiting
    for their supervisor included), in registration order."""
    return list(
        db.session.scalars(
            sa.select(User)
            .join(Registration, Registration.user_id == User.id)
            .where(Registration.batch_id == batch.id, Registration.state.in_(ACTIVE_STATES))
            .order_by(Registration.id)
        )
    )


def _schedule_jp_now(batch: TrainingBatch) -> ScheduleJP:
    db.session.flush()
    db.session.expire(batch, ["sessions"])
    return batch_jp(batch)


def update_session(
    session: TrainingSession,
    *,
    actor,
    on: date,
    starts: time,
    ends: time,
    place: str | None = None,
    online_link: str | None = None,
) -> SessionChange:
    """Move a session to ``on`` from ``starts`` to ``ends`` (WIB) and/or change its place or
    online link, in a draft, open or closed batch. Its date and times stay once attendance is
    recorded for it. The ASN still registered are told what changed, old → new."""
    batch = _check_reschedulable(session, actor)
    starts_at, ends_at, place, online_link = _checked_slot(on, starts, ends, place, online_link)
    moved = (starts_at, ends_at) != (session.starts_at, session.ends_at)
    if moved and has_attendance(session):
        raise DomainError(
            _l(
                "This session's attendance is already recorded: its date and times can no "
                "longer be changed (its place or online link can)."
            )
        )
    before = _slot(session)
    was = (session.starts_at, session.ends_at, _where(session.place, session.online_link))
    jp_before = batch_jp(batch)
    session.starts_at, session.ends_at = starts_at, ends_at
    session.place, session.online_link = place, online_link
    after = _slot(session)
    if after == before:
        return SessionChange(False, 0, jp_before, jp_before)
    jp_after = _schedule_jp_now(batch)
    users = _registered_users(batch)
    audit.record(
        actor,
        "training.session_change",
        session,
        target_label=batch.title,
        before=before,
        after=after,
        jp=jp_after.jp,
    )
    tell(
        users,
        "trainings.session_changed",
        link=links.link("trainings.batch", batch_id=batch.id),
        training=batch.title,
        was_starts=was[0],
        was_ends=was[1],
        was_where=was[2],
        starts=starts_at,
        ends=ends_at,
        where=_where(place, online_link),
    )
    return SessionChange(True, len(users), jp_before, jp_after)


def removal_refusal(session: TrainingSession, *, attended: bool | None = None):
    """Why ``session`` cannot be removed (a translated text), or None: its attendance is
    recorded (``attended``, when the caller knows it), or it is the last session of a batch
    whose registration has opened."""
    if has_attendance(session) if attended is None else attended:
        return _l("This session's attendance is already recorded: it cannot be removed.")
    batch = _batch_of(session)
    if batch.state != BatchState.DRAFT and len(batch.sessions) <= 1:
        return _l(
            "This is the training's last session and registration has opened: add the new "
            "session first, then remove this one (or cancel the training)."
        )
    return None


def remove_session(session: TrainingSession, *, actor) -> SessionChange:
    """Remove a session of a draft, open or closed batch; refused when attendance is recorded
    for it, or when it is the last session of a batch whose registration has opened. The ASN
    still registered are told."""
    batch = _check_reschedulable(session, actor)
    refusal = removal_refusal(session)
    if refusal is not None:
        raise DomainError(refusal)
    jp_before = batch_jp(batch)
    slot = (session.starts_at, session.ends_at, _where(session.place, session.online_link))
    audit.record(
        actor,
        "training.session_remove",
        session,
        target_label=batch.title,
        before=_slot(session),
    )
    db.session.delete(session)
    jp_after = _schedule_jp_now(batch)
    users = _registered_users(batch)
    tell(
        users,
        "trainings.session_removed",
        link=links.link("trainings.batch", batch_id=batch.id),
        training=batch.title,
        starts=slot[0],
        ends=slot[1],
        where=slot[2],
    )
    return SessionChange(True, len(users), jp_before, jp_after)
