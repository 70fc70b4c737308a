"""Individual development plan pages (part of the ``competency`` blueprint)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.access import allow, require
from portal.auth.models import Role
from portal.competency import bp
from portal.competency.assessments import queries
from portal.competency.assessments.forms import PlanActivityForm, PlanNoteForm
from portal.competency.plans import services as plan_services
from portal.competency.plans import workflow as plan_workflow
from portal.competency.plans.models import EDITABLE, PlanAction
from portal.i18n import _
from portal.refusals import attempt
from portal.util import clock


def _year() -> int:
    this_year = clock.today().year
    year = request.values.get("year", this_year, type=int) or this_year
    return min(max(year, 2020), this_year + 1)


def _my_record_or_none():
    return queries.asn_for_user(current_user.id)


def _render(asn, plan, year, *, activity_form=None, note_form=None):
    profile = queries.profile(asn)
    form = activity_form or PlanActivityForm()
    form.set_choices(profile.rows)
    return render_template(
        "competency/plan.html",
        asn=asn,
        plan=plan,
        year=year,
        profile=profile,
        activity_form=form,
        note_form=note_form or PlanNoteForm(),
        editable=plan is None or plan.state in EDITABLE,
        actions=plan_workflow.allowed_actions(plan, current_user) if plan else [],
        own=asn.user_id == current_user.id,
    )


@bp.route("/plan")
@allow(Role.ASN)
def my_plan():
    asn = _my_record_or_none()
    if asn is None:
        return render_template("competency/no_record.html")
    year = _year()
    return _render(asn, queries.plan(asn.id, year), year)


@bp.route("/plan/activities", methods=["POST"])
@allow(Role.ASN)
def add_plan_activity():
    asn = _my_record_or_none()
    require(asn is not None, 404)
    year = _year()
    form = PlanActivityForm()
    profile = queries.profile(asn)
    form.set_choices(profile.rows)
    if form.validate_on_submit():
        plan = plan_services.plan_for(asn, year, create=True)
        done = attempt(
            lambda: plan_services.add_activity(
                plan,
                competency_ids={r.competency_id for r in profile.rows},
                competency_id=form.competency_id.data,
                form=form.form.data,
                title=form.title.data,
                planned_jp=form.planned_jp.data,
                quarter=form.quarter.data,
            ),
            success=_("The activity has been added to your plan."),
        )
        if done:
            return redirect(url_for("competency.my_plan", year=year))
    return _render(asn, queries.plan(asn.id, year), year, activity_form=form), 200


@bp.route("/plan/activities/<int:activity_id>/delete", methods=["POST"])
@allow(Role.ASN, own=(Role.ASN,))
def remove_plan_activity(activity_id):
    asn = _my_record_or_none()
    require(asn is not None, 404)
    plan = queries.plan_of_activity(activity_id)
    require(plan is not None and plan.asn_id == asn.id, 404)
    if PlanNoteForm().validate_on_submit():
        attempt(
            lambda: plan_services.remove_activity(plan, activity_id),
            success=_("The activity has been removed."),
        )
    return redirect(url_for("competency.my_plan", year=plan.year))


def _move(asn, year, action: PlanAction, back: str):
    plan = queries.plan(asn.id, year)
    require(plan is not None, 404)
    form = PlanNoteForm()
    if form.validate_on_submit() and attempt(
        lambda: plan_services.transition(plan, asn, action, actor=current_user, note=form.note.data)
    ):
        flash(_("The plan is now: %(state)s.", state=plan.state.title), "success")
    return redirect(url_for(back, year=year, **({"asn_id": asn.id} if "report" in back else {})))


@bp.route("/plan/submit", methods=["POST"])
@allow(Role.ASN)
def submit_plan():
    asn = _my_record_or_none()
    require(asn is not None, 404)
    return _move(asn, _year(), PlanAction.SUBMIT, "competency.my_plan")


@bp.route("/plan/reopen", methods=["POST"])
@allow(Role.ASN)
def reopen_plan():
    asn = _my_record_or_none()
    require(asn is not None, 404)
    return _move(asn, _year(), PlanAction.REOPEN, "competency.my_plan")


def _report(asn_id: int):
    asn = queries.asn_by_id(asn_id)
    require(asn is not None and queries.can_rate(asn, current_user), 404)  # the direct supervisor
    return asn


@bp.route("/asn/<int:asn_id>/plan")
@allow(Role.ASN, own=(Role.ASN,))
def report_plan(asn_id):
    asn = _report(asn_id)
    year = _year()
    return _render(asn, queries.plan(asn.id, year), year)


@bp.route("/asn/<int:asn_id>/plan/approve", methods=["POST"])
@allow(Role.ASN, own=(Role.ASN,))
def approve_plan(asn_id):
    return _move(_report(asn_id), _year(), PlanAction.APPROVE, "competency.report_plan")


@bp.route("/asn/<int:asn_id>/plan/return", methods=["POST"])
@allow(Role.ASN, own=(Role.ASN,))
def return_plan(asn_id):
    return _move(_report(asn_id), _year(), PlanAction.RETURN, "competency.report_plan")
