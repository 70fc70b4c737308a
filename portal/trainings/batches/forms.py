"""Forms of the batch, registration and attendance pages.

Forms carry only what a user may set (QUALITY.md G4): never the state, the seat counter, the
curriculum of an existing batch, the ASN of a registration or its OPD. Views pass each field to
the service as an explicit keyword, so a posted extra field has nothing to land in.
"""

from __future__ import annotations

from wtforms import (
    DateField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from portal.forms import BaseForm, choices, max_length, required
from portal.i18n import _l
from portal.listing import MAX_ID

#: Steps of the batch itself posted from its page.
BATCH_STEPS = ("open", "close", "cancel")


def _whole(low: int, high: int, message):
    return [
        InputRequired(message=_l("This field is required.")),
        NumberRange(min=low, max=high, message=message),
    ]


def _plausible_year(field) -> None:
    if field.data and not 2000 <= field.data.year <= 2100:
        raise ValidationError(_l("Enter a date between 2000 and 2100."))


def _ids(label):
    return SelectMultipleField(label, coerce=int, validate_choice=False, validators=[Optional()])


class BatchForm(BaseForm):
    """A batch of a published curriculum (the curriculum comes from the URL, not the form)."""

    title = StringField(
        _l("Title"),
        validators=[Optional(), max_length(200)],
        description=_l("Left empty, the curriculum's title is used."),
    )
    capacity = IntegerField(
        _l("Capacity (participants)"), validators=_whole(1, 10000, _l("Between 1 and 10000."))
    )
    jp = IntegerField(
        _l("JP (lesson hours)"),
        validators=[Optional(), NumberRange(min=1, max=1000, message=_l("Between 1 and 1000."))],
        description=_l(
            "The most JP a participant is credited: the sessions' JP are credited (1 JP = 45 "
            "minutes, with the daily caps of the conversion table), at most this. Left empty, "
            "the curriculum's total JP is used."
        ),
    )
    registration_opens_at = DateTimeLocalField(
        _l("Registration opens (WIB)"), format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )
    registration_closes_at = DateTimeLocalField(
        _l("Registration closes (WIB)"), format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )
    facilitators = _ids(_l("Facilitators"))
    target_agencies = _ids(_l("For these OPD only"))
    target_positions = _ids(_l("For these positions only"))

    def validate_registration_opens_at(self, field):
        _plausible_year(field)

    def validate_registration_closes_at(self, field):
        _plausible_year(field)
        opens = self.registration_opens_at.data
        if field.data and opens and field.data <= opens:
            raise ValidationError(_l("Registration must close after it opens."))

    def _check_ids(self, field, allowed: set[int]):
        if any(not 1 <= i <= MAX_ID or i not in allowed for i in field.data or []):
            raise ValidationError(_l("Choose from the list."))

    def set_choices(self, facilitators, agencies, positions) -> None:
        self.facilitators.choices = choices((u.id, u.full_name) for u in facilitators)
        self.target_agencies.choices = choices((a.id, a.name) for a in agencies)
        # ``positions``: (position, its OPD's name) pairs, grouped by OPD (the same jabatan exists
        # in many OPD: each option names its OPD; the page shows one group per OPD).
        self.target_positions.choices = [
            SelectChoice(value=p.id, label=p.name, optgroup=opd) for p, opd in positions
        ]
        self._allowed = {
            "facilitators": {u.id for u in facilitators},
            "target_agencies": {a.id for a in agencies},
            "target_positions": {p.id for p, _opd in positions},
        }

    def validate_facilitators(self, field):
        self._check_ids(field, self._allowed["facilitators"])

    def validate_target_agencies(self, field):
        self._check_ids(field, self._allowed["target_agencies"])

    def validate_target_positions(self, field):
        self._check_ids(field, self._allowed["target_positions"])


class SessionForm(BaseForm):
    """One session: a day and wall-clock times in WIB, a place or an online link."""

    on = DateField(_l("Date"), validators=[InputRequired(message=_l("Enter a date."))])
    starts = TimeField(_l("Starts (WIB)"), validators=[InputRequired(message=_l("Enter a time."))])
    ends = TimeField(_l("Ends (WIB)"), validators=[InputRequired(message=_l("Enter a time."))])
    place = StringField(_l("Place"), validators=[max_length(200)])
    online_link = StringField(
        _l("Online link"),
        validators=[Optional(), max_length(500)],
        description=_l("For an online or blended session; it must start with https://."),
    )

    def validate_on(self, field):
        _plausible_year(field)

    def validate_ends(self, field):
        if field.data and self.starts.data and field.data <= self.starts.data:
            raise ValidationError(_l("A session must end after it starts."))

    def validate_place(self, field):
        if not field.data and not self.online_link.data:
            raise ValidationError(_l("Give the session's place or its online link."))

    def validate_online_link(self, field):
        if field.data and not field.data.startswith(("https://", "http://")):
            raise ValidationError(_l("The online link must start with https://."))


class BatchStepForm(BaseForm):
    step = SelectField(
        _l("Step"), validators=[required()], choices=choices((s, s) for s in BATCH_STEPS)
    )
    note = TextAreaField(_l("Reason"), validators=[Optional(), max_length(2000)])


class NominateForm(BaseForm):
    asn_id = IntegerField(
        _l("ASN"), validators=_whole(1, MAX_ID, _l("Choose an ASN from the search results."))
    )


class CheckInForm(BaseForm):
    code = StringField(
        _l("Check-in code"),
        validators=[required(), max_length(20)],
        description=_l("The code the facilitator shows in the session."),
    )


class TokenForm(BaseForm):
    """No fields: the CSRF token of a one-click button (register, complete)."""
