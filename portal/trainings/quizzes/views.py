"""Pre- and post-test authoring: the question set of a batch (add, edit, delete, reorder) and its
pass mark, by the batch's managers and facilitators; locked once someone took the test.

Taking a test, the results and recording an assessment are in ``quiz_pages``.
"""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_login import current_user

from portal.access import allow, require
from portal.auth.models import Role
from portal.i18n import _
from portal.refusals import attempt
from portal.trainings import bp
from portal.trainings.quizzes import authoring as quiz_authoring
from portal.trainings.quizzes import queries as quiz_queries
from portal.trainings.quizzes import services as quiz_services
from portal.trainings.quizzes.forms import CHOICE_SLOTS, ActionForm, PassScoreForm, QuestionForm
from portal.trainings.quizzes.models import QuizKind
from portal.util import links

KIND = "<any(pre,post):kind>"
#: Managers (admins, agency co-authors: ADMIN or ASN) and facilitators (UNIVERSITY), each only
#: for their own batches (``quiz_authoring.can_author``); a city admin manages every batch, an
#: OPD admin those of the OPD's curricula (others get 404, as in the batch pages).
AUTHORS = (Role.ADMIN, Role.UNIVERSITY, Role.ASN)
OWN = (Role.UNIVERSITY, Role.ASN)


def authored_batch(batch_id: int):
    batch = quiz_queries.batch_for_quizzes(batch_id)
    require(batch is not None and quiz_authoring.can_author(batch, current_user), 404)
    return batch


def _edit_url(batch_id: int, kind: QuizKind) -> str:
    return url_for("trainings.quiz_edit", batch_id=batch_id, kind=kind.value)


def _edit_page(batch, kind: QuizKind, form, status=200, score_form=None):
    quiz_set = quiz_queries.quiz_set(batch.id, kind)
    if score_form is None:
        score_form = PassScoreForm(data={"pass_score": quiz_set.pass_score if quiz_set else None})
    names = {cid: name for cid, name, _level in quiz_queries.targets(batch)}
    return render_template(
        "trainings/quizzes/edit.html",
        batch=batch,
        kind=kind,
        quiz_set=quiz_set,
        form=form,
        score_form=score_form,
        action_form=ActionForm(),
        names=names,
        locked=quiz_authoring.has_attempts(quiz_set),
        mark=quiz_services.pass_mark(quiz_set),
        back_url=links.link("trainings.batch", batch_id=batch.id),
        editable=batch.state.value in ("draft", "open", "closed"),
    ), status


@bp.route(f"/batches/<int:batch_id>/tests/{KIND}", methods=["GET", "POST"])
@allow(*AUTHORS, own=OWN)
def quiz_edit(batch_id, kind):
    """The batch's pre- or post-test: its questions, a form to add one, and the pass mark."""
    kind = QuizKind(kind)
    batch = authored_batch(batch_id)
    form = QuestionForm()
    form.set_competencies(quiz_queries.targets(batch))
    if form.validate_on_submit():
        done = attempt(
            lambda: quiz_authoring.add_question(batch, kind, actor=current_user, **_typed(form)),
            form=form,
            success=_("The question is added."),
        )
        if done:
            return redirect(_edit_url(batch_id, kind))
        batch = authored_batch(batch_id)
    return _edit_page(batch, kind, form, 400 if form.is_submitted() else 200)


@bp.route(f"/batches/<int:batch_id>/tests/{KIND}/pass-mark", methods=["POST"])
@allow(*AUTHORS, own=OWN)
def quiz_pass_score(batch_id, kind):
    """The set's own pass mark (empty: the portal's default)."""
    kind = QuizKind(kind)
    batch = authored_batch(batch_id)
    score_form = PassScoreForm()
    if score_form.validate_on_submit():
        done = attempt(
            lambda: quiz_authoring.set_pass_score(
                batch, kind, actor=current_user, pass_score=score_form.pass_score.data
            ),
            form=score_form,
            success=_("The pass mark is saved."),
        )
        if done:
            return redirect(_edit_url(batch_id, kind))
        batch = authored_batch(batch_id)
    form = QuestionForm(formdata=None)
    form.set_competencies(quiz_queries.targets(batch))
    return _edit_page(batch, kind, form, 400, score_form=score_form)


def _typed(form) -> dict:
    """A question as typed in the form, in the words of the quiz services."""
    return {
        "text": form.text.data,
        "competency_id": form.chosen_competency(),
        "choices": form.typed_choices(),
        "correct": form.correct_index(),
    }


def _question_of(question_id: int):
    question = quiz_queries.question_for_edit(question_id)
    require(question is not None, 404)
    batch = authored_batch(question.quiz_set.batch_id)
    return question, batch


@bp.route("/tests/questions/<int:question_id>", methods=["GET", "POST"])
@allow(*AUTHORS, own=OWN)
def quiz_question_edit(question_id):
    """Change a question's wording, competency and choices."""
    question, batch = _question_of(question_id)
    kind = question.quiz_set.kind
    data = None
    if request.method == "GET":
        data = {"text": question.text, "competency_id": question.competency_id or 0}
        for n, choice in zip(CHOICE_SLOTS, question.choices, strict=False):
            data[f"choice_{n}"] = choice.text
            if choice.is_correct:
                data["correct"] = n
    form = QuestionForm(data=data)
    form.set_competencies(quiz_queries.targets(batch))
    if form.validate_on_submit():
        done = attempt(
            lambda: quiz_authoring.update_question(
                question, batch, actor=current_user, **_typed(form)
            ),
            form=form,
            success=_("The question is saved."),
        )
        if done:
            return redirect(_edit_url(batch.id, kind))
        question, batch = _question_of(question_id)
    return render_template(
        "trainings/quizzes/question.html",
        batch=batch,
        kind=kind,
        question=question,
        form=form,
        locked=quiz_authoring.has_attempts(question.quiz_set),
        back_url=_edit_url(batch.id, kind),
    ), 400 if form.is_submitted() else 200


@bp.route("/tests/questions/<int:question_id>/delete", methods=["POST"])
@allow(*AUTHORS, own=OWN)
def quiz_question_delete(question_id):
    question, batch = _question_of(question_id)
    kind = question.quiz_set.kind
    if ActionForm().validate_on_submit():
        attempt(
            lambda: quiz_authoring.delete_question(question, batch, actor=current_user),
            success=_("The question is deleted."),
        )
    return redirect(_edit_url(batch.id, kind))


@bp.route("/tests/questions/<int:question_id>/move/<any(up,down):direction>", methods=["POST"])
@allow(*AUTHORS, own=OWN)
def quiz_question_move(question_id, direction):
    question, batch = _question_of(question_id)
    kind = question.quiz_set.kind
    if ActionForm().validate_on_submit():
        attempt(
            lambda: quiz_authoring.move_question(
                question, batch, actor=current_user, step=-1 if direction == "up" else 1
            )
        )
    return redirect(_edit_url(batch.id, kind))
