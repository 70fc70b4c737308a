"""The application workflow (CONVENTIONS.md §6): one table of steps, one guard that says why a
step is blocked, and ``allowed_actions`` so a page shows exactly the buttons that would work.

submitted → endorsed | declined_by_university (the student's university)
endorsed → shortlisted | waitlisted | offered | rejected (the OPD)
offered → accepted (→ a placement) | offer_declined (the student) | offer_expired (the daily job)
the student withdraws until a decision (submitted, endorsed, shortlisted, waitlisted).
"""

from __future__ import annotations

import enum
from datetime import datetime

from portal.db import utcnow
from portal.errors import InvalidTransition
from portal.i18n import _l
from portal.internships.applications.models import Application, ApplicationState
from portal.internships.models import (
    Placement,
    PlacementStatus,
    is_opd_admin,
    is_university_staff,
)

S = ApplicationState


class ApplicationAction(enum.StrEnum):
    WITHDRAW = "withdraw"
    ENDORSE = "endorse"
    DECLINE = "decline"
    SHORTLIST = "shortlist"
    WAITLIST = "waitlist"
    OFFER = "offer"
    REJECT = "reject"
    ACCEPT = "accept"
    DECLINE_OFFER = "decline_offer"
    EXPIRE = "expire"

    @property
    def title(self):
        return ACTION_TITLES[self]

    @property
    def needs_reason(self) -> bool:
        return self in (ApplicationAction.DECLINE, ApplicationAction.REJECT)


A = ApplicationAction
ACTION_TITLES = {
    A.WITHDRAW: _l("Withdraw"),
    A.ENDORSE: _l("Endorse"),
    A.DECLINE: _l("Decline"),
    A.SHORTLIST: _l("Shortlist"),
    A.WAITLIST: _l("Put on the waiting list"),
    A.OFFER: _l("Make an offer"),
    A.REJECT: _l("Reject"),
    A.ACCEPT: _l("Accept the offer"),
    A.DECLINE_OFFER: _l("Decline the offer"),
    A.EXPIRE: _l("Offer expired"),
}

#: History entries that are not steps a user picks: applying, and the withdrawal of a student's
#: other open applications when they accept an offer.
APPLY, AUTO_WITHDRAW = "apply", "auto_withdraw"
EVENT_TITLES = {
    APPLY: _l("Applied"),
    A.WITHDRAW.value: _l("Withdrawn by the student"),
    A.ENDORSE.value: _l("Endorsed by the university"),
    A.DECLINE.value: _l("Declined by the university"),
    A.SHORTLIST.value: _l("Shortlisted"),
    A.WAITLIST.value: _l("Put on the waiting list"),
    A.OFFER.value: _l("Offer made"),
    A.REJECT.value: _l("Rejected"),
    A.ACCEPT.value: _l("Offer accepted"),
    A.DECLINE_OFFER.value: _l("Offer declined"),
    A.EXPIRE.value: _l("Offer expired"),
    AUTO_WITHDRAW: _l("Withdrawn: another offer was accepted"),
}

STUDENT, UNIVERSITY, OPD, SYSTEM = "student", "university", "opd", "system"

#: (state, action) -> (next state, the party who may take the step)
TRANSITIONS: dict[tuple[ApplicationState, ApplicationAction], tuple[ApplicationState, str]] = {
    (S.SUBMITTED, A.WITHDRAW): (S.WITHDRAWN, STUDENT),
    (S.ENDORSED, A.WITHDRAW): (S.WITHDRAWN, STUDENT),
    (S.SHORTLISTED, A.WITHDRAW): (S.WITHDRAWN, STUDENT),
    (S.WAITLISTED, A.WITHDRAW): (S.WITHDRAWN, STUDENT),
    (S.SUBMITTED, A.ENDORSE): (S.ENDORSED, UNIVERSITY),
    (S.SUBMITTED, A.DECLINE): (S.DECLINED_BY_UNIVERSITY, UNIVERSITY),
    (S.ENDORSED, A.SHORTLIST): (S.SHORTLISTED, OPD),
    (S.WAITLISTED, A.SHORTLIST): (S.SHORTLISTED, OPD),
    (S.ENDORSED, A.WAITLIST): (S.WAITLISTED, OPD),
    (S.SHORTLISTED, A.WAITLIST): (S.WAITLISTED, OPD),
    (S.ENDORSED, A.OFFER): (S.OFFERED, OPD),
    (S.SHORTLISTED, A.OFFER): (S.OFFERED, OPD),
    (S.WAITLISTED, A.OFFER): (S.OFFERED, OPD),
    (S.ENDORSED, A.REJECT): (S.REJECTED, OPD),
    (S.SHORTLISTED, A.REJECT): (S.REJECTED, OPD),
    (S.WAITLISTED, A.REJECT): (S.REJECTED, OPD),
    (S.OFFERED, A.ACCEPT): (S.ACCEPTED, STUDENT),
    (S.OFFERED, A.DECLINE_OFFER): (S.OFFER_DECLINED, STUDENT),
    (S.OFFERED, A.EXPIRE): (S.OFFER_EXPIRED, SYSTEM),
}

PARTY_TEXT = {
    STUDENT: _l("Only the student who applied can do this."),
    UNIVERSITY: _l("Only staff of the student's university can do this."),
    OPD: _l("Only an admin of the OPD offering this position can do this."),
    SYSTEM: _l("This happens automatically when the offer's time runs out."),
}


def _unproxied(user):
    """``current_user`` itself, not its proxy: a list page asks about the same user for every
    row, and each attribute read through the proxy looks the user up again."""
    getter = getattr(user, "_get_current_object", None)
    return getter() if getter is not None else user


def parties_of(application: Application, user) -> frozenset[str]:
    """The parties ``user`` acts for on this application (a user may hold several roles).

    The OPD is a party only once the university endorsed the application: before that, or after
    a decline, the application does not exist for the OPD.
    """
    user = _unproxied(user)
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    parties = set()
    if user.id == application.student_id:
        parties.add(STUDENT)
    if is_university_staff(user, application.university_id):
        parties.add(UNIVERSITY)
    if application.reached_opd and is_opd_admin(user, application.agency_id):
        parties.add(OPD)
    return frozenset(parties)


def offer_has_expired(application: Application, now: datetime | None = None) -> bool:
    return (
        application.offer_expires_at is not None
        and (now or utcnow()) >= application.offer_expires_at
    )


def _why_not(
    application: Application,
    action: ApplicationAction,
    parties: frozenset[str],
    now: datetime | None,
):
    """Why the user acting for ``parties`` may not take ``action`` now (None: they may)."""
    step = TRANSITIONS.get((application.state, action))
    if step is None:
        return _l(
            "“%(action)s” is not possible while the application is “%(state)s”.",
            action=action.title,
            state=application.state.title,
        )
    if step[1] not in parties:
        return PARTY_TEXT[step[1]]
    if action == A.ACCEPT and offer_has_expired(application, now):
        return _l("This offer has expired and can no longer be accepted.")
    return None


def check(
    application: Application, action: ApplicationAction, user, *, now: datetime | None = None
) -> ApplicationState:
    """The state ``action`` leads to; raises InvalidTransition saying why when it is blocked."""
    reason = _why_not(application, action, parties_of(application, user), now)
    if reason is not None:
        raise InvalidTransition(reason)
    return TRANSITIONS[(application.state, action)][0]


def allowed_actions(
    application: Application, user, *, now: datetime | None = None
) -> list[ApplicationAction]:
    """The actions ``user`` may take now (pages show exactly these buttons)."""
    parties = parties_of(application, user)
    return [
        action
        for state, action in TRANSITIONS
        if state == application.state and _why_not(application, action, parties, now) is None
    ]


# --- placements --------------------------------------------------------------------------------

MENTOR = "mentor"
COMPLETE, TERMINATE = "complete", "terminate"

#: (status, action) -> (next status, the parties who may take the step)
PLACEMENT_TRANSITIONS = {
    (PlacementStatus.ACTIVE, COMPLETE): (PlacementStatus.COMPLETED, frozenset({OPD, MENTOR})),
    (PlacementStatus.ACTIVE, TERMINATE): (PlacementStatus.TERMINATED, frozenset({OPD, UNIVERSITY})),
}


def placement_parties(placement: Placement, user) -> frozenset[str]:
    """The parties ``user`` acts for on a placement."""
    user = _unproxied(user)
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    parties = set()
    if user.id == placement.student_id:
        parties.add(STUDENT)
    if user.id == placement.mentor_id:
        parties.add(MENTOR)
    if is_university_staff(user, placement.university_id):
        parties.add(UNIVERSITY)
    if is_opd_admin(user, placement.agency_id):
        parties.add(OPD)
    return frozenset(parties)


def check_placement(placement: Placement, action: str, user) -> PlacementStatus:
    """The status ``action`` leads to; raises InvalidTransition saying why when it is blocked."""
    step = PLACEMENT_TRANSITIONS.get((placement.status, action))
    if step is None:
        raise InvalidTransition(
            _l(
                "This placement is “%(status)s” and can no longer change.",
                status=placement.status.title,
            )
        )
    next_status, who = step
    if not who & placement_parties(placement, user):
        raise InvalidTransition(
            _l("Only the mentor or an admin of the OPD can complete a placement.")
            if action == COMPLETE
            else _l("Only the OPD's admins or the student's university can end a placement early.")
        )
    return next_status
