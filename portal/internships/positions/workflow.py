"""The position workflow (CONVENTIONS.md §6): one table on the engine (``portal/workflow.py``)
and who the parties are.

draft → published (the OPD's admins, once a mentor is named and while the application deadline
is ahead) → closed (no new applications; those sent go on) → published again (same conditions).
"""

from __future__ import annotations

import sqlalchemy as sa

from portal.db import TitledEnum, db
from portal.i18n import _l
from portal.internships.models import (
    InternshipPosition,
    PositionMentor,
    PositionState,
    is_opd_admin,
)
from portal.util import clock
from portal.workflow import Workflow, step

S = PositionState


class PositionAction(TitledEnum):
    PUBLISH = "publish", _l("Publish")
    CLOSE = "close", _l("Close for applications")


A = PositionAction
OPD = "opd"


def parties_of(position: InternshipPosition, user) -> frozenset[str]:
    """The admins of the position's OPD (and city-wide admins) act for the OPD."""
    return frozenset({OPD}) if is_opd_admin(user, position.agency_id) else frozenset()


def _has_a_mentor(position: InternshipPosition, _action, _user, **_context):
    named = db.session.scalar(
        sa.select(PositionMentor.id).where(PositionMentor.position_id == position.id).limit(1)
    )
    if named is None:
        return _l("Name at least one mentor before publishing the position.")
    return None


def _deadline_ahead(position: InternshipPosition, _action, _user, *, now=None, **_context):
    if position.application_deadline < clock.today(now):
        return _l("The application deadline has passed; set a later one first.")
    return None


#: What a step the table lacks is refused with, in the words the OPD's admins know.
NOT_NOW = {
    A.PUBLISH: _l("This position is already open for applications."),
    A.CLOSE: _l("Only a position open for applications can be closed."),
}


POSITION = Workflow(
    name="internships.position",
    steps={
        (S.DRAFT, A.PUBLISH): step(S.PUBLISHED, OPD, guards=[_has_a_mentor, _deadline_ahead]),
        (S.CLOSED, A.PUBLISH): step(S.PUBLISHED, OPD, guards=[_has_a_mentor, _deadline_ahead]),
        (S.PUBLISHED, A.CLOSE): step(S.CLOSED, OPD),
    },
    parties=parties_of,
    not_possible=lambda action, _state: NOT_NOW[action],
    party_text={
        frozenset({OPD}): _l("Only an admin of this OPD can manage its internship positions."),
    },
)


#: The state ``action`` leads to; raises InvalidTransition saying why when it is blocked.
check = POSITION.check


#: The steps ``user`` may take on the position now.
allowed_actions = POSITION.allowed
