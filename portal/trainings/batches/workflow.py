"""The batch workflow (CONVENTIONS.md §6): one table of steps on the engine (``portal.workflow``)
and who the parties are.

draft → open (registration opens, once the batch has a session) ⇄ closed; draft, open or closed
→ cancelled (its registrations still in play end with it); open or closed → completed after the
last session (each enrolled registration becomes completed or not completed). The people who
scheduled the batch open, close and cancel it; its facilitators and the admins of the
curriculum's partner OPD complete it.
"""

from __future__ import annotations

import enum
from datetime import datetime

from portal.curricula.models import AuthorSide, Curriculum
from portal.db import utcnow
from portal.i18n import _l
from portal.trainings.models import BatchState, TrainingBatch, is_admin_for, signed_in
from portal.workflow import Workflow, step

S = BatchState


class BatchAction(enum.StrEnum):
    OPEN = "open"
    CLOSE = "close"
    CANCEL = "cancel"
    COMPLETE = "complete"

    @property
    def title(self):
        return ACTION_TITLES[self]


A = BatchAction
ACTION_TITLES = {
    A.OPEN: _l("Open registration"),
    A.CLOSE: _l("Close registration"),
    A.CANCEL: _l("Cancel the training"),
    A.COMPLETE: _l("Complete the training"),
}

MANAGER, FACILITATOR, ADMIN = "manager", "facilitator", "admin"

PARTY_TEXT = {
    frozenset({MANAGER}): _l("Only the people who scheduled this training can change it."),
    frozenset({ADMIN, FACILITATOR}): _l("Only an admin or a facilitator can complete a training."),
}


def is_agency_coauthor(curriculum: Curriculum, user) -> bool:
    return signed_in(user) and any(
        a.user_id == user.id and a.side == AuthorSide.AGENCY for a in curriculum.authors
    )


def can_manage(batch: TrainingBatch, user) -> bool:
    """The people who may schedule batches of the curriculum manage the batch afterwards
    (sessions, opening, closing, cancelling): an admin (city-wide, or of the curriculum's partner
    OPD) or the curriculum's agency-side co-author."""
    curriculum = batch.curriculum
    return is_admin_for(user, curriculum.agency_id) or is_agency_coauthor(curriculum, user)


def parties_of(batch: TrainingBatch, user) -> frozenset[str]:
    """The parties ``user`` acts for on this batch (a user may hold several). Needs
    ``curriculum.authors`` and ``facilitators`` loaded."""
    if not signed_in(user):
        return frozenset()
    parties = set()
    if can_manage(batch, user):
        parties.add(MANAGER)
    if batch.is_facilitator(user):
        parties.add(FACILITATOR)
    if is_admin_for(user, batch.curriculum.agency_id):
        parties.add(ADMIN)
    return frozenset(parties)


def _has_a_session(batch: TrainingBatch, _action, _user, **_context):
    if not batch.sessions:
        return _l("Add at least one session before opening registration.")
    return None


def _after_the_last_session(
    batch: TrainingBatch, _action, _user, *, now: datetime | None = None, **_context
):
    """A batch is completed once its last session has ended (``now``: default the present)."""
    if not batch.sessions or max(s.ends_at for s in batch.sessions) > (now or utcnow()):
        return _l("A training can be completed only after its last session.")
    return None


BATCH = Workflow(
    name="trainings.batch",
    steps={
        (S.DRAFT, A.OPEN): step(S.OPEN, MANAGER, guards=[_has_a_session]),
        (S.CLOSED, A.OPEN): step(S.OPEN, MANAGER, guards=[_has_a_session]),
        (S.OPEN, A.CLOSE): step(S.CLOSED, MANAGER),
        (S.DRAFT, A.CANCEL): step(S.CANCELLED, MANAGER),
        (S.OPEN, A.CANCEL): step(S.CANCELLED, MANAGER),
        (S.CLOSED, A.CANCEL): step(S.CANCELLED, MANAGER),
        (S.OPEN, A.COMPLETE): step(
            S.COMPLETED, ADMIN, FACILITATOR, guards=[_after_the_last_session]
        ),
        (S.CLOSED, A.COMPLETE): step(
            S.COMPLETED, ADMIN, FACILITATOR, guards=[_after_the_last_session]
        ),
    },
    parties=parties_of,
    not_possible=lambda _action, state: _l(
        "This is not possible while the training is “%(state)s”.", state=state.title
    ),
    party_text=PARTY_TEXT,
)
TRANSITIONS = BATCH.steps

#: The state ``action`` leads the batch to; raises InvalidTransition saying why it is blocked.
check = BATCH.check
#: The steps ``user`` may take on the batch now (a page shows exactly these buttons).
allowed_actions = BATCH.allowed
