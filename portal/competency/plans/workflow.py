"""The workflow of an individual development plan (CONVENTIONS.md §6).

draft → submitted (the ASN) → approved or returned (the direct supervisor; returning says what
should change); a returned plan is submitted again, an approved one reopened as a draft by the
ASN. Every step writes a :class:`~portal.competency.plans.models.PlanEvent`.
"""

from __future__ import annotations

from portal.competency.models import AsnProfile
from portal.competency.plans.models import DevelopmentPlan, PlanAction, PlanEvent, PlanState
from portal.db import db
from portal.i18n import _l
from portal.own_record import is_own_record
from portal.workflow import Workflow, step

S, A = PlanState, PlanAction
OWNER, SUPERVISOR = "owner", "supervisor"


def role_of(asn: AsnProfile, user) -> str | None:
    """ "owner" for the ASN, "supervisor" for their direct supervisor, else None. The owner is
    never their own supervisor (a record pointing at itself): they do not approve their plan."""
    if is_own_record(user, asn):
        return OWNER
    if asn.supervisor is not None and asn.supervisor.user_id == user.id:
        return SUPERVISOR
    return None


def parties_of(plan: DevelopmentPlan, user) -> frozenset[str]:
    """The one party ``user`` acts for on ``plan``: its ASN, or their direct supervisor."""
    role = role_of(db.session.get(AsnProfile, plan.asn_id), user)
    return frozenset({role}) if role else frozenset()


def _has_activities(plan: DevelopmentPlan, _action, _user, *, listing=False, **_context):
    """A plan is submitted with at least one activity. Answered when the step is taken, not when
    the page lists the buttons (``listing``): the button stays and pressing it says why."""
    if not listing and not plan.activities:
        return _l("Add at least one activity before submitting the plan.")
    return None


def _record(plan: DevelopmentPlan, action, _from, _to, actor, note, at) -> None:
    """Who moved the plan, when, and the note (a returned plan carries the reason)."""
    db.session.add(PlanEvent(plan_id=plan.id, action=action, actor_id=actor.id, note=note, at=at))


PLAN = Workflow(
    name="competency.plan",
    steps={
        (S.DRAFT, A.SUBMIT): step(S.SUBMITTED, OWNER, guards=[_has_activities]),
        (S.RETURNED, A.SUBMIT): step(S.SUBMITTED, OWNER, guards=[_has_activities]),
        (S.SUBMITTED, A.APPROVE): step(S.APPROVED, SUPERVISOR),
        (S.SUBMITTED, A.RETURN): step(S.RETURNED, SUPERVISOR),
        (S.APPROVED, A.REOPEN): step(S.DRAFT, OWNER),
    },
    parties=parties_of,
    not_possible=lambda action, state: _l(
        "“%(action)s” is not possible while the plan is “%(state)s”.",
        action=action.title,
        state=state.title,
    ),
    party_text={
        frozenset({OWNER}): _l("Only the ASN can do this."),
        frozenset({SUPERVISOR}): _l("Only the direct supervisor can do this."),
    },
    record=_record,
)
TRANSITIONS = PLAN.steps

#: The state ``action`` leads to; raises InvalidTransition saying why when it is blocked.
check = PLAN.check


def allowed_actions(plan: DevelopmentPlan, user) -> list[PlanAction]:
    """The steps ``user`` may take now (views show exactly these buttons; an empty plan keeps
    its submit button, which says why when pressed)."""
    return PLAN.allowed(plan, user, listing=True)
