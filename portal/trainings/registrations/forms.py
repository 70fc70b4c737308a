"""Forms of the registration pages: one step on a registration."""

from __future__ import annotations

from wtforms import HiddenField, SelectField, TextAreaField, ValidationError

from portal.forms import BaseForm, choices, max_length, required
from portal.i18n import _l
from portal.trainings.registrations.workflow import RegistrationAction

#: Steps a user posts on a registration (promotion and completion are automatic).
USER_ACTIONS = (RegistrationAction.APPROVE, RegistrationAction.DECLINE, RegistrationAction.CANCEL)


class RegistrationActionForm(BaseForm):
    """One step on a registration, with the reason kept in its history."""

    action = SelectField(
        _l("Step"),
        validators=[required()],
        choices=choices((a.value, a.title) for a in USER_ACTIONS),
    )
    note = TextAreaField(
        _l("Reason"),
        validators=[max_length(2000)],  # no Optional(): validate_note must run
        description=_l("Required to decline; the ASN reads it."),
    )
    back = HiddenField()

    def validate_note(self, field):
        if self.action.data == RegistrationAction.DECLINE and not (field.data or "").strip():
            raise ValidationError(_l("Give a reason for declining."))
