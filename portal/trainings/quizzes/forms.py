"""Forms of the pre- and post-tests: a question with up to six choices, the pass mark, taking a
test (one radio group per question), and recording a passed post-test as an assessment. No
batch, set, registration, score or state field can be posted."""

from __future__ import annotations

from wtforms import DateField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from portal.forms import BaseForm, choices, max_length, required
from portal.i18n import _l
from portal.trainings.quizzes.models import CHOICE_MAX, MAX_CHOICES, MIN_CHOICES, QUESTION_MAX
from portal.util import clock

CHOICE_SLOTS = range(1, MAX_CHOICES + 1)
LEVELS = [(n, str(n)) for n in range(1, 6)]


class QuestionForm(BaseForm):
    """One question; ``competency_id`` choices are the curriculum's targets (set by the view)."""

    text = TextAreaField(
        _l("Question"), validators=[required(), max_length(QUESTION_MAX)], render_kw={"rows": 3}
    )
    competency_id = SelectField(
        _l("Target competency (optional)"),
        coerce=int,
        validate_choice=True,
        description=_l("The question counts towards this competency's score and gain."),
    )
    correct = RadioField(
        _l("Correct answer"),
        coerce=int,
        choices=choices([(n, _l("Choice %(n)d", n=n)) for n in CHOICE_SLOTS]),
        validators=[InputRequired(message=_l("Mark the correct answer."))],
    )

    def set_competencies(self, targets) -> None:
        self.competency_id.choices = choices(
            [(0, _l("None")), *((cid, name) for cid, name, _level in targets)]
        )

    def typed_choices(self) -> list[str]:
        return [self[f"choice_{n}"].data or "" for n in CHOICE_SLOTS]

    def chosen_competency(self) -> int | None:
        return self.competency_id.data or None

    def correct_index(self) -> int:
        return (self.correct.data or 0) - 1

    def validate_correct(self, field) -> None:
        filled = [n for n in CHOICE_SLOTS if (self[f"choice_{n}"].data or "").strip()]
        if not MIN_CHOICES <= len(filled) <= MAX_CHOICES:
            raise ValidationError(
                _l("Give between %(min)d and %(max)d choices.", min=MIN_CHOICES, max=MAX_CHOICES)
            )
        if field.data not in filled:
            raise ValidationError(_l("The correct answer must be one of the filled-in choices."))


for _n in CHOICE_SLOTS:
    setattr(
        QuestionForm,
        f"choice_{_n}",
        StringField(
            _l("Choice %(n)d", n=_n),
            validators=[Optional(), max_length(CHOICE_MAX)],
        ),
    )


class PassScoreForm(BaseForm):
    pass_score = IntegerField(
        _l("Pass mark (percentage correct)"),
        validators=[Optional(), NumberRange(min=1, max=100, message=_l("From 1 to 100."))],
        description=_l("Leave empty to use the portal's default."),
        render_kw={"min": 1, "max": 100, "inputmode": "numeric"},
    )


class ActionForm(BaseForm):
    """A button that only needs the CSRF token (delete, move)."""


def take_form(questions, **kwargs) -> BaseForm:
    """One radio group ``q_<question id>`` per question, its choices in order."""

    class TakeForm(BaseForm):
        """A class of its own per call: the fields below belong to this question set."""

    for number, question in enumerate(questions, start=1):
        setattr(
            TakeForm,
            f"q_{question.id}",
            RadioField(
                _l("Question %(n)d", n=number),
                description=question.text,
                coerce=int,
                choices=choices([(c.id, c.text) for c in question.choices]),
                validators=[InputRequired(message=_l("Choose an answer."))],
            ),
        )
    form = TakeForm(**kwargs)
    form.answers = lambda: {q.id: form[f"q_{q.id}"].data for q in questions}
    return form


def assessment_form(suggestions, **kwargs) -> BaseForm:
    """A level 1–5 per target competency (pre-filled with the suggestion), the date, the
    assessor and a note."""

    class RecordForm(BaseForm):
        """A class of its own per call: one level field per target competency."""

        assessed_on = DateField(
            _l("Assessment date"), validators=[InputRequired(message=_l("Enter a valid date."))]
        )
        assessor = StringField(_l("Assessor"), validators=[required(), max_length(200)])
        note = TextAreaField(
            _l("Note"), validators=[Optional(), max_length(2000)], render_kw={"rows": 2}
        )

        def validate_assessed_on(self, field) -> None:
            if field.data is not None and field.data > clock.today():
                raise ValidationError(_l("The assessment date cannot be in the future."))

    for cid, name, target, _post, _now, _suggested in suggestions:
        setattr(
            RecordForm,
            f"level_{cid}",
            SelectField(
                name,
                coerce=int,
                choices=choices(LEVELS),
                description=_l("Target level of the curriculum: %(level)d", level=target),
            ),
        )
    form = RecordForm(**kwargs)
    form.levels = lambda: {cid: form[f"level_{cid}"].data for cid, *_ in suggestions}
    return form
