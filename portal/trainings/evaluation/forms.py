"""Forms of the evaluation pages. The survey, question-list and L3 forms get their fields from
the database (the current questions, facilitators or target competencies), so each is a class
made per request; no owner, state or id can be posted."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, NumberRange, Optional

from portal.forms import BaseForm, choices, max_length, required
from portal.i18n import _, _l
from portal.trainings.evaluation.models import (
    ASPECT_TITLES,
    COMMENT_MAX,
    QUESTION_MAX,
    RATING_LABELS,
    PlanStatus,
)
from portal.trainings.evaluation.services import PLAN_TEXT_MAX, item_key

POSITION_MAX = 999


def _rating_field(label):
    return RadioField(
        label,
        choices=choices([(n, text) for n, text in RATING_LABELS.items()]),
        coerce=int,
        validators=[InputRequired(message=_l("Choose a rating from 1 to 4."))],
    )


def _comment_field(label, description=None):
    return TextAreaField(
        label,
        validators=[Optional(), max_length(COMMENT_MAX)],
        description=description,
        render_kw={"rows": 3},
    )


def questions_form(questions, **kwargs) -> BaseForm:
    """Every question's wording, order and active box, and one row to add a question."""

    class QuestionsForm(BaseForm):
        """A class of its own per call: the fields below belong to the current questions."""

        def rows(self):
            return [
                (q, self[f"text_{q.id}"], self[f"position_{q.id}"], self[f"active_{q.id}"])
                for q in questions
            ]

    for q in questions:
        setattr(
            QuestionsForm,
            f"text_{q.id}",
            StringField(_l("Question"), validators=[required(), max_length(QUESTION_MAX)]),
        )
        setattr(
            QuestionsForm,
            f"position_{q.id}",
            IntegerField(
                _l("Order"),
                validators=[
                    InputRequired(message=_l("This field is required.")),
                    NumberRange(
                        min=1,
                        max=POSITION_MAX,
                        message=_l("A whole number from 1 to %(max)d.", max=POSITION_MAX),
                    ),
                ],
                render_kw={"min": 1, "max": POSITION_MAX, "inputmode": "numeric"},
            ),
        )
        setattr(QuestionsForm, f"active_{q.id}", BooleanField(_l("Asked")))
    QuestionsForm.new_aspect = SelectField(
        _l("Aspect of the new question"),
        choices=choices(
            [("", _l("— no new question —")), *((str(a), t) for a, t in ASPECT_TITLES.items())]
        ),
        validators=[Optional()],
    )
    QuestionsForm.new_text = StringField(
        _l("New question"),
        validators=[Optional(), max_length(QUESTION_MAX)],
        description=_l(
            "Rated from 1 (strongly disagree) to 4 (strongly agree). Facilitator "
            "questions are answered once per facilitator."
        ),
    )
    return QuestionsForm(**kwargs)


def survey_form(items, **kwargs) -> BaseForm:
    """One 1–4 rating per (question, facilitator) item, and an optional comment."""

    class SurveyForm(BaseForm):
        def ratings(self) -> dict[str, int]:
            return {key: self[key].data for key, _q, _f in self.items}

    SurveyForm.items = [(item_key(q, f), q, f) for q, f in items]
    for key, question, facilitator in SurveyForm.items:
        label = question.label
        if facilitator is not None:
            label = _(
                "%(question)s (facilitator: %(name)s)", question=label, name=facilitator.full_name
            )
        setattr(SurveyForm, key, _rating_field(label))
    SurveyForm.comment = _comment_field(
        _l("Comment (optional)"),
        _l("Managers read comments without your name; facilitators see only averages."),
    )
    return SurveyForm(**kwargs)


def l3_answer_form(targets, **kwargs) -> BaseForm:
    """One 1–4 rating per target competency and an optional comment."""

    class L3AnswerForm(BaseForm):
        def ratings(self) -> dict[int, int]:
            return {cid: self[f"c{cid}"].data for cid, _name in targets}

    for cid, name in targets:
        label = _("Applies what was learned about “%(competency)s” on the job.", competency=name)
        setattr(L3AnswerForm, f"c{cid}", _rating_field(label))
    L3AnswerForm.comment = _comment_field(_l("Comment (optional)"))
    return L3AnswerForm(**kwargs)


class PlanItemForm(BaseForm):
    text = StringField(
        _l("What will you do?"),
        validators=[required(), max_length(PLAN_TEXT_MAX)],
        description=_l("One concrete step to apply what you learned at work."),
    )
    due_on = DateField(
        _l("Due date"),
        validators=[Optional()],
        description=_l("Optional."),
    )
    status = SelectField(
        _l("Status"),
        choices=choices([(str(s), s.title) for s in PlanStatus]),
        validators=[InputRequired(message=_l("This field is required."))],
    )
