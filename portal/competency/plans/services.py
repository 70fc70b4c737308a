"""Writes for individual development plans: activities while editable, and the state machine."""

from __future__ import annotations

import sqlalchemy as sa

from portal.competency.models import AsnProfile
from portal.competency.plans import workflow
from portal.competency.plans.models import (
    DEVELOPMENT_FORMS,
    EDITABLE,
    DevelopmentPlan,
    PlanAction,
    PlanActivity,
)
from portal.db import db
from portal.errors import DomainError, InvalidTransition
from portal.i18n import _l


def plan_for(asn: AsnProfile, year: int, *, create: bool = False) -> DevelopmentPlan | None:
    """The ASN's plan for ``year``; a new draft when ``create`` and there is none."""
    plan = db.session.scalars(
        sa.select(DevelopmentPlan).where(
            DevelopmentPlan.asn_id == asn.id, DevelopmentPlan.year == year
        )
    ).first()
    if plan is None and create:
        plan = DevelopmentPlan(asn_id=asn.id, year=year)
        db.session.add(plan)
        db.session.flush()
    return plan


def add_activity(
    plan: DevelopmentPlan,
    *,
    competency_ids: set[int],
    competency_id: int,
    form: str,
    title: str,
    planned_jp: int,
    quarter: int,
) -> PlanActivity:
    """Add an activity aimed at one competency of the ASN's standard; only while editable."""
    if plan.state not in EDITABLE:
        raise InvalidTransition(_l("This plan is not being edited: reopen it first."))
    if competency_id not in competency_ids:
        raise DomainError(_l("Choose a competency of your position's standard."))
    if form not in DEVELOPMENT_FORMS:
        raise DomainError(_l("Choose a form of development from the list."))
    activity = PlanActivity(
        plan_id=plan.id,
        competency_id=competency_id,
        form=form,
        title=title,
        planned_jp=planned_jp,
        quarter=quarter,
    )
    db.session.add(activity)
    db.session.flush()
    return activity


def remove_activity(plan: DevelopmentPlan, activity_id: int) -> None:
    if plan.state not in EDITABLE:
        raise InvalidTransition(_l("This plan is not being edited: reopen it first."))
    activity = next((a for a in plan.activities if a.id == activity_id), None)
    if activity is None:
        raise DomainError(_l("This activity is not part of the plan."))
    plan.activities.remove(activity)
    db.session.flush()


def transition(
    plan: DevelopmentPlan, asn: AsnProfile, action: PlanAction, *, actor, note: str | None = None
) -> None:
    """Move the plan one step of :data:`workflow.PLAN` and write its event; refuses steps not
    allowed in its state or for this user, an empty plan's submission and a return without a
    note, and says why."""
    workflow.check(plan, action, actor)
    if action == PlanAction.RETURN and not (note or "").strip():
        raise DomainError(_l("Say what should change when you return a plan."))
    workflow.PLAN.apply(plan, action, actor, note=note or None)
    db.session.flush()
