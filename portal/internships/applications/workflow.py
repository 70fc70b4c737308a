"""The application workflow (CONVENTIONS.md §6): one table of steps on the engine
(``portal/workflow.py``), whose guard says why a step is blocked, and ``allowed_actions`` so a
page shows exactly the buttons that would work. Each step writes the history
(``common.record_step``).

submitted → endorsed | declined_by_university (the student's university)
endorsed → shortlisted | waitlisted | offered | rejected (the OPD)
offered → accepted (→ a placement) | offer_declined (the student) | offer_expired (the daily job)
the student withdraws until a decision (submitted, endorsed, shortlisted, waitlisted).
"""

from __future__ import annotations

import enum
from datetime import datetime

from portal.db import db, utcnow
from portal.i18n import _l
from portal.internships.applications.models import Application, ApplicationState
from portal.internships.common import record_step
from portal.internships.models import InternshipPeriod, is_opd_admin, is_university_staff
from portal.workflow import SYSTEM, Workflow, step

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

#: History entries that are not steps a user picks: applying, the withdrawal of a student's
#: other open applications when they accept an offer, and a preference a published matching
#: round did not give (``matching.services.publish_match``).
APPLY, AUTO_WITHDRAW, MATCH_CLOSED = "apply", "auto_withdraw", "match_closed"
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
    MATCH_CLOSED: _l("Closed by the matching round"),
}

STUDENT, UNIVERSITY, OPD = "student", "university", "opd"

PARTY_TEXT = {
    frozenset({STUDENT}): _l("Only the student who applied can do this."),
    frozenset({UNIVERSITY}): _l("Only staff of the student's university can do this."),
    frozenset({OPD}): _l("Only an admin of the OPD offering this position can do this."),
    frozenset({SYSTEM}): _l("This happens automatically when the offer's time runs out."),
}


def unproxied(user):
    """``current_user`` itself, not its proxy: a list page asks about the same user for every
    row, and each attribute read through the proxy looks the user up again."""
    getter = getattr(user, "_get_current_object", None)
    return getter() if getter is not None else user


def parties_of(application: Application, user) -> frozenset[str]:
    """The parties ``user`` acts for on this application (a user may hold several roles).

    The OPD is a party only once the university endorsed the application: before that, or after
    a decline, the application does not exist for the OPD.
    """
    user = unproxied(user)
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


def _offer_still_open(application: Application, _action, _user, *, now=None, **_context):
    """An offer is accepted only before it expires (``now``: the moment to judge by)."""
    if offer_has_expired(application, now):
        return _l("This offer has expired and can no longer be accepted.")
    return None


def _not_in_matching_round(application: Application, _action, _user, **_context):
    """While a period's matching round is open, offers are the match's: the OPD scores. (The
    period is in the identity map on list pages: no query per row.)"""
    period = db.session.get(InternshipPeriod, application.period_id)
    if period is not None and period.in_matching_round:
        return _l(
            "This period places its interns by a matching round: score the applicant on the "
            "position's ranking page; the match makes the offers when it is published."
        )
    return None


OFFER_GUARDS = [_not_in_matching_round]

#: Expiry is the daily job's (``expire_offers``), never a user's step. Accepting an offer makes
#: the placement: ``portal.internships.lifecycle.accept_offer``.
APPLICATION = Workflow(
    name="internships.application",
    steps={
        (S.SUBMITTED, A.WITHDRAW): step(S.WITHDRAWN, STUDENT),
        (S.ENDORSED, A.WITHDRAW): step(S.WITHDRAWN, STUDENT),
        (S.SHORTLISTED, A.WITHDRAW): step(S.WITHDRAWN, STUDENT),
        (S.WAITLISTED, A.WITHDRAW): step(S.WITHDRAWN, STUDENT),
        (S.SUBMITTED, A.ENDORSE): step(S.ENDORSED, UNIVERSITY),
        (S.SUBMITTED, A.DECLINE): step(S.DECLINED_BY_UNIVERSITY, UNIVERSITY),
        (S.ENDORSED, A.SHORTLIST): step(S.SHORTLISTED, OPD),
        (S.WAITLISTED, A.SHORTLIST): step(S.SHORTLISTED, OPD),
        (S.ENDORSED, A.WAITLIST): step(S.WAITLISTED, OPD),
        (S.SHORTLISTED, A.WAITLIST): step(S.WAITLISTED, OPD),
        (S.ENDORSED, A.OFFER): step(S.OFFERED, OPD, guards=OFFER_GUARDS),
        (S.SHORTLISTED, A.OFFER): step(S.OFFERED, OPD, guards=OFFER_GUARDS),
        (S.WAITLISTED, A.OFFER): step(S.OFFERED, OPD, guards=OFFER_GUARDS),
        (S.ENDORSED, A.REJECT): step(S.REJECTED, OPD),
        (S.SHORTLISTED, A.REJECT): step(S.REJECTED, OPD),
        (S.WAITLISTED, A.REJECT): step(S.REJECTED, OPD),
        (S.OFFERED, A.ACCEPT): step(S.ACCEPTED, STUDENT, guards=[_offer_still_open]),
        (S.OFFERED, A.DECLINE_OFFER): step(S.OFFER_DECLINED, STUDENT),
        (S.OFFERED, A.EXPIRE): step(S.OFFER_EXPIRED, SYSTEM),
    },
    parties=parties_of,
    not_possible=lambda action, state: _l(
        "“%(action)s” is not possible while the application is “%(state)s”.",
        action=action.title,
        state=state.title,
    ),
    party_text=PARTY_TEXT,
    record=record_step,
)

#: (state, action) -> (next state, the one party who may take the step): the table as the
#: demo data walks it (``portal/demo``); every step of this workflow has one party.
TRANSITIONS: dict[tuple[ApplicationState, ApplicationAction], tuple[ApplicationState, str]] = {
    key: (found.to, *found.parties) for key, found in APPLICATION.steps.items()
}

#: The state ``action`` leads to; raises InvalidTransition saying why when it is blocked
#: (``now=``: the moment an offer's expiry is judged by). ``user`` None is the daily job.
check = APPLICATION.check
#: The actions ``user`` may take now (pages show exactly these buttons).
allowed_actions = APPLICATION.allowed
