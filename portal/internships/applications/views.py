"""Application pages: applying, the student's list, and the one page per application that the
student, their university's staff and (once endorsed) the OPD's admins share, with its
workflow buttons, history and CV. The universities' and OPDs' lists are in ``queue_views``.

Someone who may not see an application gets 404 whatever they ask of it; a step they may see
but not take is refused with the reason (409), never a 500.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal import uploads
from portal.access import allow, require
from portal.auth.models import Role
from portal.i18n import _, _l
from portal.internships import bp, lifecycle
from portal.internships.applications import queries as application_queries
from portal.internships.applications import services as application_services
from portal.internships.applications import workflow
from portal.internships.applications.forms import ActionForm, ApplicationForm
from portal.internships.applications.models import ApplicationState
from portal.internships.applications.workflow import ApplicationAction
from portal.internships.matching import queries as matching_queries
from portal.internships.positions.views import visible_position
from portal.listing import page_arg, page_size
from portal.refusals import attempt
from portal.view_log import record_view

S = ApplicationState

#: What happens next, as the student reads it.
NEXT_STEPS = {
    S.SUBMITTED: _l("Your university reviews the application and endorses it or not."),
    S.ENDORSED: _l("The OPD reviews your application."),
    S.SHORTLISTED: _l("You are on the OPD's shortlist; wait for its decision."),
    S.WAITLISTED: _l("You are on the waiting list; the OPD may still make you an offer."),
    S.OFFERED: _l("Accept or decline the offer before it expires."),
    S.ACCEPTED: _l("Your placement has been created."),
}
#: Steps that close or refuse an application: shown as red buttons.
DANGER = {
    ApplicationAction.DECLINE,
    ApplicationAction.REJECT,
    ApplicationAction.WITHDRAW,
    ApplicationAction.DECLINE_OFFER,
}
#: Where a workflow button may send the user back to after the step (never a free URL).
BACK = {
    "mine": "internships.my_applications",
    "university": "internships.university_queue",
    "opd": "internships.opd_queue",
}


def placement_endpoint() -> str | None:
    """The placement page, once its module registers it."""
    return (
        "internships.placement" if "internships.placement" in current_app.view_functions else None
    )


# --- applying --------------------------------------------------------------------------------


def _render_apply(position_id, form, status_code=200, error=None):
    position = visible_position(position_id)
    apply_status = application_queries.apply_status(position, current_user)
    form.set_ranks(application_queries.open_limit(position.period), apply_status.free_ranks or [])
    return render_template(
        "internships/application_form.html",
        position=position,
        form=form,
        apply_status=apply_status,
        error=error,
        cv_limit=application_services.CV_MAX_BYTES // 2**20,
    ), status_code


@bp.route("/positions/<int:position_id>/apply", methods=["GET", "POST"])
@allow(Role.STUDENT)
def apply(position_id):
    position = visible_position(position_id)
    form = ApplicationForm()
    form.set_ranks(application_queries.open_limit(position.period), [])
    if not form.is_submitted():
        return _render_apply(position_id, form)
    if not form.validate_on_submit():
        return _render_apply(position_id, form, 400)
    done = attempt(
        lambda: application_services.apply_with_cv(
            position,
            actor=current_user,
            upload=form.cv.data,
            motivation=form.motivation.data,
            rank=form.rank.data,
            semester=form.semester.data,
            gpa=form.gpa.data,
        ),
        form=form,
        success=_("Your application has been sent. Your university reviews it first."),
        show=False,
    )
    if done:
        return redirect(url_for("internships.application", application_id=done.value.id))
    return _render_apply(position_id, form, done.error.status, done.alert)


@bp.route("/applications/mine")
@allow(Role.STUDENT)
def my_applications():
    pagination = application_queries.my_applications(
        current_user, page=page_arg(), per_page=page_size()
    )
    return render_template(
        "internships/my_applications.html",
        pagination=pagination,
        actions={a.id: workflow.allowed_actions(a, current_user) for a in pagination.items},
        placements=application_queries.placement_ids(pagination.items),
        placement_endpoint=placement_endpoint(),
        next_steps=NEXT_STEPS,
        form=ActionForm(formdata=None),
        danger=DANGER,
        rounds=matching_queries.student_rounds(current_user),
    )


# --- one application -------------------------------------------------------------------------


def visible_application(application_id: int):
    """The application with everything its page shows; 404 unless the user may see it."""
    found = application_queries.application(application_id)
    require(found is not None and found.can_view(current_user), 404)
    return found


def render_application(application_id: int, *, form=None, status: int = 200, error=None):
    found = visible_application(application_id)
    record_view(found.student_id, "application", found.id, agency_id=found.agency_id)
    parties = workflow.parties_of(found, current_user)
    endpoint = placement_endpoint()
    placement_id = application_queries.placement_ids([found]).get(found.id) if endpoint else None
    return render_template(
        "internships/application.html",
        application=found,
        parties=parties,
        actions=workflow.allowed_actions(found, current_user),
        form=form or ActionForm(formdata=None),
        error=error,
        danger=DANGER,
        event_titles=workflow.EVENT_TITLES,
        next_steps=NEXT_STEPS,
        placement_url=url_for(endpoint, placement_id=placement_id) if placement_id else None,
        sees_rank=bool(parties & {workflow.STUDENT, workflow.UNIVERSITY}),
    ), status


@bp.route("/applications/<int:application_id>")
@allow(Role.STUDENT, Role.UNIVERSITY, Role.ADMIN, own=(Role.STUDENT, Role.UNIVERSITY))
def application(application_id):
    return render_application(application_id)


def _done_message(action: ApplicationAction, application):
    if action == ApplicationAction.ACCEPT:
        return _(
            "You accepted the offer. Your placement has been created and your other open "
            "applications of this period were withdrawn."
        )
    return _("Done: the application is now “%(state)s”.", state=application.state.title)


@bp.route("/applications/<int:application_id>/action", methods=["POST"])
@allow(Role.STUDENT, Role.UNIVERSITY, Role.ADMIN, own=(Role.STUDENT, Role.UNIVERSITY))
def application_action(application_id):
    found = visible_application(application_id)
    form = ActionForm()
    if not form.validate_on_submit():
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return render_application(application_id, form=form, status=400, error=error)
    action = ApplicationAction(form.action.data)
    if action == ApplicationAction.ACCEPT and request.form.get("confirmed") != "1":
        others = application_queries.others_to_withdraw(found)
        if others and workflow.STUDENT in workflow.parties_of(found, current_user):
            return render_template(
                "internships/accept_confirm.html",
                application=found,
                others=others,
                back=request.form.get("back", "") if request.form.get("back") in BACK else "",
            )
    done = attempt(
        lambda: lifecycle.take_action(found, action, actor=current_user, note=form.note.data),
        show=False,
    )
    if not done:
        return render_application(
            application_id, form=form, status=done.error.status, error=done.alert
        )
    flash(_done_message(action, found), "success")
    endpoint = placement_endpoint()
    if action == ApplicationAction.ACCEPT and endpoint:
        return redirect(url_for(endpoint, placement_id=done.value.id))
    back = BACK.get(request.form.get("back", ""))
    if back:
        return redirect(url_for(back))
    return redirect(url_for("internships.application", application_id=application_id))


@bp.route("/applications/<int:application_id>/cv")
@allow(Role.STUDENT, Role.UNIVERSITY, Role.ADMIN, own=(Role.STUDENT, Role.UNIVERSITY))
def application_cv(application_id):
    found = application_queries.application_cv(application_id)
    require(found is not None and found.can_view(current_user), 404)
    require(found.cv_file is not None, 404)
    return uploads.send(found.cv_file)
