"""Forms of the position and application pages.

Forms carry only what a user may set (QUALITY.md G4): never the OPD (``agency_id``), the state,
the seat counter, the student or the university. Views pass each field to the service as an
explicit keyword, so a posted extra field has nothing to land in.
"""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from portal.forms import BaseForm, choices, max_length, required
from portal.i18n import _l
from portal.internships.applications.services import MOTIVATION_MAX, NOTE_MAX
from portal.internships.applications.workflow import ApplicationAction
from portal.internships.models import WorkMode
from portal.listing import MAX_ID

#: Steps a user may post (the offer's expiry is the daily job's).
USER_ACTIONS = [a for a in ApplicationAction if a != ApplicationAction.EXPIRE]


def _date(label, description=None):
    return DateField(
        label,
        description=description,
        validators=[InputRequired(message=_l("Enter a date."))],
    )


def _whole(low: int, high: int, message):
    return [
        InputRequired(message=_l("This field is required.")),
        NumberRange(min=low, max=high, message=message),
    ]


class PositionForm(BaseForm):
    """What an OPD admin writes about a position (the OPD comes from the admin, not the form)."""

    title = StringField(_l("Title"), validators=[required(), max_length(200)])
    unit = StringField(
        _l("Unit"),
        validators=[Optional(), max_length(200)],
        description=_l("The bidang or section where the intern works."),
    )
    period_id = SelectField(_l("Period"), coerce=int, validators=[required()])
    description = TextAreaField(_l("Description"), validators=[Optional(), max_length(8000)])
    tasks = TextAreaField(
        _l("Tasks"),
        validators=[Optional(), max_length(8000)],
        description=_l("One task a line."),
    )
    wanted_majors = TextAreaField(
        _l("Wanted majors"),
        validators=[Optional(), max_length(2000)],
        description=_l("E.g. “Teknologi Informasi, Sistem Informasi”."),
    )
    wanted_skills = TextAreaField(_l("Wanted skills"), validators=[Optional(), max_length(2000)])
    quota = IntegerField(
        _l("Quota (interns)"), validators=_whole(1, 500, _l("Between 1 and 500 interns."))
    )
    starts_on = _date(_l("Starts on"))
    ends_on = _date(_l("Ends on"))
    application_deadline = _date(
        _l("Application deadline"), _l("The last day to apply (Medan time).")
    )
    location = StringField(_l("Location"), validators=[Optional(), max_length(200)])
    mode = SelectField(
        _l("Mode"),
        validators=[required()],
        choices=choices((m.value, m.title) for m in WorkMode),
    )
    work_plan_item = StringField(
        _l("Work-plan item"),
        validators=[Optional(), max_length(300)],
        description=_l("The programme or activity of the OPD this internship serves."),
    )

    def set_periods(self, periods) -> None:
        self.period_id.choices = choices(
            [(0, _l("Choose a period"))] + [(p.id, p.name) for p in periods]
        )

    def validate_ends_on(self, field):
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The internship must end after it starts."))

    def validate_application_deadline(self, field):
        if self.starts_on.data and field.data and field.data > self.starts_on.data:
            raise ValidationError(_l("The application deadline must not be after the start date."))

    def values(self) -> dict:
        """The service's keywords (all but the period, which the view turns into a row)."""
        names = (
            "title",
            "unit",
            "description",
            "tasks",
            "wanted_majors",
            "wanted_skills",
            "quota",
            "starts_on",
            "ends_on",
            "location",
            "mode",
            "application_deadline",
            "work_plan_item",
        )
        return {name: self[name].data if self[name].data is not None else "" for name in names}


class PeriodForm(BaseForm):
    name = StringField(
        _l("Name"),
        validators=[required(), max_length(100)],
        description=_l("E.g. “Semester Genap 2026”."),
    )
    starts_on = _date(_l("Starts on"))
    ends_on = _date(_l("Ends on"))

    def validate_ends_on(self, field):
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The period must end after it starts."))


class MentorForm(BaseForm):
    """Name a mentor of the OPD for the position, with their mentee limit."""

    mentor_id = SelectField(_l("Mentor"), coerce=int, validators=[required()])
    mentee_limit = IntegerField(
        _l("Mentee limit"),
        validators=_whole(0, 100, _l("Between 0 and 100 interns.")),
        description=_l("How many interns this mentor may guide at once, across positions."),
    )

    def set_candidates(self, users) -> None:
        self.mentor_id.choices = choices(
            [(0, _l("Choose a mentor"))] + [(u.id, u.full_name) for u in users]
        )


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


class ConfirmForm(BaseForm):
    """Only the CSRF token: one-click POST actions (publish, close, remove)."""
