"""Forms of the placement pages: logbook entries, their review, the final report, the
placement's settings and its status. Only the fields listed here are ever read: whatever else
a request carries (a state, a placement, a reviewer) is ignored (QUALITY.md G4)."""

from __future__ import annotations

import decimal

from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    HiddenField,
    IntegerField,
    SelectField,
    TextAreaField,
)
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from portal.forms import BaseForm, choices, max_length, required
from portal.i18n import _l
from portal.internships.placements.models import (
    MAX_MINUTES,
    MIN_MINUTES,
    STEP_MINUTES,
    TEXT_MAX,
    EntryAction,
    ReportAction,
)
from portal.internships.placements.workflow import COMPLETE, TERMINATE
from portal.internships.settings import HOURS_PER_SKS_MAX

MIN_HOURS, MAX_HOURS = decimal.Decimal(MIN_MINUTES) / 60, decimal.Decimal(MAX_MINUTES) / 60


class HoursField(DecimalField):
    """Hours with a decimal point or an Indonesian decimal comma ("7,5"); finite values only."""

    def process_formdata(self, valuelist):
        if valuelist and isinstance(valuelist[0], str):
            valuelist = [valuelist[0].strip().replace(",", ".")]
        super().process_formdata(valuelist)
        if self.data is not None and not self.data.is_finite():
            self.data = None
            raise ValueError(_l("Not a valid decimal value."))


def _half_hours(form, field):
    if field.errors or field.data is None:  # out of range already said; no arithmetic on it
        return
    if (field.data * 60) % STEP_MINUTES:
        raise ValidationError(_l("Give the hours in steps of half an hour (for example 7.5)."))


class EntryForm(BaseForm):
    day = DateField(_l("Day"), validators=[InputRequired(message=_l("Enter the day of the work."))])
    hours = HoursField(
        _l("Hours worked"),
        validators=[
            InputRequired(message=_l("Enter the hours worked that day.")),
            NumberRange(min=MIN_HOURS, max=MAX_HOURS, message=_l("Between 0.5 and 12 hours.")),
            _half_hours,
        ],
        description=_l("Between 0.5 and 12, in half hours (for example 7.5)."),
        render_kw={"step": "0.5", "min": "0.5", "max": "12", "inputmode": "decimal"},
    )
    activities = TextAreaField(
        _l("Activities"),
        validators=[required(), max_length(TEXT_MAX)],
        description=_l("What you did that day, for example the tasks and meetings."),
        render_kw={"rows": 4},
    )
    outputs = TextAreaField(
        _l("Outputs (optional)"),
        validators=[Optional(), max_length(TEXT_MAX)],
        description=_l("What came out of it: documents, data entered, a dashboard …"),
        render_kw={"rows": 3},
    )
    attachment = FileField(
        _l("Attachment (optional)"),
        description=_l("PDF, PNG, JPG or WEBP, at most 5 MB: a document or a photo of the work."),
    )
    remove_attachment = BooleanField(_l("Remove the current attachment"))
    # Which button was pressed: "submit" sends the entry to the mentor, anything else saves it.
    intent = HiddenField()

    @property
    def minutes(self) -> int:
        return int(self.hours.data * 60)

    @property
    def submit_now(self) -> bool:
        return self.intent.data == "submit"


class EntryActionForm(BaseForm):
    """Submit (the student), approve or return with a comment (the mentor)."""

    action = SelectField(
        _l("Action"),
        choices=choices((a.value, a.title) for a in EntryAction),
        validators=[required()],
    )
    comment = TextAreaField(
        _l("Comment for the student"),
        validators=[Optional(), max_length(TEXT_MAX)],
        description=_l("Needed when you return the entry: say what should change."),
        render_kw={"rows": 2},
    )


class ReportForm(BaseForm):
    file = FileField(
        _l("Final report (PDF)"),
        description=_l("A PDF file of at most 20 MB."),
    )
    note = TextAreaField(
        _l("Note for the mentor and the DPL (optional)"),
        validators=[Optional(), max_length(TEXT_MAX)],
        description=_l("For a new version: what you changed."),
        render_kw={"rows": 3},
    )

    def validate_file(self, field):
        if not (field.data and getattr(field.data, "filename", None)):
            raise ValidationError(_l("Choose the PDF file of the report."))


class ReportActionForm(BaseForm):
    action = SelectField(
        _l("Decision"),
        choices=choices((a.value, a.title) for a in ReportAction),
        validators=[required()],
    )
    reason = TextAreaField(
        _l("Reason or remarks"),
        validators=[Optional(), max_length(TEXT_MAX)],
        description=_l("Needed when you return the report."),
        render_kw={"rows": 3},
    )


class PlacementSettingsForm(BaseForm):
    supervisor_id = SelectField(
        _l("Supervising lecturer (DPL)"),
        coerce=int,
        description=_l("A lecturer of the student's university with an account on the portal."),
    )
    planned_sks = IntegerField(
        _l("SKS the university plans to recognise"),
        validators=[
            Optional(),
            NumberRange(min=0, max=40, message=_l("A whole number between 0 and 40.")),
        ],
        description=_l("Your university's decision (0–40); the credit-readiness meter uses it."),
    )

    def set_candidates(self, users, current_id: int | None) -> None:
        """The DPL choices: the university's lecturers (none chosen only while none is named)."""
        options = [] if current_id else [(0, _l("— not named yet —"))]
        options += [(u.id, f"{u.full_name} ({u.email})") for u in users]
        self.supervisor_id.choices = choices(options)


class PlacementStatusForm(BaseForm):
    action = SelectField(
        _l("Action"),
        choices=choices(
            [(COMPLETE, _l("Complete the placement")), (TERMINATE, _l("End the placement early"))]
        ),
        validators=[required()],
    )
    end_reason = TextAreaField(
        _l("Reason"),
        validators=[Optional(), max_length(TEXT_MAX)],
        description=_l("Needed when the placement ends early."),
        render_kw={"rows": 2},
    )


class UniversitySettingsForm(BaseForm):
    hours_per_sks = IntegerField(
        _l("Hours of work per SKS"),
        validators=[
            Optional(),
            NumberRange(
                min=1, max=HOURS_PER_SKS_MAX, message=_l("A whole number between 1 and 200.")
            ),
        ],
        description=_l("Leave empty to follow the portal's default."),
    )
