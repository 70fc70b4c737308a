"""The workflow of a personal data request (UU PDP Pasal 14; CONVENTIONS.md §6).

open → done (with what was done) or rejected (with the reason): a city-wide administrator closes
it, once; the person who asked is told. The request row itself is the history: who handled it,
when, and the response.
"""

from __future__ import annotations

from portal.db import TitledEnum
from portal.i18n import _l
from portal.privacy.models import DataRequest, RequestState
from portal.workflow import Workflow, step

S = RequestState


class RequestAction(TitledEnum):
    COMPLETE = "complete", _l("Done")
    REJECT = "reject", _l("Rejected")


#: The outcome an admin picks on the form (a closed state) → the step that leads there.
OUTCOMES = {S.DONE: RequestAction.COMPLETE, S.REJECTED: RequestAction.REJECT}

CITY_ADMIN = "city_admin"


def parties_of(_request: DataRequest, user) -> frozenset[str]:
    """City-wide admins (BKPSDM) handle every request: one can be about any data of anyone."""
    return frozenset({CITY_ADMIN}) if getattr(user, "is_city_admin", False) else frozenset()


def _handled(request: DataRequest, _action, _from, _to, actor, response, at) -> None:
    """Who closed the request, when, and the response the person reads."""
    request.handled_by_id, request.handled_at, request.response = actor.id, at, response


REQUEST = Workflow(
    name="privacy.data_request",
    steps={
        (S.OPEN, RequestAction.COMPLETE): step(S.DONE, CITY_ADMIN),
        (S.OPEN, RequestAction.REJECT): step(S.REJECTED, CITY_ADMIN),
    },
    parties=parties_of,
    not_possible=lambda _action, state: _l("This request has already been handled."),
    party_text={
        frozenset({CITY_ADMIN}): _l(
            "Only a city-wide administrator handles personal data requests."
        )
    },
    record=_handled,
)

#: The state ``action`` leads to; raises InvalidTransition saying why when it is blocked.
check = REQUEST.check
