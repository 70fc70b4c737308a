"""Evaluation pages: the mentor's rubric scores, the DPL's academic score, the student's
feedback, the university's rubric, and the feedback summaries (mentor: averages from several
interns only; admins: the feedback of their OPD or the city)."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_login import current_user

from portal.access import allow, require
from portal.auth.models import Role
from portal.i18n import _
from portal.internships import bp, lifecycle
from portal.internships.evaluation import queries as evaluation_queries
from portal.internships.evaluation import services as evaluation_services
from portal.internships.evaluation.forms import (
    AcademicScoreForm,
    RubricForm,
    StudentFeedbackForm,
    evaluation_form,
)
from portal.internships.evaluation.models import default_rubric
from portal.internships.guidance import queries as guidance_queries
from portal.internships.guidance.views import loaded_placement, placement_url
from portal.internships.models import PlacementStatus
from portal.listing import id_arg, page_arg
from portal.refusals import attempt
from portal.util import clock


def _to_placement(placement_id: int):
    return redirect(placement_url(placement_id) or url_for("main.dashboard"))


def _page(template, placement, form, status=200, **extra):
    return render_template(
        f"internships/{template}",
        placement=placement,
        form=form,
        ev=evaluation_queries.state(placement),
        back_url=placement_url(placement.id),
        opens_on=evaluation_services.opens_on(placement),
        is_open=evaluation_services.is_open(placement),
        **extra,
    ), status


@bp.route("/placements/<int:placement_id>/evaluate", methods=["GET", "POST"])
@allow(Role.MENTOR, own=(Role.MENTOR,))
def evaluate(placement_id):
    """The placement's mentor scores the university's rubric at or after the end (or while
    completing the placement); the scores can change until the final grade is given."""
    placement = loaded_placement(placement_id)
    require(placement.mentor_id == current_user.id, 404)
    ev = evaluation_queries.state(placement)
    rubric = evaluation_services.rubric_for(placement.university_id)
    can_complete = placement.status == PlacementStatus.ACTIVE
    data = None
    if request.method == "GET" and ev.mentor is not None:
        given = {crit.ident: score for crit, score in ev.mentor.criteria_scores()}
        data = {f"score_{i}": given.get(c.ident) for i, c in enumerate(rubric.criteria)}
        data["comment"] = ev.mentor.comment
    form = evaluation_form(rubric.criteria, can_complete=can_complete, data=data)
    if form.validate_on_submit():
        done = attempt(
            lambda: lifecycle.save_mentor_evaluation(
                placement,
                form.scores(),
                actor=current_user,
                comment=form.comment.data,
                complete=bool(can_complete and form.complete.data),
            ),
            form=form,
            success=_("Your evaluation is saved."),
        )
        if done:
            return _to_placement(placement_id)
        placement = loaded_placement(placement_id)
    return _page(
        "evaluation_mentor.html",
        placement,
        form,
        rubric=rubric,
        status=400 if form.is_submitted() else 200,
    )


@bp.route("/placements/<int:placement_id>/academic", methods=["GET", "POST"])
@allow(Role.UNIVERSITY, own=(Role.UNIVERSITY,))
def academic_score(placement_id):
    """The placement's DPL enters the academic score (0–100)."""
    placement = loaded_placement(placement_id)
    require(placement.supervisor_id is not None and placement.supervisor_id == current_user.id, 404)
    ev = evaluation_queries.state(placement)
    data = None
    if request.method == "GET" and ev.academic is not None:
        data = {"score": ev.academic.score, "comment": ev.academic.comment}
    form = AcademicScoreForm(data=data)
    if form.validate_on_submit():
        done = attempt(
            lambda: evaluation_services.save_academic_score(
                placement, form.score.data, actor=current_user, comment=form.comment.data
            ),
            form=form,
            success=_("The academic score is saved."),
        )
        if done:
            return _to_placement(placement_id)
        placement = loaded_placement(placement_id)
    return _page(
        "evaluation_academic.html", placement, form, status=400 if form.is_submitted() else 200
    )


@bp.route("/placements/<int:placement_id>/feedback", methods=["GET", "POST"])
@allow(Role.STUDENT, own=(Role.STUDENT,))
def student_feedback(placement_id):
    """The student rates the placement and the mentor, once (the answer is final)."""
    placement = loaded_placement(placement_id)
    require(placement.student_id == current_user.id, 404)
    form = StudentFeedbackForm()
    if form.validate_on_submit():
        done = attempt(
            lambda: evaluation_services.give_feedback(
                placement,
                actor=current_user,
                placement_rating=form.placement_rating.data,
                mentor_rating=form.mentor_rating.data,
                comment=form.comment.data,
            ),
            form=form,
            success=_("Thank you for your feedback."),
        )
        if done:
            return _to_placement(placement_id)
        placement = loaded_placement(placement_id)
    return _page(
        "evaluation_feedback.html", placement, form, status=400 if form.is_submitted() else 200
    )


@bp.route("/university/rubric", methods=["GET", "POST"])
@allow(Role.UNIVERSITY)
def rubric():
    """University staff set their university's criteria and weights (summing to 100) and the
    split between the mentor's evaluation and the academic score."""
    university_id = current_user.university_id
    require(university_id is not None, 404)
    current = evaluation_services.rubric_for(university_id)
    data = None
    if request.method == "GET":
        data = {
            "criteria": [{"name": str(c.title), "weight": c.weight} for c in current.criteria],
            "mentor_weight": current.mentor_weight,
        }
    form = RubricForm(data=data)
    if form.validate_on_submit():
        done = attempt(
            lambda: evaluation_services.save_rubric(
                university_id, form.rows(), form.mentor_weight.data, actor=current_user
            ),
            form=form,
            success=_(
                "The rubric is saved. New evaluations use it; grades already given keep "
                "their criteria."
            ),
        )
        if done:
            return redirect(url_for("internships.rubric"))
    form.pad(len(form.criteria.entries) + 3)
    return render_template(
        "internships/rubric.html",
        form=form,
        current=current,
        defaults=default_rubric(),
    ), 400 if form.is_submitted() else 200


@bp.route("/mentor/feedback")
@allow(Role.MENTOR)
def mentor_feedback_summary():
    """A mentor's average ratings, shown only once enough interns rated (never one answer)."""
    return render_template(
        "internships/evaluation_mentor_summary.html",
        summary=evaluation_queries.mentor_summary(current_user.id),
    )


def feedback_filters() -> tuple[int | None, int | None]:
    """(OPD, mentor) of the feedback report and its export; the OPD for city admins only."""
    return None if current_user.admin_agency_id else id_arg("opd"), id_arg("mentor")


@bp.route("/opd/feedback")
@allow(Role.ADMIN)
def feedback_report():
    """The students' feedback of the admin's OPD (or, for a city-wide admin, every OPD or the
    one chosen), with averages per mentor and guidance sessions per mentor and month."""
    agency_id, mentor_id = feedback_filters()
    scope_agency = current_user.admin_agency_id or agency_id
    return render_template(
        "internships/evaluation_feedback_report.html",
        pagination=evaluation_queries.feedback_page(
            current_user, agency_id=agency_id, mentor_id=mentor_id, page=page_arg()
        ),
        averages=evaluation_queries.mentor_averages(current_user, agency_id=agency_id),
        counts=guidance_queries.monthly_counts(agency_id=scope_agency, limit=60),
        agencies=[] if current_user.admin_agency_id else evaluation_queries.agencies(),
        agency_id=agency_id,
        mentor_id=mentor_id,
        today=clock.today(),
    )
