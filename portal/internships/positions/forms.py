"""Forms of the position and application pages.

Forms carry only what a user may set (QUALITY.md G4): never the OPD (``agency_id``), the state,
the seat counter, the student or the university. Views pass each field to the service as an
explicit keyword, so a posted extra field has nothing to land in.
"""

from __future__ import annotations

from wtforms import (
    DateField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from portal.forms import BaseForm, choices, max_length, required
from portal.i18n import _l
from portal.internships.models import WorkMode
from portal.internships.positions.services import EDITABLE_FIELDS

#: Steps a user may post (the offer's expiry is the daily job's).


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
        names = EDITABLE_FIELDS - {"period"}
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


class ConfirmForm(BaseForm):
    """Only the CSRF token: one-click POST actions (publish, close, remove)."""
