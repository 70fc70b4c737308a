"""The workflow of a reported problem (a flag) on a material (CONVENTIONS.md §6).

open → in progress → fixed (with a "what we changed" note and a newer material version) or
declined (with a reason); a flag can also be fixed or declined straight from open. Only the
authors of the curriculum and the agency-side admins take these steps.
"""

from __future__ import annotations

from portal import audit
from portal.curricula.feedback.models import FlagState, MaterialFlag
from portal.curricula.proposals import workflow as proposal_workflow
from portal.db import TitledEnum
from portal.i18n import _l
from portal.workflow import Workflow, step


class FlagAction(TitledEnum):
    START = "start", _l("Start working on it")
    FIX = "fix", _l("Mark as fixed")
    DECLINE = "decline", _l("Decline")


F = FlagState
CLOSED = frozenset({F.FIXED, F.DECLINED})
UNRESOLVED = (F.OPEN, F.IN_PROGRESS)
HANDLER = "handler"


def handlers_of(flag: MaterialFlag, user) -> frozenset[str]:
    """The authors of the flagged material's curriculum and the agency-side admins handle it
    (``flag.material.module.curriculum.authors`` must be loaded)."""
    curriculum = flag.material.module.curriculum
    if proposal_workflow.can_handle_feedback(curriculum, user):
        return frozenset({HANDLER})
    return frozenset()


def _not_possible(_action, state):
    """A closed flag takes no step; an open one takes them all; one in progress cannot start."""
    if state in CLOSED:
        return _l("This report is already closed (%(state)s).", state=state.title)
    return _l("Work on this report has already started.")


def _record(  # noqa: PLR0917 (the engine's ``record`` signature)
    flag: MaterialFlag, _action, from_state, to_state, actor, note, at
) -> None:
    """Who handled the flag, the note, when it closed; and the audit entry of the step."""
    flag.handled_by_id = actor.id
    if note:
        flag.resolution_note = note
    if to_state in CLOSED:
        flag.closed_at = at
    material = flag.material
    audit.record(
        actor,
        "material.flag",
        material,
        flag_id=flag.id,
        from_state=from_state.value,
        to_state=to_state.value,
    )


FLAG = Workflow(
    name="curricula.flag",
    steps={
        (F.OPEN, FlagAction.START): step(F.IN_PROGRESS, HANDLER),
        (F.OPEN, FlagAction.FIX): step(F.FIXED, HANDLER),
        (F.IN_PROGRESS, FlagAction.FIX): step(F.FIXED, HANDLER),
        (F.OPEN, FlagAction.DECLINE): step(F.DECLINED, HANDLER),
        (F.IN_PROGRESS, FlagAction.DECLINE): step(F.DECLINED, HANDLER),
    },
    parties=handlers_of,
    not_possible=_not_possible,
    party_text={
        frozenset({HANDLER}): _l(
            "Only the authors of this curriculum and the agency-side admins handle reports."
        )
    },
    record=_record,
)
#: (state, action) -> the step (``.to`` is the next state).
TRANSITIONS = FLAG.steps

#: The state ``action`` leads to; raises InvalidTransition saying why when it is blocked.
check = FLAG.check
