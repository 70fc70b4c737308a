"""The follow-up action plan (RTL) of a registration and the L3 behaviour forms: the form a
respondent answers once, and the signed-in user's pending forms."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_login import current_user

from portal.access import allow, require
from portal.auth.models import Role
from portal.i18n import _
from portal.listing import id_arg, page_arg
from portal.refusals import attempt
from portal.trainings import bp
from portal.trainings.evaluation import queries, services
from portal.trainings.evaluation.forms import PlanItemForm, l3_answer_form
from portal.trainings.evaluation.models import Respondent
from portal.util import clock, links


def _plan_page(registration, items, form, editing, status=200):
    return render_template(
        "trainings/evaluation/action_plan.html",
        registration=registration,
        items=items,
        form=form,
        editing=editing,
        back_url=links.link("trainings.registration", registration_id=registration.id),
    ), status


def _editing(items, can_edit: bool):
    """The item named by ``?item=<id>`` (one of this registration's, for its ASN), or None."""
    item_id = id_arg("item")
    if item_id is None:
        return None
    editing = next((i for i in items if i.id == item_id), None)
    require(editing is not None and can_edit, 404)
    return editing


@bp.route("/registrations/<int:registration_id>/action-plan")
@allow(Role.ASN, Role.ADMIN, own=(Role.ASN,))
def action_plan(registration_id):
    """The RTL: the ASN adds and edits items (``?item=<id>`` opens one for editing); the
    supervisor and the batch's managers read it."""
    registration = queries.registration_for_evaluation(registration_id)
    require(registration is not None and services.can_view_plan(registration, current_user), 404)
    can_edit = services.can_edit_plan(registration, current_user)
    items = queries.plan_items(registration.id)
    editing = _editing(items, can_edit)
    form = None
    if can_edit:
        data = None
        if editing is not None:
            data = {"text": editing.text, "due_on": editing.due_on, "status": str(editing.status)}
        form = PlanItemForm(data=data)
    return _plan_page(registration, items, form, editing)


@bp.route("/registrations/<int:registration_id>/action-plan", methods=["POST"])
@allow(Role.ASN, own=(Role.ASN,))
def save_action_item(registration_id):
    """The ASN saves a new RTL item, or the one named by ``?item=<id>``."""
    registration = queries.registration_for_evaluation(registration_id)
    require(registration is not None and services.can_edit_plan(registration, current_user), 404)
    items = queries.plan_items(registration.id)
    editing = _editing(items, True)
    form = PlanItemForm()
    if form.validate_on_submit():
        values = {"text": form.text.data, "due_on": form.due_on.data, "status": form.status.data}

        def save():
            if editing is not None:
                return services.update_plan_item(
                    editing, registration, actor=current_user, **values
                )
            return services.add_plan_item(registration, actor=current_user, **values)

        done = attempt(save, form=form, success=_("The follow-up action plan is saved."))
        if done:
            return redirect(url_for("trainings.action_plan", registration_id=registration_id))
        registration = queries.registration_for_evaluation(registration_id)
        require(registration is not None, 404)
        items = queries.plan_items(registration.id)
        editing = _editing(items, True)
    return _plan_page(registration, items, form, editing, status=400)


@bp.route("/l3/<int:form_id>", methods=["GET", "POST"])
@allow(Role.ASN, own=(Role.ASN,))
def l3_form(form_id):
    """The respondent rates each target competency once, seeing the ASN's RTL items."""
    l3 = queries.l3_form_with_ratings(form_id)
    require(l3 is not None and l3.respondent_user_id == current_user.id, 404)
    registration = queries.registration_for_evaluation(l3.registration_id)
    require(registration is not None, 404)
    targets = queries.form_targets(registration)
    form = l3_answer_form(targets)
    if not l3.is_answered and form.validate_on_submit():
        done = attempt(
            lambda: services.answer_l3(
                l3,
                form.ratings(),
                actor=current_user,
                comment=form.comment.data,
                competency_ids=[cid for cid, _name in targets],
            ),
            form=form,
            success=_("Thank you: your evaluation is saved."),
        )
        if done:
            return redirect(url_for("trainings.my_l3_forms"))
        l3 = queries.l3_form_with_ratings(form_id)
        require(l3 is not None, 404)
        registration = queries.registration_for_evaluation(l3.registration_id)
        require(registration is not None, 404)
    if request.method == "POST" and l3.is_answered:
        status = 409
    else:
        status = 400 if form.is_submitted() else 200
    return render_template(
        "trainings/evaluation/l3_form.html",
        l3=l3,
        registration=registration,
        form=form,
        targets=targets,
        given=queries.ratings_by_competency(l3),
        items=queries.plan_items(registration.id),
        is_supervisor=l3.respondent == Respondent.SUPERVISOR,
        today=clock.today(),
    ), status


@bp.route("/l3")
@allow(Role.ASN)
def my_l3_forms():
    """The signed-in user's unanswered L3 forms (as participant or as supervisor)."""
    return render_template(
        "trainings/evaluation/my_l3_forms.html",
        pagination=queries.pending_forms(current_user, page_arg()),
        today=clock.today(),
    )
