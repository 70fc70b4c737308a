"""Taking a pre- or post-test (an enrolled ASN, once, within its window), the batch's results
with their export, and an admin turning a passed post-test into an official assessment."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal import refusals
from portal.access import allow, require
from portal.auth.models import Role
from portal.exports import export
from portal.i18n import _
from portal.listing import ListPage, page_arg, page_size, text_arg
from portal.trainings import bp
from portal.trainings.models import BatchState, RegistrationState
from portal.trainings.quizzes import queries as quiz_queries
from portal.trainings.quizzes import services as quiz_services
from portal.trainings.quizzes.forms import assessment_form, take_form
from portal.trainings.quizzes.models import QuizKind
from portal.trainings.quizzes.views import AUTHORS, KIND, OWN, authored_batch
from portal.util import clock, links


def _take_url(batch_id: int, kind: QuizKind) -> str:
    return url_for("trainings.quiz_take", batch_id=batch_id, kind=kind.value)


@bp.route(f"/batches/<int:batch_id>/tests/{KIND}/take", methods=["GET", "POST"])
@allow(Role.ASN, own=(Role.ASN,))
def quiz_take(batch_id, kind):
    """An enrolled ASN answers every question once, while the test is open; afterwards the page
    shows the score (the correct answers only once the training is completed)."""
    kind = QuizKind(kind)
    batch = quiz_queries.batch_for_quizzes(batch_id)
    require(batch is not None, 404)
    registration = quiz_queries.own_registration(batch.id, current_user.id)
    quiz_set = quiz_queries.quiz_set(batch.id, kind) if registration is not None else None
    require(quiz_services.can_open_test(registration, quiz_set), 404)
    attempt = quiz_queries.attempt(quiz_set.id, registration.id)
    open_now = (
        attempt is None
        and registration.state == RegistrationState.ENROLLED
        and quiz_services.is_open(batch, kind)
    )
    form = take_form(quiz_set.questions) if open_now else None
    status = 200
    if request.method == "POST":
        status = 409
        if form is None:
            flash(
                _("You have already taken this test.")
                if attempt
                else _("This test is not open now."),
                "danger",
            )
        elif form.validate_on_submit():
            refusals.attempt(
                lambda: quiz_services.submit_attempt(
                    quiz_set, batch, registration, actor=current_user, answers=form.answers()
                ),
                form=form,
                success=_("Your answers are saved."),
            )
            return redirect(_take_url(batch_id, kind))
        else:
            status = 400
            flash(_("Answer every question."), "danger")
    review = per = None
    if attempt is not None:
        chosen = {a.question_id: a.choice_id for a in attempt.answers}
        _overall, per, _right = quiz_services.score(quiz_set.questions, chosen)
        if batch.state == BatchState.COMPLETED:
            review = chosen
    opens, closes = quiz_services.window(batch, kind)
    return render_template(
        "trainings/quizzes/take.html",
        batch=batch,
        kind=kind,
        quiz_set=quiz_set,
        form=form,
        attempt=attempt,
        per=per,
        review=review,
        opens=opens,
        closes=closes,
        registration=registration,
        mark=quiz_services.pass_mark(quiz_set),
        names={cid: name for cid, name, _level in quiz_queries.targets(batch)},
        gains=quiz_queries.gains(registration.id) if kind == QuizKind.POST and attempt else {},
    ), status


def _results(batch):
    sets = quiz_queries.sets(batch.id)
    return sets, quiz_queries.results(batch.id, sets, text_arg("q"))


@bp.route("/batches/<int:batch_id>/tests/results")
@allow(*AUTHORS, own=OWN)
def quiz_results(batch_id):
    """Per ASN the pre and post scores, the gain and whether the post-test was passed; per
    target competency the averages. For the batch's managers and facilitators."""
    batch = authored_batch(batch_id)
    sets, rows = _results(batch)
    return render_template(
        "trainings/quizzes/results.html",
        batch=batch,
        sets=sets,
        q=text_arg("q"),
        pagination=ListPage(rows, page_arg(), page_size()),
        averages=quiz_queries.competency_averages(batch),
        mark=quiz_services.pass_mark(sets[QuizKind.POST]),
        recorder=lambda row: quiz_services.can_record_assessment(row, current_user),
        back_url=links.link("trainings.batch", batch_id=batch.id),
    )


def _yes_no(value) -> str:
    return "" if value is None else (_("Yes") if value else _("No"))


@bp.route("/batches/<int:batch_id>/tests/results.<fmt>")
@allow(*AUTHORS, own=OWN)
def quiz_results_export(batch_id, fmt):
    """The results (same search) as CSV or XLSX; a GET that writes nothing (no audit, G6)."""
    batch = authored_batch(batch_id)
    _sets, rows = _results(batch)
    headers = [
        _("Name"),
        _("NIP"),
        _("Registration"),
        _("Pre-test score"),
        _("Post-test score"),
        _("Gain (points)"),
        _("Post-test passed"),
    ]
    data = [
        (r.full_name, r.nip, r.state.title, r.pre, r.post, r.gain, _yes_no(r.passed)) for r in rows
    ]
    return export(fmt, f"hasil-tes-pelatihan-{batch.id}", headers, data)


@bp.route("/registrations/<int:registration_id>/post-test-assessment", methods=["GET", "POST"])
@allow(Role.ADMIN)
def record_assessment(registration_id):
    """A city admin or the ASN's OPD admin (others: 404) records a passed post-test as an official
    "post-training test" assessment, once, with levels pre-filled from the test."""
    registration = quiz_queries.registration_for_assessment(registration_id)
    require(
        registration is not None
        and quiz_services.can_record_assessment(registration, current_user),
        404,
    )
    attempt = quiz_queries.post_attempt(registration)
    ready = attempt is not None and attempt.passed and attempt.assessment_id is None
    mark = quiz_services.pass_mark(attempt.quiz_set if attempt else None)
    suggestions = quiz_queries.suggested_levels(registration, attempt, mark) if ready else []
    form = None
    if ready:
        data = None
        if request.method == "GET":
            data = {f"level_{cid}": level for cid, *_rest, level in suggestions}
            data["assessed_on"] = attempt.submitted_at.astimezone(clock.zone()).date()
            data["assessor"] = _(
                "Post-test of the training “%(training)s”", training=registration.batch.title
            )[:200]
        form = assessment_form(suggestions, data=data)
    status = 200
    if request.method == "POST":
        status = 409
        if form is not None and form.validate_on_submit():
            refusals.attempt(
                lambda: quiz_services.record_assessment(
                    registration,
                    attempt,
                    actor=current_user,
                    asn=registration.asn,
                    levels=form.levels(),
                    assessed_on=form.assessed_on.data,
                    assessor=form.assessor.data,
                    note=form.note.data,
                ),
                form=form,
                success=_("The post-test is recorded as an assessment."),
            )
            return redirect(request.path)
        if form is not None:
            status = 400
        else:
            flash(
                _("Only a passed post-test that is not yet recorded can become an assessment."),
                "danger",
            )
    return render_template(
        "trainings/quizzes/record.html",
        registration=registration,
        attempt=attempt,
        form=form,
        suggestions=suggestions,
        mark=mark,
    ), status


@bp.route("/post-tests/to-record")
@allow(Role.ADMIN)
def quiz_record_queue():
    """For admins: the passed post-tests of their OPD (a city admin: all) still to be recorded as
    official assessments."""
    return render_template(
        "trainings/quizzes/to_record.html",
        q=text_arg("q"),
        pagination=quiz_queries.to_record(
            current_user, q=text_arg("q"), page=page_arg(), per_page=page_size()
        ),
    )
