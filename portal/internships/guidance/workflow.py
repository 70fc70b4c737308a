"""The guidance-session workflow (CONVENTIONS.md §6): one table on the engine
(``portal/workflow.py``) and who the parties are.

logged → confirmed | disputed (the student answers); the mentor edits a session until the
student confirms it, and an edit of a disputed session sends it back for confirmation. A
confirmed session is final.
"""

from __future__ import annotations

from portal.i18n import _l
from portal.internships.guidance.models import GuidanceSession, SessionAction, SessionState
from portal.internships.models import signed_in
from portal.workflow import Workflow, step

S, A = SessionState, SessionAction
MENTOR, STUDENT = "mentor", "student"

#: A confirmed session is final, whatever is asked of it.
CONFIRMED_IS_FINAL = _l("The student confirmed this session; it can no longer change.")


def parties_of(session: GuidanceSession, user) -> frozenset[str]:
    """The mentor who logged the session and the placement's student (needs ``placement``
    loaded: the queries load it with the session)."""
    if not signed_in(user):
        return frozenset()
    found = set()
    if user.id == session.mentor_id:
        found.add(MENTOR)
    if user.id == session.placement.student_id:
        found.add(STUDENT)
    return frozenset(found)


SESSION = Workflow(
    name="internships.guidance_session",
    steps={
        (S.LOGGED, A.EDIT): step(S.LOGGED, MENTOR),
        (S.DISPUTED, A.EDIT): step(S.LOGGED, MENTOR),
        (S.LOGGED, A.CONFIRM): step(S.CONFIRMED, STUDENT),
        (S.LOGGED, A.DISPUTE): step(S.DISPUTED, STUDENT),
    },
    parties=parties_of,
    # a confirmed session has no step left: it says so in its own words
    not_possible=lambda action, state: (
        CONFIRMED_IS_FINAL
        if state == S.CONFIRMED
        else _l(
            "“%(action)s” is not possible while the session is “%(state)s”.",
            action=action.title,
            state=state.title,
        )
    ),
    party_text={
        frozenset({MENTOR}): _l("Only the mentor who logged the session can change it."),
        frozenset({STUDENT}): _l(
            "Only the student of this placement can confirm or dispute the session."
        ),
    },
)
TRANSITIONS = SESSION.steps


#: The state ``action`` leads to; raises InvalidTransition saying why when it is blocked.
check = SESSION.check


#: The steps ``user`` may take on the session now (pages show exactly these).
allowed = SESSION.allowed
