"""What the training service modules share: the refusals, the notification texts, the people to
notify, local times and the registration history.

The writes themselves live in ``batch_services`` (scheduling a batch and its sessions),
``registration_services`` (register, nominate, approve, decline, cancel, the waiting list) and
``attendance_services`` (attendance, check-in, completion). Services flush, record and notify;
they never commit.
"""

from __future__ import annotations

from datetime import datetime

from portal import audit
from portal.auth.models import User
from portal.competency.models import AsnProfile
from portal.db import db, utcnow
from portal.errors import DomainError
from portal.i18n import _l
from portal.notify import register_messages
from portal.trainings.models import Registration, RegistrationEvent, RegistrationState
from portal.util import links


class BatchFull(DomainError):
    default_message = _l("This training has no free seat.")


register_messages(
    trainings__requested=_l(
        "%(asn)s asks to join the training “%(training)s” and waits for your approval."
    ),
    trainings__requested_clash=_l(
        "%(asn)s asks to join the training “%(training)s” and waits for your approval. "
        "Its sessions overlap with another training of %(asn)s."
    ),
    trainings__registered=_l(
        "Your registration for “%(training)s” was sent to your supervisor for approval."
    ),
    trainings__nominated=_l(
        "An admin nominated you for the training “%(training)s”; your supervisor will decide."
    ),
    trainings__enrolled=_l("You are enrolled in the training “%(training)s”."),
    trainings__enrolled_supervisor=_l("%(asn)s is enrolled in the training “%(training)s”."),
    trainings__waitlisted=_l(
        "The training “%(training)s” is full; you are number %(position)s on the waiting list."
    ),
    trainings__declined=_l(
        "Your supervisor declined your registration for “%(training)s”: %(reason)s"
    ),
    trainings__cancelled=_l("The registration of %(asn)s for “%(training)s” was cancelled."),
    trainings__promoted=_l(
        "A seat freed in the training “%(training)s”: %(asn)s moved up from the waiting list "
        "and is enrolled."
    ),
    trainings__completed=_l("%(asn)s completed the training “%(training)s” (%(jp)s JP)."),
    trainings__not_completed=_l(
        "%(asn)s did not complete the training “%(training)s” (attendance %(attendance)s%%)."
    ),
    trainings__facilitator=_l("You are a facilitator of the training “%(training)s”."),
)


def record_batch(actor, action: str, batch, step: str, **detail) -> None:
    """Audit a ``step`` of ``action`` on a batch, labelled with the batch's title."""
    audit.record(actor, action, batch, target_label=batch.title, step=step, **detail)


def registration_link(registration: Registration) -> str | None:
    return links.link("trainings.registration", registration_id=registration.id)


def asn_user(registration: Registration) -> User:
    return db.session.get(User, registration.user_id)


def supervisor_user(registration: Registration) -> User | None:
    asn = db.session.get(AsnProfile, registration.asn_id)
    if asn is None or asn.supervisor_id is None:
        return None
    supervisor = db.session.get(AsnProfile, asn.supervisor_id)
    return db.session.get(User, supervisor.user_id) if supervisor is not None else None


def notice_params(registration: Registration) -> dict:
    return {"asn": asn_user(registration).full_name, "training": registration.batch.title}


def move(
    registration: Registration,
    action: str,
    to_state: RegistrationState,
    *,
    actor,
    note: str | None = None,
    now: datetime | None = None,
) -> RegistrationEvent:
    """Set the state and write the history (the waiting-list number goes once off the list)."""
    now = now or utcnow()
    event = RegistrationEvent(
        registration_id=registration.id,
        action=str(action),
        from_state=registration.state,
        to_state=to_state,
        actor_id=getattr(actor, "id", None),
        note=note or None,
        at=now,
    )
    registration.state = to_state
    if to_state != RegistrationState.WAITLISTED:
        registration.waitlist_position = None
    if registration.decided_at is None and to_state != RegistrationState.REQUESTED:
        registration.decided_at = now
    db.session.add(event)
    return event
