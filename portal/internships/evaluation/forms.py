"""Forms of the evaluation: the mentor's rubric scores, the DPL's academic score, the student's
feedback, and the university's rubric (no owner, state or id field can be posted)."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    RadioField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, NumberRange, Optional

from portal.forms import BaseForm, choices, max_length
from portal.i18n import _l
from portal.internships.evaluation.models import RATING_MAX, RATING_MIN, SCORE_MAX, SCORE_MIN
from portal.internships.evaluation.services import COMMENT_MAX, MAX_CRITERIA, NAME_MAX

RATINGS = [(n, str(n)) for n in range(RATING_MIN, RATING_MAX + 1)]


def _score_validators():
    return [
        InputRequired(message=_l("This field is required.")),
        NumberRange(min=SCORE_MIN, max=SCORE_MAX, message=_l("A whole number from 0 to 100.")),
    ]


class _EvaluationBase(BaseForm):
    def score_fields(self):
        return [f for f in self if f.name.startswith("score_")]

    def scores(self) -> list[int]:
        return [f.data for f in self.score_fields()]


def evaluation_form(criteria, *, can_complete: bool, **kwargs) -> BaseForm:
    """The mentor's form: one 0–100 score per criterion of the rubric, a comment, and (for an
    active placement) a box to complete the placement with the evaluation."""

    class EvaluationForm(_EvaluationBase):
        """A class of its own per call: the score fields added below belong to this rubric."""

    for index, criterion in enumerate(criteria):
        setattr(
            EvaluationForm,
            f"score_{index}",
            IntegerField(
                criterion.title,
                validators=_score_validators(),
                description=_l("Weight %(weight)d%%", weight=criterion.weight),
                render_kw={"min": SCORE_MIN, "max": SCORE_MAX, "inputmode": "numeric"},
            ),
        )
    EvaluationForm.comment = TextAreaField(
        _l("Comment for the student and the DPL"),
        validators=[Optional(), max_length(COMMENT_MAX)],
        render_kw={"rows": 3},
    )
    if can_complete:
        EvaluationForm.complete = BooleanField(
            _l("The placement has run its course: complete it now"),
            description=_l(
                "Completing ends the placement; the final grade follows once the "
                "DPL's academic score is in."
            ),
        )
    return EvaluationForm(**kwargs)


class AcademicScoreForm(BaseForm):
    score = IntegerField(
        _l("Academic score"),
        validators=_score_validators(),
        description=_l("A whole number from 0 to 100 (the university's own grading)."),
    )
    comment = TextAreaField(
        _l("Comment"), validators=[Optional(), max_length(COMMENT_MAX)], render_kw={"rows": 3}
    )


class StudentFeedbackForm(BaseForm):
    placement_rating = RadioField(
        _l("How good was the placement for your learning? (1 = poor, 5 = excellent)"),
        choices=choices(RATINGS),
        coerce=int,
        validators=[InputRequired(message=_l("Choose a rating from 1 to 5."))],
    )
    mentor_rating = RadioField(
        _l("How good was your mentor's guidance? (1 = poor, 5 = excellent)"),
        choices=choices(RATINGS),
        coerce=int,
        validators=[InputRequired(message=_l("Choose a rating from 1 to 5."))],
    )
    comment = TextAreaField(
        _l("Comment"),
        validators=[Optional(), max_length(COMMENT_MAX)],
        render_kw={"rows": 4},
        description=_l(
            "The OPD's admins read it. Your mentor only ever sees averages over "
            "several interns, never your answer."
        ),
    )


class CriterionRowForm(Form):
    """One criterion of the rubric (an empty row is ignored)."""

    Meta = BaseForm.Meta

    name = StringField(_l("Criterion"), validators=[Optional(), max_length(NAME_MAX)])
    weight = IntegerField(
        _l("Weight (%)"),
        validators=[
            Optional(),
            NumberRange(min=1, max=100, message=_l("A whole number from 1 to 100.")),
        ],
    )


class RubricForm(BaseForm):
    criteria = FieldList(FormField(CriterionRowForm), min_entries=1, max_entries=MAX_CRITERIA)
    mentor_weight = IntegerField(
        _l("Mentor's share of the final grade (%)"),
        validators=[
            InputRequired(message=_l("This field is required.")),
            NumberRange(min=0, max=100, message=_l("A whole number from 0 to 100.")),
        ],
        description=_l("The rest is the academic score of the DPL. The default is 60."),
    )

    def rows(self) -> list[tuple[str, int | None]]:
        return [(row.form.name.data or "", row.form.weight.data) for row in self.criteria]

    def pad(self, to: int) -> None:
        """Empty rows so the university can add criteria (up to MAX_CRITERIA)."""
        while len(self.criteria.entries) < min(to, MAX_CRITERIA):
            self.criteria.append_entry()
