"""Forms of the personal-data pages."""

from __future__ import annotations

from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import Optional

from portal.forms import BaseForm, choices, max_length, required
from portal.i18n import _l
from portal.privacy.models import ConsentPurpose, RequestKind, RequestState
from portal.privacy.services import DETAILS_MAX, RESPONSE_MAX


class TokenForm(BaseForm):
    """Only the CSRF token: a one-click POST (download my data)."""


class ConsentForm(BaseForm):
    purpose = SelectField(
        _l("Purpose"),
        choices=choices([(p.value, p.title) for p in ConsentPurpose]),
        validators=[required()],
    )
    action = SelectField(
        _l("Consent"),
        choices=choices([("give", _l("Give consent")), ("withdraw", _l("Withdraw consent"))]),
        validators=[required()],
    )


class DataRequestForm(BaseForm):
    kind = RadioField(
        _l("What do you ask for?"),
        choices=choices(
            [
                (RequestKind.CORRECTION.value, _l("Correct data that is wrong")),
                (RequestKind.DELETION.value, _l("Delete data")),
            ]
        ),
        validators=[required()],
    )
    details = TextAreaField(
        _l("Which data?"),
        validators=[required(), max_length(DETAILS_MAX)],
        description=_l(
            "For a correction: what is wrong and where it appears. For a deletion: which data."
        ),
    )
    explanation = TextAreaField(
        _l("What should it be, or why?"),
        validators=[Optional(), max_length(DETAILS_MAX)],
        description=_l("For a correction: the right value. For a deletion: why it should go."),
    )


class HandleRequestForm(BaseForm):
    outcome = RadioField(
        _l("Outcome"),
        choices=choices(
            [(RequestState.DONE.value, _l("Done")), (RequestState.REJECTED.value, _l("Rejected"))]
        ),
        validators=[required()],
    )
    response = TextAreaField(
        _l("Response to the person"),
        validators=[required(), max_length(RESPONSE_MAX)],
        description=_l("What was done, or why the request is rejected. The person reads it."),
    )
