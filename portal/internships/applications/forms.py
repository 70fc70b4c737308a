"""Forms of the application pages: applying, one step on an application, endorsing many."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DecimalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from portal.forms import BaseForm, choices, max_length, required
from portal.i18n import _l
from portal.internships.applications.services import MOTIVATION_MAX, NOTE_MAX
from portal.internships.applications.workflow import ApplicationAction
from portal.listing import MAX_ID

#: Steps a user may post (the offer's expiry is the daily job's).

USER_ACTIONS = [a for a in ApplicationAction if a != ApplicationAction.EXPIRE]


class ApplicationForm(BaseForm):
    """A student's application: the letter, the CV and the preference (never the student,
    university, position or state)."""

    motivation = TextAreaField(
        _l("Motivation letter"),
        validators=[
            required(),
            Length(
                max=MOTIVATION_MAX, message=_l("At most %(max)d characters.", max=MOTIVATION_MAX)
            ),
        ],
        description=_l("Why this position, and what you bring to it."),
    )
    cv = FileField(
        _l("CV (PDF)"),
        validators=[FileRequired(message=_l("Attach your CV as a PDF file."))],
        description=_l("A PDF file of at most 5 MB."),
    )
    rank = SelectField(
        _l("Preference"),
        coerce=int,
        validators=[required()],
        description=_l("1 is your first choice; each open application of a period has its own."),
    )

    semester = IntegerField(
        _l("Semester"),
        validators=[
            Optional(),
            NumberRange(min=1, max=14, message=_l("A semester between 1 and 14.")),
        ],
        description=_l("The semester you are in now; the OPD may rank applicants by it."),
    )
    gpa = DecimalField(
        _l("GPA (IPK)"),
        places=2,
        validators=[
            Optional(),
            NumberRange(min=0, max=4, message=_l("A GPA between 0.00 and 4.00.")),
        ],
        description=_l("Your cumulative GPA on a 4.00 scale; your university checks it."),
    )

    def set_ranks(self, limit: int, free: list[int]) -> None:
        self.rank.choices = choices(
            (r, _l("%(n)d (first choice)", n=r) if r == 1 else str(r)) for r in range(1, limit + 1)
        )
        if self.rank.data is None and free:
            self.rank.data = free[0]


class ActionForm(BaseForm):
    """One workflow step on an application, with the note kept in its history."""

    action = SelectField(
        _l("Step"),
        validators=[required()],
        choices=choices((a.value, a.title) for a in USER_ACTIONS),
    )
    note = TextAreaField(
        _l("Note or reason"),
        validators=[Optional(), max_length(NOTE_MAX)],
        description=_l(
            "Kept in the history, which the student, their university and the OPD read. "
            "Required to decline or reject."
        ),
    )


class BulkEndorseForm(BaseForm):
    application_id = SelectMultipleField(
        _l("Applications"),
        coerce=int,
        validate_choice=False,
        validators=[InputRequired(message=_l("Choose at least one application."))],
    )

    def validate_application_id(self, field):
        ids = field.data or []
        if len(ids) > 200 or any(not 1 <= i <= MAX_ID for i in ids):
            raise ValidationError(_l("Choose at most 200 applications from the list."))
