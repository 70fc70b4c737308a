"""Kirkpatrick L1 pages: the city admin's question list, the ASN's reaction survey and the
results per batch (managers see everything, a facilitator the batch averages and their own
ratings; averages only from MIN_RESPONSES answers). The RTL and L3 pages are in
``evaluation_l3``."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_login import current_user

from portal.access import allow, require
from portal.auth.models import Role
from portal.exports import export
from portal.i18n import _, _l
from portal.refusals import attempt
from portal.trainings import bp
from portal.trainings.evaluation import queries, services
from portal.trainings.evaluation.forms import questions_form, survey_form
from portal.trainings.evaluation.models import SurveyAspect
from portal.trainings.models import is_city_admin
from portal.util import links

EXPORT_HEADERS = (_l("Aspect"), _l("Question"), _l("Facilitator"), _l("Answers"), _l("Average"))


def _status(form) -> int:
    return 400 if form.is_submitted() else 200


@bp.route("/survey-questions", methods=["GET", "POST"])
@allow(Role.ADMIN)
def survey_questions():
    """The city admin rewords, orders, deactivates and adds the L1 questions."""
    require(is_city_admin(current_user))
    questions = queries.all_questions()
    data = None
    if request.method == "GET":
        data = {}
        for q in questions:
            data.update(
                {
                    f"text_{q.id}": q.label,
                    f"position_{q.id}": q.position,
                    f"active_{q.id}": q.is_active,
                }
            )
    form = questions_form(questions, data=data)
    if form.validate_on_submit():
        changes = [
            services.QuestionChange(q, text.data, position.data, bool(active.data))
            for q, text, position, active in form.rows()
        ]
        aspect = SurveyAspect(form.new_aspect.data) if form.new_aspect.data else None
        done = attempt(
            lambda: services.save_questions(
                changes, actor=current_user, new_aspect=aspect, new_text=form.new_text.data or ""
            ),
            form=form,
            success=_("The survey questions are saved."),
        )
        if done:
            return redirect(url_for("trainings.survey_questions"))
    return render_template(
        "trainings/evaluation/survey_questions.html", form=form, aspects=SurveyAspect
    ), _status(form)


@bp.route("/registrations/<int:registration_id>/survey", methods=["GET", "POST"])
@allow(Role.ASN, own=(Role.ASN,))
def l1_survey(registration_id):
    """The ASN's reaction survey, once, after the last session started or after completion."""
    registration = queries.registration_for_evaluation(registration_id)
    require(registration is not None and registration.user_id == current_user.id, 404)
    batch = registration.batch
    answered = queries.has_answered_l1(registration.id)
    is_open = services.l1_is_open(registration)
    items = services.survey_items(services.active_questions(), batch.facilitators)
    form = survey_form(items)
    if not answered and is_open and form.validate_on_submit():
        done = attempt(
            lambda: services.submit_l1(
                registration, form.ratings(), actor=current_user, comment=form.comment.data
            ),
            form=form,
            success=_("Thank you for your answers."),
        )
        if done:
            return redirect(url_for("trainings.l1_survey", registration_id=registration_id))
        registration = queries.registration_for_evaluation(registration_id)
        require(registration is not None, 404)
        batch = registration.batch
    status = 409 if request.method == "POST" and (answered or not is_open) else _status(form)
    return render_template(
        "trainings/evaluation/l1_survey.html",
        registration=registration,
        batch=batch,
        form=form,
        answered=answered,
        is_open=is_open,
        opens_at=services.l1_opens_at(batch),
        back_url=links.link("trainings.registration", registration_id=registration.id),
    ), status


def _results(batch_id):
    batch = queries.batch_for_evaluation(batch_id)
    require(batch is not None and services.can_view_l1_results(batch, current_user), 404)
    see_all = services.can_see_all_l1(batch, current_user)
    results = queries.l1_results(
        batch, facilitator_ids=None if see_all else {current_user.id}, with_comments=see_all
    )
    return batch, see_all, results


@bp.route("/batches/<int:batch_id>/l1-results")
@allow(Role.ADMIN, Role.UNIVERSITY, Role.ASN, own=(Role.UNIVERSITY, Role.ASN))
def l1_results(batch_id):
    """The batch's L1 averages per question and per facilitator."""
    batch, see_all, results = _results(batch_id)
    return render_template(
        "trainings/evaluation/l1_results.html",
        batch=batch,
        results=results,
        see_all=see_all,
        min_responses=queries.MIN_RESPONSES,
        back_url=links.link("trainings.batch", batch_id=batch.id),
    )


@bp.route("/batches/<int:batch_id>/l1-results.<fmt>")
@allow(Role.ADMIN, Role.UNIVERSITY, Role.ASN, own=(Role.UNIVERSITY, Role.ASN))
def l1_results_export(batch_id, fmt):
    """The same averages as CSV or XLSX (empty below the anonymity threshold; no write)."""
    _batch, _all, results = _results(batch_id)
    rows = queries.l1_export_rows(results) if results.shown else []
    return export(fmt, f"l1-batch-{batch_id}", EXPORT_HEADERS, rows)
