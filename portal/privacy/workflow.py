"""The workflow of a personal data request (UU PDP Pasal 14; CONVENTIONS.md §6).

Every kind starts open and may be rejected (with the reason). Then, by kind:

- correction (Pasal 6, 30) and objection (Pasal 10): open → done, with what was done;
- deletion (Pasal 8, 43–44): open → approved (an admin agrees) → done by the erasure step
  (``privacy.erasure``: anonymise or delete, keep what the law requires);
- restriction of processing (*penundaan/pembatasan*, Pasal 11): open → in force (the person's
  data is flagged as restricted) → done when the restriction is lifted.

A city-wide administrator takes every step; the person who asked is told. The request row keeps
who took the last step, when, and the response (the audit log keeps each step).
"""

from __future__ import annotations

from portal.db import TitledEnum
from portal.i18n import _l
from portal.privacy.models import DataRequest, RequestKind, RequestState
from portal.workflow import Workflow, step

S = RequestState
K = RequestKind


class RequestAction(TitledEnum):
    COMPLETE = "complete", _l("Done")
    REJECT = "reject", _l("Rejected")
    APPROVE = "approve", _l("Approve the deletion")
    ERASE = "erase", _l("Carry out the erasure")
    RESTRICT = "restrict", _l("Restrict processing")
    LIFT = "lift", _l("Lift the restriction")


#: The outcome an admin picks on the form (a state) → the step that leads there, per kind of
#: request and the state it is in.
OUTCOMES = {
    (S.OPEN, S.DONE): RequestAction.COMPLETE,
    (S.OPEN, S.REJECTED): RequestAction.REJECT,
    (S.OPEN, S.APPROVED): RequestAction.APPROVE,
    (S.OPEN, S.IN_FORCE): RequestAction.RESTRICT,
    (S.IN_FORCE, S.DONE): RequestAction.LIFT,
}

#: The outcomes offered on the handling form, by kind and state (the erasure has its own page).
CHOICES = {
    (K.CORRECTION, S.OPEN): (S.DONE, S.REJECTED),
    (K.OBJECTION, S.OPEN): (S.DONE, S.REJECTED),
    (K.DELETION, S.OPEN): (S.APPROVED, S.REJECTED),
    (K.RESTRICTION, S.OPEN): (S.IN_FORCE, S.REJECTED),
    (K.RESTRICTION, S.IN_FORCE): (S.DONE,),
}

CITY_ADMIN = "city_admin"


def parties_of(_request: DataRequest, user) -> frozenset[str]:
    """City-wide admins (BKPSDM) handle every request: one can be about any data of anyone."""
    return frozenset({CITY_ADMIN}) if getattr(user, "is_city_admin", False) else frozenset()


def _for(*kinds: RequestKind):
    """A guard: the step exists only for requests of ``kinds``."""

    def guard(request, action, _user, **_context):
        if request.kind not in kinds:
            return _l(
                "“%(action)s” is not a step of a request of kind “%(kind)s”.",
                action=action.title,
                kind=request.kind.title,
            )
        return None

    return guard


def _handled(request: DataRequest, _action, _from, _to, actor, response, at) -> None:
    """Who took the last step, when, and the response the person reads."""
    request.handled_by_id, request.handled_at, request.response = actor.id, at, response


REQUEST = Workflow(
    name="privacy.data_request",
    steps={
        (S.OPEN, RequestAction.COMPLETE): step(
            S.DONE, CITY_ADMIN, guards=[_for(K.CORRECTION, K.OBJECTION)]
        ),
        (S.OPEN, RequestAction.REJECT): step(S.REJECTED, CITY_ADMIN),
        (S.OPEN, RequestAction.APPROVE): step(S.APPROVED, CITY_ADMIN, guards=[_for(K.DELETION)]),
        (S.APPROVED, RequestAction.ERASE): step(S.DONE, CITY_ADMIN, guards=[_for(K.DELETION)]),
        (S.OPEN, RequestAction.RESTRICT): step(
            S.IN_FORCE, CITY_ADMIN, guards=[_for(K.RESTRICTION)]
        ),
        (S.IN_FORCE, RequestAction.LIFT): step(S.DONE, CITY_ADMIN, guards=[_for(K.RESTRICTION)]),
    },
    parties=parties_of,
    not_possible=lambda action, state: (
        _l("Only an approved deletion request can be erased.")
        if action == RequestAction.ERASE
        else _l("This request has already been handled.")
    ),
    party_text={
        frozenset({CITY_ADMIN}): _l(
            "Only a city-wide administrator handles personal data requests."
        )
    },
    record=_handled,
)

#: The state ``action`` leads to; raises InvalidTransition saying why when it is blocked.
check = REQUEST.check
