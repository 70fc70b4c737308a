"""The verification of a student's account (CONVENTIONS.md §6).

A student registers and waits (pending); a university user of the same university verifies the
account (active: the student can sign in) or rejects it with a reason the student receives. The
account row keeps who decided and when (``verified_by_id``, ``verified_at``).
"""

from __future__ import annotations

from portal.auth.models import AccountStatus, Role, User
from portal.db import TitledEnum
from portal.i18n import _l
from portal.workflow import Workflow, step

S = AccountStatus
UNIVERSITY = "university"


class VerificationAction(TitledEnum):
    VERIFY = "verify", _l("Verify")
    REJECT = "reject", _l("Reject")


A = VerificationAction


def parties_of(student: User, user) -> frozenset[str]:
    """A university user verifies the students of their own university only."""
    if (
        Role.STUDENT in student.roles
        and user.has_role(Role.UNIVERSITY)
        and user.university_id is not None
        and user.university_id == student.university_id
    ):
        return frozenset({UNIVERSITY})
    return frozenset()


def _decided(student: User, action, _from, _to, actor, reason, at) -> None:
    """Who decided (and when the account was verified, or why it was rejected)."""
    student.verified_by_id = actor.id
    if action == A.VERIFY:
        student.verified_at = at
    else:
        student.rejection_reason = reason


VERIFICATION = Workflow(
    name="auth.student_verification",
    steps={
        (S.PENDING, A.VERIFY): step(S.ACTIVE, UNIVERSITY),
        (S.PENDING, A.REJECT): step(S.REJECTED, UNIVERSITY),
    },
    parties=parties_of,
    party_text={
        frozenset({UNIVERSITY}): _l("This account cannot be verified by you, or it is not waiting.")
    },
    record=_decided,
    state_attr="status",
)
