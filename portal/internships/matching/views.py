"""Pages of a matching round: the period's intake mode (city-wide admins), the round page
(run a preview, read it, publish it; an OPD admin sees their positions to score), a position's
ranking page (the OPD scores its applicants), and the student's preferences with why the match
placed them where it did. No page ever shows a student another applicant's identity."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.access import allow, require
from portal.auth.models import Role
from portal.exports import export
from portal.i18n import _, _l, _lp
from portal.internships import bp
from portal.internships.matching import algorithm
from portal.internships.matching import queries as matching_queries
from portal.internships.matching import services as matching_services
from portal.internships.matching.forms import (
    ConfirmForm,
    CriteriaForm,
    IntakeForm,
    PreviewForm,
    read_order,
    read_scores,
)
from portal.internships.models import IntakeMode
from portal.internships.positions.views import managed_position
from portal.listing import page_arg, page_size
from portal.refusals import attempt

#: What became of a preference, as the student reads it (``%(n)d``: which choice it was).
OUTCOME_TEXTS = {
    algorithm.MATCHED: _l("Choice %(n)d: the match placed you here."),
    algorithm.FILLED: _l("Choice %(n)d was filled by applicants the OPD ranked higher."),
    algorithm.UNACCEPTABLE: _l("Choice %(n)d: the OPD did not consider your application."),
    algorithm.NO_SEATS: _l(
        "Choice %(n)d had no seat in the round (its quota was taken or its mentors were full)."
    ),
    algorithm.NOT_REACHED: _l("Choice %(n)d was not needed: you were placed at a higher choice."),
}


def explain(applications) -> str | None:
    """The student's result in one sentence: where the match placed them and why not higher
    ("Placed at your choice 2; choice 1 was filled by applicants the OPD ranked higher.")."""
    decided = sorted(
        (a for a in applications if a.match_outcome), key=lambda a: a.match_choice or 0
    )
    if not decided:
        return None
    placed = next((a for a in decided if a.match_outcome == algorithm.MATCHED), None)
    above = [a for a in decided if placed is None or (a.match_choice or 0) < placed.match_choice]
    reasons = " ".join(str(OUTCOME_TEXTS[a.match_outcome] % {"n": a.match_choice}) for a in above)
    if placed is None:
        return _("The match gave you no place. %(reasons)s", reasons=reasons).strip()
    if placed.match_choice == 1:
        return _("The match placed you at your first choice.")
    return _(
        "The match placed you at your choice %(n)d. %(reasons)s",
        n=placed.match_choice,
        reasons=reasons,
    ).strip()


def _period(period_id: int):
    found = matching_queries.period(period_id)
    require(found is not None, 404)
    return found


# --- the period's intake mode -------------------------------------------------------------------


@bp.route("/manage/periods/<int:period_id>/intake", methods=["GET", "POST"])
@allow(Role.ADMIN)
def period_intake(period_id):
    period = _period(period_id)
    form = IntakeForm(obj=period if request.method == "GET" else None)
    if request.method == "GET":
        form.intake_mode.data = period.intake_mode.value
    status = 200
    if form.is_submitted():
        require(current_user.is_city_admin, 403)
        status = 400
        if form.validate_on_submit():
            done = attempt(
                lambda: matching_services.set_intake(
                    period,
                    actor=current_user,
                    mode=IntakeMode(form.intake_mode.data),
                    preference_limit=form.preference_limit.data,
                    preferences_close_on=form.preferences_close_on.data,
                ),
                form=form,
                success=_("The intake mode of the period is saved."),
            )
            if done:
                if period.intake_mode == IntakeMode.MATCHING:
                    return redirect(url_for("internships.matching_round", period_id=period.id))
                return redirect(url_for("internships.periods"))
            status = done.error.status
            period = _period(period_id)
    return render_template("internships/matching/intake.html", period=period, form=form), status


# --- the round ----------------------------------------------------------------------------------


@bp.route("/manage/matching")
@allow(Role.ADMIN)
def matching_rounds():
    periods = matching_queries.matching_periods()
    return render_template(
        "internships/matching/rounds.html",
        periods=periods,
        runs={p.id: matching_queries.latest_run(p.id) for p in periods},
    )


def render_round(period, *, preview_form=None, status=200):
    run = matching_queries.latest_run(period.id)
    return render_template(
        "internships/matching/round.html",
        period=period,
        run=run,
        rows=matching_queries.preview_rows(run, page=page_arg(), per_page=page_size())
        if run is not None
        else None,
        unfilled=matching_queries.unfilled(run) if run is not None else [],
        unplaced=matching_queries.unplaced_students(run) if run is not None else [],
        positions=matching_queries.round_positions(period, current_user),
        inputs=matching_queries.round_inputs(period) if period.in_matching_round else None,
        preview_form=preview_form or PreviewForm(formdata=None),
        confirm=ConfirmForm(formdata=None),
    ), status


@bp.route("/manage/matching/<int:period_id>")
@allow(Role.ADMIN)
def matching_round(period_id):
    period = _period(period_id)
    require(period.intake_mode == IntakeMode.MATCHING, 404)
    return render_round(period)


@bp.route("/manage/matching/<int:period_id>/preview", methods=["POST"])
@allow(Role.ADMIN)
def matching_preview(period_id):
    period = _period(period_id)
    require(current_user.is_city_admin, 403)
    form = PreviewForm()
    if not form.validate_on_submit():
        return render_round(period, preview_form=form, status=400)
    done = attempt(
        lambda: matching_services.preview_match(period, actor=current_user, seed=form.seed.data),
        form=form,
        success=_("The preview is ready: read it, then publish it or run it again."),
    )
    if not done:
        return render_round(_period(period_id), preview_form=form, status=done.error.status)
    return redirect(url_for("internships.matching_round", period_id=period.id))


@bp.route("/manage/matching/runs/<int:run_id>/publish", methods=["POST"])
@allow(Role.ADMIN)
def matching_publish(run_id):
    run = matching_queries.run(run_id)
    require(run is not None, 404)
    require(current_user.is_city_admin, 403)
    form = ConfirmForm()
    if not form.validate_on_submit():
        flash(_("The request could not be understood."), "danger")
    else:
        attempt(
            lambda: matching_services.publish_match(run, actor=current_user),
            success=_("The match is published: the offers went out and every student was told."),
        )
    return redirect(url_for("internships.matching_round", period_id=run.period_id))


#: The most rows an export of a run holds (a city's cohort is a few thousand students).
EXPORT_LIMIT = 20_000
RUN_HEADERS = (
    _l("Student"),
    _l("NIM"),
    _lp("internship", "Position"),
    _l("OPD"),
    _l("Choice"),
)


@bp.route("/manage/matching/runs/<int:run_id>.<fmt>")
@allow(Role.ADMIN)
def matching_run_export(run_id, fmt):
    run = matching_queries.run(run_id)
    require(run is not None, 404)
    require(current_user.is_city_admin, 403)
    rows = matching_queries.preview_rows(run, page=1, per_page=EXPORT_LIMIT).items
    return export(
        fmt,
        f"hasil-pencocokan-{run.period_id}-{run.id}",
        RUN_HEADERS,
        (
            (
                a.student.full_name,
                a.student.nim or "",
                a.position.title,
                a.position.agency.short_name,
                choice,
            )
            for a, choice in rows
        ),
    )


# --- the OPD's ranking --------------------------------------------------------------------------


def render_ranking(position, *, criteria=None, errors=None, typed=None, status=200):
    return render_template(
        "internships/matching/ranking.html",
        position=position,
        applicants=matching_queries.applicants(position),
        criteria=criteria or CriteriaForm(formdata=None),
        errors=errors or {},
        typed=typed,
        confirm=ConfirmForm(formdata=None),
    ), status


@bp.route("/manage/positions/<int:position_id>/ranking", methods=["GET", "POST"])
@allow(Role.ADMIN)
def position_ranking(position_id):
    position = managed_position(position_id)
    if request.method == "GET":
        return render_ranking(position)
    form = ConfirmForm()
    applicants = matching_queries.applicants(position)
    scores, errors = read_scores(request.form, applicants)
    if not form.validate_on_submit() or errors:
        if not errors:
            flash(_("The request could not be understood."), "danger")
        return render_ranking(position, errors=errors, typed=request.form, status=400)
    done = attempt(
        lambda: matching_services.score_applicants(position, scores, actor=current_user),
        success=_("The scores are saved."),
    )
    if not done:
        return render_ranking(
            managed_position(position_id), typed=request.form, status=done.error.status
        )
    return redirect(url_for("internships.position_ranking", position_id=position.id))


@bp.route("/manage/positions/<int:position_id>/ranking/criteria", methods=["POST"])
@allow(Role.ADMIN)
def position_ranking_criteria(position_id):
    position = managed_position(position_id)
    form = CriteriaForm()
    if not form.validate_on_submit():
        return render_ranking(position, criteria=form, status=400)
    criteria = matching_services.Criteria(
        programmes=form.words(),
        min_semester=form.min_semester.data,
        min_gpa=None if form.min_gpa.data is None else float(form.min_gpa.data),
        unacceptable_if_none=form.unacceptable_if_none.data,
    )
    done = attempt(
        lambda: matching_services.score_by_criteria(position, criteria, actor=current_user),
        form=form,
        success=_("Every applicant is scored by the criteria; adjust any score below."),
    )
    if not done:
        return render_ranking(managed_position(position_id), criteria=form, status=400)
    return redirect(url_for("internships.position_ranking", position_id=position.id))


# --- the student's preferences ------------------------------------------------------------------


def render_my_round(period, *, error=None, typed=None, status=200):
    applications = matching_queries.my_round(current_user, period)
    return render_template(
        "internships/matching/mine.html",
        period=period,
        applications=applications,
        open_ones=[a for a in applications if a.rank is not None],
        summary=explain(applications),
        placed=any(a.match_outcome == algorithm.MATCHED for a in applications),
        outcome_texts=OUTCOME_TEXTS,
        error=error,
        typed=typed,
        confirm=ConfirmForm(formdata=None),
    ), status


@bp.route("/matching/<int:period_id>")
@allow(Role.STUDENT)
def my_round(period_id):
    period = _period(period_id)
    require(period.intake_mode == IntakeMode.MATCHING, 404)
    return render_my_round(period)


@bp.route("/matching/<int:period_id>/order", methods=["POST"])
@allow(Role.STUDENT)
def my_round_order(period_id):
    period = _period(period_id)
    require(period.intake_mode == IntakeMode.MATCHING, 404)
    form = ConfirmForm()
    open_ones = [a for a in matching_queries.my_round(current_user, period) if a.rank is not None]
    order, error = read_order(request.form, open_ones)
    if not form.validate_on_submit() or error:
        return render_my_round(
            period,
            error=error or _("The request could not be understood."),
            typed=request.form,
            status=400,
        )
    done = attempt(
        lambda: matching_services.reorder_preferences(period, order, actor=current_user),
        success=_("Your order of preferences is saved."),
        show=False,
    )
    if not done:
        return render_my_round(
            _period(period_id), error=done.alert, typed=request.form, status=done.error.status
        )
    return redirect(url_for("internships.my_round", period_id=period.id))
