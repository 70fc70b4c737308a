"""The registration workflow (CONVENTIONS.md §6): one table of steps, one guard that says why a
step is blocked, and ``allowed_actions`` so a page shows exactly the buttons that would work.

requested → enrolled | waitlisted (the supervisor approves: a seat if one is free, else the
waiting list) | declined (the supervisor, with a reason); the ASN or an admin cancels while the
registration is active; a freed seat promotes the first waitlisted registration (automatic);
completing the batch moves enrolled registrations to completed or not_completed.
"""

from __future__ import annotations

import enum

from portal.competency.models import AsnProfile
from portal.db import db
from portal.i18n import _l
from portal.own_record import is_own_record
from portal.trainings.models import (
    BatchState,
    Registration,
    RegistrationState,
    is_admin_for,
    signed_in,
)
from portal.workflow import SYSTEM, Workflow, step

S = RegistrationState


class RegistrationAction(enum.StrEnum):
    APPROVE = "approve"
    DECLINE = "decline"
    CANCEL = "cancel"
    PROMOTE = "promote"
    COMPLETE = "complete"
    FAIL = "fail"

    @property
    def title(self):
        return ACTION_TITLES[self]

    @property
    def needs_reason(self) -> bool:
        return self == RegistrationAction.DECLINE


A = RegistrationAction
ACTION_TITLES = {
    A.APPROVE: _l("Approve"),
    A.DECLINE: _l("Decline"),
    A.CANCEL: _l("Cancel the registration"),
    A.PROMOTE: _l("Move up from the waiting list"),
    A.COMPLETE: _l("Completed"),
    A.FAIL: _l("Not completed"),
}

#: History entries that are not steps a user picks.
REGISTER, NOMINATE = "register", "nominate"
EVENT_TITLES = {
    REGISTER: _l("Registered by the ASN"),
    NOMINATE: _l("Nominated by an admin"),
    A.APPROVE.value: _l("Approved by the supervisor"),
    A.DECLINE.value: _l("Declined by the supervisor"),
    A.CANCEL.value: _l("Cancelled"),
    A.PROMOTE.value: _l("Moved up from the waiting list"),
    A.COMPLETE.value: _l("Training completed"),
    A.FAIL.value: _l("Training not completed"),
}

ASN, SUPERVISOR, ADMIN = "asn", "supervisor", "admin"

PARTY_TEXT = {
    frozenset({SUPERVISOR}): _l("Only the ASN's supervisor can do this."),
    frozenset({ASN, ADMIN}): _l("Only the ASN who registered or an admin can do this."),
    frozenset({SYSTEM}): _l("This happens automatically (a freed seat, or completing the batch)."),
}


def supervisor_user_id(asn: AsnProfile) -> int | None:
    """The user account of the ASN's supervisor (``AsnProfile.supervisor``), if any."""
    if asn.supervisor_id is None:
        return None
    supervisor = db.session.get(AsnProfile, asn.supervisor_id)
    return supervisor.user_id if supervisor is not None else None


def parties_of(registration: Registration, user) -> frozenset[str]:
    """The parties ``user`` acts for on this registration (a user may hold several). Never the
    supervisor of their own registration (a record that is its own supervisor)."""
    if not signed_in(user):
        return frozenset()
    parties = set()
    if is_own_record(user, registration):
        parties.add(ASN)
    asn = db.session.get(AsnProfile, registration.asn_id)
    if asn is not None and user.id == supervisor_user_id(asn) and ASN not in parties:
        parties.add(SUPERVISOR)
    if is_admin_for(user, registration.agency_id):
        parties.add(ADMIN)
    return frozenset(parties)


def _batch_running(registration: Registration, _action, _user):
    """Registrations change only while their batch is open or closed (not once completed)."""
    batch = registration.batch
    if batch.state not in (BatchState.OPEN, BatchState.CLOSED):
        return _l(
            "This training is “%(state)s”; registrations can no longer change.",
            state=batch.state.title,
        )
    return None


#: Approving leads to ``enrolled``, or to ``waitlisted`` when no seat is free (both count as
#: "approved"). Completion is applied by ``complete_batch``, which checks that its actor is an
#: admin or a facilitator of the batch.
REGISTRATION = Workflow(
    name="trainings.registration",
    steps={
        (S.REQUESTED, A.APPROVE): step(S.ENROLLED, SUPERVISOR, also=[S.WAITLISTED]),
        (S.REQUESTED, A.DECLINE): step(S.DECLINED, SUPERVISOR),
        (S.REQUESTED, A.CANCEL): step(S.CANCELLED, ASN, ADMIN),
        (S.ENROLLED, A.CANCEL): step(S.CANCELLED, ASN, ADMIN),
        (S.WAITLISTED, A.CANCEL): step(S.CANCELLED, ASN, ADMIN),
        (S.WAITLISTED, A.PROMOTE): step(S.ENROLLED, SYSTEM),
        (S.ENROLLED, A.COMPLETE): step(S.COMPLETED, SYSTEM),
        (S.ENROLLED, A.FAIL): step(S.NOT_COMPLETED, SYSTEM),
    },
    parties=parties_of,
    not_possible=lambda action, state: _l(
        "“%(action)s” is not possible while the registration is “%(state)s”.",
        action=action.title,
        state=state.title,
    ),
    party_text=PARTY_TEXT,
    guards=(_batch_running,),
)
TRANSITIONS = REGISTRATION.steps

#: The state ``action`` leads to; raises InvalidTransition saying why when it is blocked.
#: ``user`` None stands for the portal itself (automatic steps).
check = REGISTRATION.check
#: The actions ``user`` may take now (pages show exactly these buttons).
allowed_actions = REGISTRATION.allowed
